import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAdminServer, type FakeAdminServer } from '../shopify-admin/fake-admin-server.ts';
import { openStore } from '../store/open-store.ts';
import { postgresUnavailableReason, skipWithoutPostgres, testPostgresUrl, testSchema } from '../store/postgres/postgres-test-database.ts';
import { sqliteMigrations } from '../store/sqlite/migrations.ts';
import { checkDatabase } from './check-database.ts';
import { doctorExitCode, formatCheck, type CheckResult } from './doctor-check.ts';
import { runDoctor } from './run-doctor.ts';

const adminToken = 'shpat_0123456789abcdef0123456789abcdef';
const secret = 'a-webhook-signing-secret-of-32-chars';
let dir: string;
let listening: Server;
let listeningUrl: string;
let closedUrl: string;
let admin: FakeAdminServer;
let db: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cartstream-doctor-'));
  listening = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  listeningUrl = `http://127.0.0.1:${(listening.address() as { port: number }).port}`;
  closedUrl = `http://127.0.0.1:${await freePort()}`;
  admin = await startFakeAdminServer({ accessToken: adminToken });
  db = join(dir, 'cartstream.db');
  await (await openStore(db)).close();
});

afterAll(async () => {
  await new Promise((resolve) => listening.close(resolve));
  await admin.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A config file with these contents; every run names it, so no stray cartstream.config.json is read. */
function configFile(contents: Record<string, unknown>): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(contents));
  return path;
}

function healthy(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    db,
    adminToken: 'x'.repeat(40),
    shops: [{ domain: 'doctor.myshopify.com', webhookSecrets: [secret], adminAccessToken: adminToken }],
    shopifyAdmin: { endpoint: admin.url },
    destinations: { segment: { writeKey: 'wk', endpoint: listeningUrl }, tiktok: { accessToken: 't', pixelCode: 'PIXEL1', endpoint: listeningUrl } },
    ...overrides,
  };
}

async function doctor(contents: Record<string, unknown>): Promise<CheckResult[]> {
  return runDoctor({ env: {}, configPath: configFile(contents) });
}

function line(results: CheckResult[], name: string): string {
  const result = results.find((r) => r.name === name);
  if (result === undefined) throw new Error(`no ${name} check in ${results.map((r) => r.name).join(', ')}`);
  return formatCheck(result);
}

describe('cartstream doctor', () => {
  it('passes every check of a healthy setup, one ✓ line each', async () => {
    const results = await doctor(healthy());
    expect(results.map(formatCheck).filter((text) => !text.startsWith('✓'))).toStrictEqual([]);
    expect(results.map((result) => result.name)).toStrictEqual([
      'config', 'database', 'segment', 'tiktok',
      'shop doctor.myshopify.com: webhook secret', 'shop doctor.myshopify.com: Admin API token', 'admin API token',
    ]);
    expect(line(results, 'shop doctor.myshopify.com: Admin API token')).toContain('works (shop "Fake Shop"');
    expect(doctorExitCode(results)).toBe(0);
  });

  it('names the config field that is wrong, and stops there', async () => {
    const results = await doctor(healthy({ shops: [{ domain: 'doctor.example.com', webhookSecrets: [secret] }] }));
    expect(line(results, 'config')).toMatch(/^✗ config: invalid configuration in .*\n {4} {2}- shops\.0\.domain: must be a \*\.myshopify\.com domain/);
    expect(line(results, 'config')).toContain('→ fix the field named above');
    expect(doctorExitCode(results)).toBe(1);
  });

  it('reports an unreachable destination (a closed port) with what to check', async () => {
    const results = await doctor(healthy({ destinations: { segment: { writeKey: 'wk', endpoint: closedUrl } } }));
    const port = new URL(closedUrl).port;
    expect(line(results, 'segment')).toBe(
      `✗ segment: ${closedUrl}: cannot connect to 127.0.0.1:${port} (ECONNREFUSED)\n    → check SEGMENT_ENDPOINT / SEGMENT_REGION (or the config file's endpoint) and that this machine may open outbound connections to it (firewall, proxy, DNS)`,
    );
    expect(doctorExitCode(results)).toBe(1);
  });

  it('reports a refused Admin API token without printing it', async () => {
    const results = await doctor(healthy({ shops: [{ domain: 'doctor.myshopify.com', webhookSecrets: [secret], adminAccessToken: 'the-api-secret-key' }] }));
    const text = line(results, 'shop doctor.myshopify.com: Admin API token');
    expect(text).toMatch(/^✗ .*refused the Admin API access token .*\(401\)/);
    expect(text).toContain('does not look like an Admin API access token');
    expect(text).not.toContain('the-api-secret-key');
  });

  it('reports a missing shop, a short webhook secret and a short admin API token', async () => {
    expect(line(await doctor(healthy({ shops: [] })), 'shops')).toMatch(/^✗ shops: no shop configured, so every webhook is refused with 401\n {4}→ set SHOPIFY_SHOP_DOMAIN and SHOPIFY_WEBHOOK_SECRET/);
    const results = await doctor(healthy({ shops: [{ domain: 'doctor.myshopify.com', webhookSecrets: ['short'] }], adminToken: 'y'.repeat(20) }));
    expect(line(results, 'shop doctor.myshopify.com: webhook secret')).toMatch(/^✗ .*1 of 1 secret\(s\) shorter than 16 characters/);
    expect(line(results, 'shop doctor.myshopify.com: Admin API token')).toMatch(/^– .*not configured/);
    expect(line(results, 'admin API token')).toBe('! admin API token: 20 characters\n    → use at least 32 random characters, e.g. `openssl rand -hex 32`');
  });

  it('reports a database that does not exist yet', async () => {
    const missing = join(dir, 'nowhere', 'cartstream.db');
    const results = await doctor(healthy({ db: missing }));
    expect(line(results, 'database')).toBe(`✗ database: SQLite file ${missing} does not exist yet\n    → run \`npx cartstream migrate\` (start does it too), or set CARTSTREAM_DB / "db" to the file cartstream uses`);
  });
});

describe('doctor: database checks', () => {
  const files: string[] = [];
  afterEach(() => files.splice(0).forEach((file) => rmSync(file, { force: true })));

  async function migratedCopy(): Promise<string> {
    const path = join(dir, `db-${files.length}-${Date.now()}.db`);
    files.push(path, `${path}-wal`, `${path}-shm`);
    await (await openStore(path)).close();
    return path;
  }

  it('says which migration is missing', async () => {
    const path = await migratedCopy();
    const latest = sqliteMigrations.at(-1)!;
    const raw = new DatabaseSync(path);
    raw.prepare('DELETE FROM schema_migrations WHERE version = ?').run(latest.version);
    raw.close();
    const result = await checkDatabase(path);
    expect(formatCheck(result)).toBe(`✗ database: SQLite ${path}: schema is behind, migration ${latest.version} (${latest.name}) not applied\n    → run \`npx cartstream migrate\` (start does it too)`);
  });

  it('says when another process holds the write lock', async () => {
    const path = await migratedCopy();
    const other = new DatabaseSync(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const result = await checkDatabase(path, 50);
      expect(result.status).toBe('fail');
      expect(result.detail).toMatch(/is locked by another process/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });
});

const pgReason = await postgresUnavailableReason();
describe.skipIf(skipWithoutPostgres(pgReason, 'doctor PostgreSQL checks'))('doctor: PostgreSQL', () => {
  const schema = testSchema('doctor');
  beforeAll(async () => (await openStore(`${testPostgresUrl}?schema=${schema.name}`)).close());
  afterAll(() => schema.drop());

  it('connects, finds the schema current and writable', async () => {
    const result = await checkDatabase(`${testPostgresUrl}?schema=${schema.name}`);
    expect(result.status, result.detail).toBe('ok');
    expect(result.detail).toContain(`schema ${schema.name}: connects, schema current`);
  });

  it('says when it can read but not write (a read-only session, as on a replica)', async () => {
    const readOnly = `${testPostgresUrl}?options=${encodeURIComponent('-c default_transaction_read_only=on')}&schema=${schema.name}`;
    const result = await checkDatabase(readOnly);
    expect(result.status).toBe('fail');
    expect(result.detail).toMatch(/is not writable: .*read-only transaction/);
  });
});
