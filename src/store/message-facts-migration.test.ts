/**
 * Migration 4 on a database that already holds messages: the fact columns are filled from each payload's JSON, so
 * customer journeys and order queries see messages written before the upgrade, and delivered messages seed the
 * per-minute counts. Run on both engines from a schema at version 3.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresMigrations } from './postgres/migrations.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { postgresUnavailableReason, skipWithoutPostgres, testPostgresUrl, testSchema } from './postgres/postgres-test-database.ts';
import { sqliteMigrations } from './sqlite/migrations.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

const t0 = 1_750_000_020_000;
const shop = 'alpha.myshopify.com';

/** Rows as versions 1–3 wrote them: payloads only (Segment wire JSON, an alias, a TikTok event, an unrelated one). */
const oldMessages = [
  { id: 1, destination: 'segment', eventName: 'Order Completed', status: 'delivered', deliveredAt: t0 + 2_000, payload: { type: 'track', userId: 'cust-1', anonymousId: 'browser-a', properties: { order_id: '820982911946154508', total: 42.5, currency: 'EUR' } } },
  { id: 2, destination: 'segment', eventName: 'alias', status: 'pending', deliveredAt: null, payload: { type: 'alias', userId: 'cust-1', previousId: 'browser-b' } },
  { id: 3, destination: 'segment', eventName: 'Page Viewed', status: 'pending', deliveredAt: null, payload: { type: 'page', anonymousId: 'browser-b' } },
  { id: 4, destination: 'tiktok', eventName: 'Order Completed', status: 'delivered', deliveredAt: t0 + 4_000, payload: { event: 'CompletePayment', user: { external_id: 'x' }, properties: { order_id: '820982911946154508' } } },
  { id: 5, destination: 'segment', eventName: 'Page Viewed', status: 'pending', deliveredAt: null, payload: { type: 'page', anonymousId: 'browser-z', properties: { title: 'caf\u00e9 \u0000' } } },
] as const;

async function expectFilled(store: Store): Promise<void> {
  const journey = await store.customerJourney('cust-1', 10);
  expect(journey.map((m) => [m.id, m.userId, m.anonymousId])).toEqual([
    [1, 'cust-1', 'browser-a'], [2, 'cust-1', 'browser-b'], [3, null, 'browser-b'],
  ]);
  const orders = await store.orderMessages('Order Completed', { until: t0 + 1, after: { receivedAt: t0, id: 0 }, limit: 10 });
  // The amount is not filled from old payloads (its exponent depends on the currency): the report says so per order.
  expect(orders.map((m) => [m.id, m.destination, m.orderId, m.amountMinor])).toEqual([
    [1, 'segment', '820982911946154508', null], [4, 'tiktok', '820982911946154508', null],
  ]);
  expect(await store.deliveryMinutes(t0, t0 + 60_000)).toEqual([
    { destination: 'segment', minute: t0, delivered: 1, retried: 0, dead: 0, latencyMsSum: 2_000, latencyMsMax: 2_000 },
    { destination: 'tiktok', minute: t0, delivered: 1, retried: 0, dead: 0, latencyMsSum: 4_000, latencyMsMax: 4_000 },
  ]);
}

describe('migration 4 (sqlite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cartstream-migrate-4-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fills the fact columns of messages written before it', async () => {
    const path = join(dir, 'v3.db');
    const db = new DatabaseSync(path);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const step of sqliteMigrations.filter((s) => s.version <= 3)) {
      db.exec(step.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(step.version, step.name);
    }
    db.prepare("INSERT INTO inbox (id, shop, webhook_id, source, topic, received_at, status) VALUES (1, ?, 'w1', 'shopify', 'orders/create', ?, 'done')").run(shop, t0);
    const insert = db.prepare(`INSERT INTO outbox (id, destination, message_id, status, next_attempt_at, shop, inbox_id, event_name,
      received_at, created_at, delivered_at, payload) VALUES (?, ?, ?, ?, 0, ?, 1, ?, ?, 0, ?, ?)`);
    for (const m of oldMessages) insert.run(m.id, m.destination, `m${m.id}`, m.status, shop, m.eventName, t0, m.deliveredAt, JSON.stringify(m.payload));
    db.close();

    const store = await openSqliteStore(path);
    try {
      await store.migrate();
      await expectFilled(store);
    } finally {
      await store.close();
    }
  });
});

const unavailable = await postgresUnavailableReason();

describe.skipIf(skipWithoutPostgres(unavailable, 'migration 4 on PostgreSQL'))('migration 4 (postgres)', () => {
  const schema = testSchema('cartstream_migrate_4');
  afterAll(() => schema.drop());

  it('fills the fact columns of messages written before it, skipping payloads jsonb may refuse', async () => {
    const client = new pg.Client({ connectionString: testPostgresUrl });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema.name}; SET search_path = ${schema.name};
        CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
      for (const step of postgresMigrations.filter((s) => s.version <= 3)) {
        await client.query(step.sql);
        await client.query('INSERT INTO schema_migrations VALUES ($1, $2, 0)', [step.version, step.name]);
      }
      await client.query(`INSERT INTO inbox (id, shop, webhook_id, source, topic, headers, body, received_at, status)
        VALUES (1, $1, 'w1', 'shopify', 'orders/create', '{}', '\\x7b7d', $2, 'done')`, [shop, t0]);
      for (const m of oldMessages) {
        await client.query(`INSERT INTO outbox (id, destination, message_id, status, next_attempt_at, shop, inbox_id, event_name,
          received_at, created_at, delivered_at, payload) VALUES ($1, $2, $3, $4, 0, $5, 1, $6, $7, 0, $8, $9)`,
        [m.id, m.destination, `m${m.id}`, m.status, shop, m.eventName, t0, m.deliveredAt, JSON.stringify(m.payload)]);
      }
    } finally {
      await client.end();
    }

    const store = await openPostgresStore(testPostgresUrl, { schema: schema.name, poolSize: 1 });
    try {
      await store.migrate();
      await expectFilled(store);
    } finally {
      await store.close();
    }
  });
});
