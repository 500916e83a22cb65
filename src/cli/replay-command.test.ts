import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { OutboxMessage, Store } from '../store/store.ts';
import { parseReplayFlags, parseTime } from './replay-command.ts';

const run = promisify(execFile);
const node = new URL('../../node_modules/.bin/node', import.meta.url).pathname;
const cli = new URL('../../bin/cartstream.js', import.meta.url).pathname;
const shop = 'cli.myshopify.com';
const t0 = Date.parse('2025-06-15T09:00:00Z');

describe('replay flags', () => {
  it.each([
    ['2026-01-31', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T12:30:00Z', '2026-01-31T12:30:00.000Z'],
    ['2026-01-31T12:30+02:00', '2026-01-31T10:30:00.000Z'],
    ['2026-01-31T12:30:15.250-05:00', '2026-01-31T17:30:15.250Z'],
  ])('reads %s as %s', (value, iso) => {
    expect(parseTime('--since', value)).toEqual({ ok: true, value: Date.parse(iso) });
  });

  it.each(['last tuesday', '2026-02-30', '2026-13-01', '2026-01-31T12:30:00', '31/01/2026', '2026-01-31 12:30Z'])(
    'refuses %j, naming the flag and the forms it takes',
    (value) => {
      expect(parseTime('--until', value)).toEqual({
        ok: false, problem: `--until: "${value}" is not a date (use 2026-01-31 or 2026-01-31T12:00:00Z)`,
      });
    },
  );

  it.each([
    [{ destination: 'segmnt' }, '-d: no destination "segmnt" is configured (configured: segment, tiktok)'],
    [{ destination: 'segment', orders: '1001,#1002' }, '--orders: "#1002" is not an order id (the number in the order\'s admin URL, e.g. 820982911946154508)'],
    [{ destination: 'segment', ids: '3,x' }, '--ids: "x" is not a message id (see `npx cartstream dead-letters`)'],
    [{ destination: 'segment', orders: ' , ' }, '--orders: name at least one order id'],
    [{ destination: 'segment', since: '2026-02-01', until: '2026-01-01' }, '--until: must be later than since'],
    [{ destination: 'segment', ids: '3', since: '2026-01-01' }, '--ids: picks dead letters by id; leave out since, until and the order ids'],
  ])('refuses %j with a message naming the flag', (options, problem) => {
    expect(parseReplayFlags(options, ['segment', 'tiktok'])).toEqual({ ok: false, problem });
  });

  it('turns the flags into the selection', () => {
    expect(parseReplayFlags({ destination: 'tiktok', since: '2026-01-01', orders: '11, 12' }, ['tiktok'])).toEqual({
      ok: true, value: { destination: 'tiktok', include: 'settled', since: Date.parse('2026-01-01T00:00:00Z'), orderIds: ['11', '12'] },
    });
    expect(parseReplayFlags({ destination: 'tiktok', ids: '4,7' }, ['tiktok'])).toEqual({
      ok: true, value: { destination: 'tiktok', include: 'dead', ids: [4, 7] },
    });
  });
});

describe('cartstream replay (the real command)', () => {
  let dir: string;
  let env: Record<string, string>;
  let store: Store;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cartstream-replay-'));
    env = { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', CARTSTREAM_DB: join(dir, 'cartstream.db'), SEGMENT_WRITE_KEY: 'write-key' };
    store = await openStore(env.CARTSTREAM_DB!);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** On 15 June: an order completed and paid (delivered; the payment refused for good) and one skipped; one the day before. */
  async function seed(): Promise<void> {
    await store.insertInbox([{
      shop, source: 'shopify', topic: 'orders/paid', webhookId: 'w1', eventId: null, triggeredAt: null, apiVersion: null,
      headers: {}, body: Buffer.from('{}'), receivedAt: t0,
    }]);
    const [inbox] = await store.claimInbox({ worker: 'test', limit: 1, leaseMs: 60_000, now: t0 });
    const message = (messageId: string, eventName: string, receivedAt: number, extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
      destination: 'segment', messageId, shop, inboxId: inbox!.id, eventName, payload: JSON.stringify({ messageId }), receivedAt, ...extra,
    });
    await store.settleInbox([{ id: inbox!.id, outcome: { status: 'done', messages: [
      message('completed', 'Order Completed', t0), message('paid', 'Order Paid', t0 + 1),
      message('day-before', 'Order Completed', t0 - 86_400_000),
      message('skipped', 'Product Viewed', t0, { initial: { status: 'skipped', reason: 'filtered' } }),
    ] } }], t0);
    await deliverPending((messageId) => (messageId === 'paid' ? 'dead' : 'delivered'));
  }

  /** Acts as the running cartstream: settles every due Segment message. */
  async function deliverPending(outcome: (messageId: string) => 'delivered' | 'dead'): Promise<number> {
    const rows = await store.claimOutbox('segment', { worker: 'test', limit: 100, leaseMs: 60_000, now: Date.now() });
    await store.settleOutbox(rows.map((row) =>
      outcome(row.messageId) === 'dead' ? { id: row.id, status: 'dead', reason: 'HTTP 400: invalid event' } : { id: row.id, status: 'delivered' }), Date.now());
    return rows.length;
  }

  async function cartstream(...args: string[]) {
    return run(node, [cli, 'replay', ...args], { env, cwd: dir }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  }

  it('counts a day per event in a dry run, then sends it again and follows it until every message is settled', async () => {
    await seed();
    const before = await store.counts();
    const day = ['-d', 'segment', '--since', '2025-06-15', '--until', '2025-06-16'];

    const dry = await cartstream(...day, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.split('\n')).toStrictEqual([
      'dry run: 2 messages would be sent again: delivered or dead segment messages received from 2025-06-15T00:00:00.000Z to 2025-06-16T00:00:00.000Z; nothing was changed',
      '  Order Completed  1',
      '  Order Paid       1',
      'note: segment drops a repeated messageId only within about 24 hours: delivered messages older than that which it did keep will be counted twice',
      '',
    ]);
    expect(await store.counts()).toEqual(before);

    let exited = false;
    const replaying = cartstream(...day, '--wait').finally(() => { exited = true; });
    let delivered = 0;
    while (!exited && delivered < 2) {
      delivered += await deliverPending((messageId) => (messageId === 'paid' ? 'dead' : 'delivered'));
      await sleep(20);
    }
    const replayed = await replaying;

    expect(replayed.stdout).toContain('requeued 2 messages: delivered or dead segment messages received from 2025-06-15T00:00:00.000Z');
    expect(replayed.stdout).toContain('replay finished: 1 delivered, 1 dead (see npx cartstream dead-letters -d segment)');
    const progress = replayed.stderr.trim().split('\n');
    expect(progress[0]).toBe('waiting for a running cartstream to deliver them (Ctrl-C stops waiting; the messages stay queued)');
    expect(progress.at(-1)).toBe('replay: [##############################] 100% 2/2 settled: 1 delivered, 1 dead');
    expect(replayed.code).toBe(1);
    expect((await store.counts()).outbox).toEqual({ pending: 0, delivered: 2, dead: 1, skipped: 1 });
  });
});
