import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { topicCatalog } from '../../mapping/topic-mappers.ts';
import { contextFor, mappedMessages, sampleBody } from '../../mapping/samples-for-tests.ts';
import type { SegmentMessage } from '../../pipeline/segment-message.ts';
import { postgresUnavailableReason, skipWithoutPostgres, testPostgresUrl, testSchema } from '../../store/postgres/postgres-test-database.ts';
import type { Destination, SendResult } from '../destination.ts';
import { createWarehouseDestination, warehouseSettingsSchema } from './index.ts';

type Row = Record<string, unknown>;

/** A warehouse database and a second connection to it — the merchant's SQL tool — to look at what was written. */
interface Target {
  db: string;
  select(sql: string): Promise<Row[]>;
  exec(sql: string): Promise<void>;
  /** How this database returns a boolean column's true. */
  yes: unknown;
  cleanup(): Promise<void>;
}

function sqliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'cartstream-warehouse-'));
  const db = join(dir, 'warehouse.db');
  let reader: DatabaseSync | null = null;
  const connection = () => (reader ??= new DatabaseSync(db));
  return {
    db, yes: 1,
    select: async (sql) => connection().prepare(sql).all().map((row) => ({ ...row })),
    exec: async (sql) => void connection().exec(sql),
    async cleanup() {
      reader?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** pg returns BIGINT as text and timestamptz as Date; both become what SQLite returns, so one test fits both. */
function normalized(result: pg.QueryResult): Row[] {
  const bigints = new Set(result.fields.filter((field) => field.dataTypeID === 20).map((field) => field.name));
  return result.rows.map((row: Row) => Object.fromEntries(Object.entries(row).map(([key, value]) => {
    if (value instanceof Date) return [key, value.toISOString()];
    if (bigints.has(key) && value !== null) return [key, Number(value)];
    return [key, value];
  })));
}

function postgresTarget(): Target {
  const schema = testSchema('cartstream_warehouse');
  const url = new URL(testPostgresUrl);
  url.searchParams.set('schema', schema.name);
  const client = new pg.Client({ connectionString: testPostgresUrl, options: `-c search_path=${schema.name}` });
  const connected = client.connect();
  return {
    db: url.toString(), yes: true,
    select: async (sql) => { await connected; return normalized(await client.query(sql)); },
    // Setup statements may come before the first send, which creates the schema otherwise.
    exec: async (sql) => { await connected; await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema.name}`); await client.query(sql); },
    async cleanup() {
      await client.end();
      await schema.drop();
    },
  };
}

const loadedAt = Date.parse('2024-06-01T08:00:00.000Z');
const loadedIso = new Date(loadedAt).toISOString();

function wire(destination: Destination, messages: SegmentMessage[]): string[] {
  return messages.map((message) => {
    const result = destination.transform(message);
    if (result.kind !== 'event') throw new Error(result.reason);
    return result.json;
  });
}

function orderCreated(): SegmentMessage[] {
  const context = contextFor('orders/create', { linkedAnonymousId: 'browser-anon-1' });
  return mappedMessages(topicCatalog.get('orders/create')!.mapper(sampleBody('orders_create.json'), context));
}

const track = (messageId: string, properties: Record<string, unknown>, event = 'Product Added'): SegmentMessage => ({
  type: 'track', messageId, timestamp: '2024-05-01T10:00:00.000Z', anonymousId: 'anon-1', event, properties,
});

const identify = (messageId: string, timestamp: string, traits: Record<string, unknown>): SegmentMessage => ({
  type: 'identify', messageId, timestamp, userId: 'u1', traits,
});

const allDelivered = (count: number): SendResult => ({ scope: 'per-event', outcomes: Array.from({ length: count }, () => ({ kind: 'delivered' })) });

const unavailable = await postgresUnavailableReason();
const targets: [string, () => Target, boolean][] = [
  ['SQLite', sqliteTarget, false],
  ['PostgreSQL', postgresTarget, skipWithoutPostgres(unavailable, 'PostgreSQL warehouse tests')],
];

describe.each(targets)('warehouse writer on %s', (_name, makeTarget, skip) => {
  let target: Target;
  let destination: Destination;
  const signal = new AbortController().signal;
  const send = (messages: SegmentMessage[]) => destination.send(wire(destination, messages), signal);

  beforeEach(({ skip: skipTest }) => {
    if (skip) skipTest();
    target = makeTarget();
    destination = createWarehouseDestination({ ...warehouseSettingsSchema.parse({}), db: target.db, busyTimeoutMs: 200 }, { now: () => loadedAt });
  });
  afterEach(async () => {
    if (skip) return;
    await destination.close?.();
    await target.cleanup();
  });

  it('creates Segment\'s tables for a first order and writes every row once', async () => {
    expect(await send(orderCreated())).toStrictEqual(allDelivered(3));
    expect(await target.select('SELECT id, event, event_text, user_id, received_at, sent_at, "timestamp", total, shipping, currency, products FROM order_completed'))
      .toStrictEqual([{
        id: 'cs-26b0f749246b0358525ea52a196b0785', event: 'order_completed', event_text: 'Order Completed', user_id: '115310627314723954',
        received_at: loadedIso, sent_at: loadedIso, timestamp: '2022-01-01T00:00:00.000Z', total: 404.95, shipping: 10, currency: 'USD',
        products: expect.stringMatching(/^\[\{"product_id":"788032119674292900",/),
      }]);
    expect(await target.select('SELECT id, event FROM tracks')).toStrictEqual([{ id: 'cs-26b0f749246b0358525ea52a196b0785', event: 'order_completed' }]);
    expect(await target.select('SELECT user_id, anonymous_id, email, address_city, verified_email FROM identifies')).toStrictEqual([{
      user_id: '115310627314723954', anonymous_id: 'browser-anon-1', email: 'john@example.com', address_city: 'Ottawa', verified_email: target.yes,
    }]);
    expect(await target.select('SELECT id, first_name FROM users')).toStrictEqual([{ id: '115310627314723954', first_name: 'John' }]);
    expect(await target.select('SELECT user_id, previous_id FROM aliases')).toStrictEqual([{ user_id: '115310627314723954', previous_id: 'browser-anon-1' }]);
  });

  it('adds no row when a batch is replayed or retried: the id column is the messageId', async () => {
    await send(orderCreated());
    expect(await send(orderCreated())).toStrictEqual(allDelivered(3));
    const counts = await target.select(`SELECT (SELECT COUNT(*) FROM tracks) AS tracks, (SELECT COUNT(*) FROM order_completed) AS orders,
      (SELECT COUNT(*) FROM identifies) AS identifies, (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM aliases) AS aliases`);
    expect(counts.map((row) => Object.values(row).map(Number))).toStrictEqual([[1, 1, 1, 1, 1]]);
  });

  it('adds a column for a new property, leaving it empty on earlier rows', async () => {
    await send([track('a', { sku: 'A-1' })]);
    expect(await send([track('b', { sku: 'B-2', gift_note: 'for Mum' })])).toStrictEqual(allDelivered(1));
    expect(await target.select('SELECT id, sku, gift_note FROM product_added ORDER BY id'))
      .toStrictEqual([{ id: 'a', sku: 'A-1', gift_note: null }, { id: 'b', sku: 'B-2', gift_note: 'for Mum' }]);
  });

  it('keeps the cents when a whole-number column later sees a fraction, and coerces what fits an existing column', async () => {
    await send([track('a', { price: 10, sku: 'A-1' })]);
    await send([track('b', { price: 9.99, sku: 42 }), track('c', { price: 'n/a', sku: 'C-3' }), track('d', { price: '12.50' })]);
    expect(await target.select('SELECT id, price, sku FROM product_added ORDER BY id')).toStrictEqual([
      { id: 'a', price: 10, sku: 'A-1' }, { id: 'b', price: 9.99, sku: '42' }, { id: 'c', price: null, sku: 'C-3' }, { id: 'd', price: 12.5, sku: null },
    ]);
  });

  it('keeps writing when a view uses a whole-number column that then sees a fraction', async () => {
    await send([track('a', { price: 10 })]);
    await target.exec('CREATE VIEW prices AS SELECT id, price FROM product_added');
    expect(await send([track('b', { price: 9.99, sku: 'B' })])).toStrictEqual(allDelivered(1));
    // PostgreSQL cannot retype a column a view uses, so it stays BIGINT and the fraction is NULL; SQLite keeps 9.99.
    expect(await target.select('SELECT id, price FROM prices ORDER BY id')).toStrictEqual([
      { id: 'a', price: 10 }, { id: 'b', price: target.yes === true ? null : 9.99 },
    ]);
    expect(await target.select('SELECT sku FROM product_added WHERE id = \'b\'')).toStrictEqual([{ sku: 'B' }]);
  });

  it('upserts users with the latest traits; an older identify only fills what is missing', async () => {
    await send([identify('i1', '2024-01-02T00:00:00.000Z', { plan: 'free', email: 'a@example.com' })]);
    await send([identify('i2', '2024-01-03T00:00:00.000Z', { plan: 'pro' })]);
    await send([identify('i0', '2024-01-01T00:00:00.000Z', { plan: 'trial', company: 'Acme' })]); // a late retry
    expect(await target.select('SELECT id, plan, email, company, "timestamp" FROM users')).toStrictEqual([
      { id: 'u1', plan: 'pro', email: 'a@example.com', company: 'Acme', timestamp: '2024-01-03T00:00:00.000Z' },
    ]);
    expect((await target.select('SELECT id FROM identifies ORDER BY id')).map((row) => row.id)).toStrictEqual(['i0', 'i1', 'i2']);
  });

  it('makes a property or event named like SQL harmless', async () => {
    expect(await send([track('x', { '"; DROP TABLE tracks; --': 'still here' }, 'Order"; DROP TABLE users; --')])).toStrictEqual(allDelivered(1));
    expect(await target.select('SELECT drop_table_tracks FROM order_drop_table_users')).toStrictEqual([{ drop_table_tracks: 'still here' }]);
    expect(await target.select('SELECT id FROM tracks')).toStrictEqual([{ id: 'x' }]);
  });

  it('fails only the event that can never be written, and writes the rest of the batch', async () => {
    const events = wire(destination, [track('a', { sku: 'A' }), track('b', { sku: 'B' })]);
    const forged = JSON.stringify({ rows: [{ table: 'tracks"; DROP TABLE tracks; --', write: 'insert', values: { id: 'z' } }] });
    const result = await destination.send([events[0]!, forged, events[1]!], signal);
    expect(result).toMatchObject({ scope: 'per-event', outcomes: [{ kind: 'delivered' }, { kind: 'permanent' }, { kind: 'delivered' }] });
    expect((await target.select('SELECT id FROM tracks ORDER BY id')).map((row) => row.id)).toStrictEqual(['a', 'b']);
  });

  it('fails only the event the database refuses (a merchant\'s constraint), rolling back all of its rows', async () => {
    await send([track('a', { price: 1 })]);
    await target.exec(target.yes === true
      ? 'ALTER TABLE product_added ADD CONSTRAINT price_not_negative CHECK (price >= 0)'
      : `CREATE TRIGGER price_not_negative BEFORE INSERT ON product_added WHEN NEW.price < 0
         BEGIN SELECT RAISE(ABORT, 'price_not_negative'); END`);
    const result = await send([track('b', { price: 2 }), track('c', { price: -5 }), track('d', { price: 3 })]);
    expect(result).toMatchObject({ scope: 'per-event', outcomes: [
      { kind: 'delivered' }, { kind: 'permanent', reason: expect.stringMatching(/^the warehouse refused this event: .*price_not_negative/) }, { kind: 'delivered' },
    ] });
    expect((await target.select('SELECT id FROM tracks ORDER BY id')).map((row) => row.id)).toStrictEqual(['a', 'b', 'd']);
  });

  it('never writes into a table of the same name that is not a warehouse table', async () => {
    await target.exec('CREATE TABLE outbox (id INTEGER PRIMARY KEY, received_at BIGINT, payload TEXT)');
    const result = await send([track('a', {}, 'Outbox'), track('b', {}, 'Cart Viewed')]);
    expect(result).toMatchObject({ scope: 'per-event', outcomes: [
      { kind: 'permanent', reason: 'table outbox exists and is not a warehouse table (no text id and received_at), so it is left alone' },
      { kind: 'delivered' },
    ] });
    expect(await target.select('SELECT COUNT(*) AS n FROM outbox').then((rows) => Number(rows[0]?.n))).toBe(0);
  });

  it('reopens after close, and finds the tables it made before', async () => {
    await send([track('a', { sku: 'A' })]);
    await destination.close?.();
    expect(await send([track('b', { sku: 'B', size: 'M' })])).toStrictEqual(allDelivered(1));
    expect(await target.select('SELECT id, size FROM product_added ORDER BY id')).toStrictEqual([{ id: 'a', size: null }, { id: 'b', size: 'M' }]);
  });
});

const settings = (db: string) => ({ ...warehouseSettingsSchema.parse({}), db, busyTimeoutMs: 50 });

describe('SQLite warehouse on a busy file', () => {
  it('answers retryable while another connection holds the write lock, and writes once it is released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cartstream-warehouse-'));
    const path = join(dir, 'shared.db');
    const other = new DatabaseSync(path);
    const destination = createWarehouseDestination(settings(path), { now: () => loadedAt });
    try {
      other.exec('PRAGMA journal_mode = WAL; CREATE TABLE inbox (id INTEGER PRIMARY KEY); BEGIN IMMEDIATE; INSERT INTO inbox DEFAULT VALUES;');
      const events = wire(destination, [track('a', { sku: 'A' })]);
      expect(await destination.send(events, new AbortController().signal)).toStrictEqual({
        scope: 'batch', outcome: { kind: 'retryable', reason: expect.stringMatching(/^warehouse database is busy: database is locked/) },
      });
      other.exec('COMMIT');
      expect(await destination.send(events, new AbortController().signal)).toStrictEqual(allDelivered(1));
      expect(other.prepare('SELECT id FROM tracks').all().map((row) => row.id)).toStrictEqual(['a']);
    } finally {
      await destination.close?.();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(skipWithoutPostgres(unavailable, 'PostgreSQL warehouse connection tests'))('PostgreSQL warehouse connection', () => {
  it('answers retryable when the server cannot be reached', async () => {
    const destination = createWarehouseDestination(settings('postgres://postgres@127.0.0.1:1/test'), { now: () => loadedAt });
    const result = await destination.send(wire(destination, [track('a', {})]), new AbortController().signal);
    await destination.close?.();
    expect(result).toMatchObject({ scope: 'batch', outcome: { kind: 'retryable', reason: expect.stringMatching(/ECONNREFUSED/) } });
  });

  it('writes again after the server dropped its connection', async () => {
    const schema = testSchema('cartstream_warehouse');
    const url = new URL(testPostgresUrl);
    url.searchParams.set('schema', schema.name);
    url.searchParams.set('application_name', schema.name); // so only this test's connection is terminated
    const destination = createWarehouseDestination(settings(url.toString()), { now: () => loadedAt });
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    try {
      await destination.send(wire(destination, [track('a', {})]), new AbortController().signal);
      const { rows: terminated } = await admin.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1', [schema.name]);
      expect(terminated).toStrictEqual([{ ok: true }]);
      const outcomes: string[] = [];
      for (let attempt = 0; attempt < 3 && outcomes.at(-1) !== 'per-event'; attempt += 1) {
        const result = await destination.send(wire(destination, [track('b', {})]), new AbortController().signal);
        outcomes.push(result.scope === 'batch' ? result.outcome.kind : result.scope);
      }
      // The dead connection costs at most one retryable answer; nothing is lost or written twice.
      expect(outcomes.at(-1)).toBe('per-event');
      expect(outcomes.slice(0, -1).every((kind) => kind === 'retryable')).toBe(true);
      const { rows } = await admin.query(`SELECT id FROM ${schema.name}.tracks ORDER BY id`);
      expect(rows.map((row) => row.id)).toStrictEqual(['a', 'b']);
    } finally {
      await destination.close?.();
      await admin.end();
      await schema.drop();
    }
  });
});
