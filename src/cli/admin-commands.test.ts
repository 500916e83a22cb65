import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAdminServer, type FakeAdminServer } from '../shopify-admin/fake-admin-server.ts';
import { fakeOrders } from '../shopify-admin/fake-orders.ts';
import { openStore } from '../store/open-store.ts';
import { formatAge } from './operate-commands.ts';

const run = promisify(execFile);
const node = new URL('../../node_modules/.bin/node', import.meta.url).pathname;
const cli = new URL('../../bin/cartstream.js', import.meta.url).pathname;
const token = 'shpat_0123456789abcdef0123456789abcdef';
let server: FakeAdminServer;
let dir: string;
let env: Record<string, string>;

/** Runs the real `cartstream` command (stdin/stdout are pipes, not a terminal), never throwing on a non-zero exit. */
async function cartstream(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(node, [cli, ...args], { env, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cartstream-cli-'));
  // A bucket that refills at once: this process runs on the real clock (throttle waits are proven with a fake one).
  server = await startFakeAdminServer({
    accessToken: token, orders: fakeOrders(7, new Date('2026-09-01T00:00:00Z'), { refundEvery: 3 }), bucket: { maximumAvailable: 1000, restoreRate: 1_000_000 },
  });
  env = {
    PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', CARTSTREAM_DB: join(dir, 'data', 'cartstream.db'),
    SHOPIFY_SHOP_DOMAIN: 'cli.myshopify.com', SHOPIFY_WEBHOOK_SECRET: 'a-webhook-signing-secret-0123456789',
    SHOPIFY_ADMIN_ACCESS_TOKEN: token, SHOPIFY_ADMIN_ENDPOINT: server.url, CARTSTREAM_PUBLIC_URL: 'https://cs.example.com',
  };
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cartstream backfill (the real command)', () => {
  it('stores the period, printing progress lines on a non-terminal stderr, and stores nothing the second time', async () => {
    const first = await cartstream('backfill', '--since', '2026-09-01', '--until', '2026-10-01', '--page-size', '3');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('7 orders → 10 new deliveries stored, 0 already stored');
    expect(first.stderr.trim().split('\n')).toStrictEqual([
      'backfill: [#############·················]  43% 3/7 orders, 4 new deliveries stored',
      'backfill: [##########################····]  86% 6/7 orders, 8 new deliveries stored',
      'backfill: [##############################] 100% 7/7 orders, 10 new deliveries stored',
    ]);
    const again = await cartstream('backfill', '--since', '2026-09-01', '--until', '2026-10-01', '--page-size', '3');
    expect(again.stdout).toContain('7 orders → 0 new deliveries stored, 10 already stored');
    const store = await openStore(env.CARTSTREAM_DB!);
    try {
      expect((await store.counts()).inbox.pending).toBe(10);
    } finally {
      await store.close();
    }
    expect(existsSync(join(dir, 'data', 'backfill-state.json'))).toBe(true);
  });

  it('refuses a date it cannot read, naming the flag', async () => {
    const result = await cartstream('backfill', '--since', 'last tuesday');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--since: "last tuesday" is not a date');
  });
});

describe('cartstream status (the real command)', () => {
  it('shows the backlog the backfill left in the inbox with its lag, and the same in JSON', async () => {
    const result = await cartstream('status');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^inbox {3}pending 10 {2}done 0 {2}failed 0 .*oldest waiting \d+ (s|min)$/m);
    const json = JSON.parse((await cartstream('status', '--json')).stdout) as { queues: { inbox: { pending: number; oldestReceivedAt: number } } };
    expect(json.queues.inbox.pending).toBe(10);
    expect(json.queues.inbox.oldestReceivedAt).toBeLessThanOrEqual(Date.now());
  });

  it.each([[42_000, '42 s'], [7 * 60_000, '7 min'], [3.5 * 3_600_000, '3.5 h'], [50 * 3_600_000, '2.1 d']])('prints an age of %i ms as %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});

describe('cartstream webhooks register / list (the real commands)', () => {
  it('subscribes once, changes nothing the second time, and lists what exists', async () => {
    const first = await cartstream('webhooks', 'register');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/cli\.myshopify\.com: subscribed 21 topic\(s\) at https:\/\/cs\.example\.com\/webhooks\/shopify:\n {2}\+ carts\/create/);
    expect(first.stdout).toContain('compliance_topics = [ "customers/data_request", "customers/redact", "shop/redact" ]');
    const second = await cartstream('webhooks', 'register');
    expect(second.stdout).toContain('already subscribed to all 21 topics at https://cs.example.com/webhooks/shopify; nothing changed');
    const listed = await cartstream('webhooks', 'list');
    expect(listed.stdout).toMatch(/^ORDERS_CREATE +https:\/\/cs\.example\.com\/webhooks\/shopify$/m);
    expect(listed.stdout).toContain('every topic cartstream maps has a subscription (21 in all)');
  });
});

describe('cartstream doctor (the real command)', () => {
  it('exits 1 and says what is wrong when a destination cannot be reached', async () => {
    const result = await run(node, [cli, 'doctor'], { env: { ...env, SEGMENT_WRITE_KEY: 'wk', SEGMENT_ENDPOINT: 'http://127.0.0.1:9' }, cwd: dir }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✓ config: valid$/m);
    expect(result.stdout).toMatch(/^✓ database: SQLite .*schema current .*writable$/m);
    expect(result.stdout).toMatch(/^✗ segment: http:\/\/127\.0\.0\.1:9: cannot connect to 127\.0\.0\.1:9 \(ECONNREFUSED\)$/m);
    expect(result.stdout).toMatch(/^✓ shop cli\.myshopify\.com: Admin API token: works/m);
  });
});
