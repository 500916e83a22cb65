import { describe, expect, it } from 'vitest';
import { topicCatalog } from '../../mapping/topic-mappers.ts';
import { contextFor, mappedMessages, sampleBody } from '../../mapping/samples-for-tests.ts';
import { planBatch } from './batch-plan.ts';
import type { ColumnType } from './column-types.ts';
import { postgresDialect, sqliteDialect } from './dialect.ts';
import { evolveSchema, type SchemaSnapshot } from './schema-evolution.ts';
import { batchStatements, rowStatement } from './statements.ts';
import { toWarehouseEvent } from './warehouse-rows.ts';

const loadedAt = '2024-06-01T08:00:00.000Z';
const pg = postgresDialect('shop_wh');

function storedEvents(): string[] {
  const messages = mappedMessages(topicCatalog.get('orders/create')!.mapper(sampleBody('orders_create.json'), contextFor('orders/create')));
  return messages.map((message) => {
    const result = toWarehouseEvent(message);
    if (result.kind !== 'event') throw new Error(result.reason);
    return result.json;
  });
}

function snapshotOf(tables: Record<string, Record<string, ColumnType>>): SchemaSnapshot {
  return new Map(Object.entries(tables).map(([table, columns]) => [table, new Map(Object.entries(columns))]));
}

function track(properties: Record<string, unknown>, id = 'm1'): string {
  return JSON.stringify({ rows: [{ table: 'product_added', write: 'insert', values: { id, ...properties } }] });
}

const productAdded = { id: 'text', received_at: 'timestamp', sent_at: 'timestamp' } as const;

describe('schema evolution', () => {
  it('creates the tables of a first order with Segment\'s column types, in the order a merchant reads them', () => {
    const plan = planBatch(new Map(), storedEvents(), pg, loadedAt, 1000);
    const orderTable = plan.ddl.map(({ sql }) => sql).find((sql) => sql.includes('"order_completed"'));
    expect(orderTable).toBe('CREATE TABLE IF NOT EXISTS "shop_wh"."order_completed" ("id" TEXT NOT NULL PRIMARY KEY, '
      + '"received_at" TIMESTAMPTZ, "sent_at" TIMESTAMPTZ, "user_id" TEXT, "anonymous_id" TEXT, "event" TEXT, "event_text" TEXT, "timestamp" TIMESTAMPTZ, '
      + '"original_timestamp" TIMESTAMPTZ, "context_integration_name" TEXT, "order_id" TEXT, "email" TEXT, "total" DOUBLE PRECISION, '
      + '"subtotal" DOUBLE PRECISION, "revenue" DOUBLE PRECISION, "shipping" BIGINT, "tax" BIGINT, "discount" BIGINT, "currency" TEXT, '
      + '"presentment_currency" TEXT, "presentment_total" DOUBLE PRECISION, "payment_method" TEXT, "shipping_method" TEXT, "products" TEXT)');
    expect(plan.ddl.map(({ sql }) => sql).map((sql) => sql.match(/"shop_wh"\."(\w+)"/)?.[1])).toStrictEqual(['identifies', 'users', 'tracks', 'order_completed']);
    expect(plan.snapshot.get('users')?.get('verified_email')).toBe('boolean');
  });

  it('declares the same tables in SQLite\'s types', () => {
    const plan = planBatch(new Map(), storedEvents(), sqliteDialect, loadedAt, 1000);
    expect(plan.ddl.map(({ sql }) => sql).find((sql) => sql.includes('"users"'))).toBe('CREATE TABLE IF NOT EXISTS "users" ("id" TEXT NOT NULL PRIMARY KEY, '
      + '"received_at" TEXT, "timestamp" TEXT, "email" TEXT, "first_name" TEXT, "last_name" TEXT, "address_street" TEXT, "address_city" TEXT, '
      + '"address_state" TEXT, "address_postal_code" TEXT, "address_country" TEXT, "state" TEXT, "verified_email" INTEGER)');
  });

  it('needs no DDL once the tables exist', () => {
    const first = planBatch(new Map(), storedEvents(), pg, loadedAt, 1000);
    expect(planBatch(first.snapshot, storedEvents(), pg, loadedAt, 1000).ddl.map(({ sql }) => sql)).toStrictEqual([]);
  });

  it('adds a column for a new property, IF NOT EXISTS on PostgreSQL since another process may race us', () => {
    const snapshot = snapshotOf({ product_added: { ...productAdded, price: 'double' } });
    expect(planBatch(snapshot, [track({ price: 5, gift_note: 'hi' })], pg, loadedAt, 1000).ddl.map(({ sql }) => sql))
      .toStrictEqual(['ALTER TABLE "shop_wh"."product_added" ADD COLUMN IF NOT EXISTS "gift_note" TEXT']);
    expect(planBatch(snapshot, [track({ price: 5, gift_note: 'hi' })], sqliteDialect, loadedAt, 1000).ddl.map(({ sql }) => sql))
      .toStrictEqual(['ALTER TABLE "product_added" ADD COLUMN "gift_note" TEXT']);
  });

  it('widens an integer column that sees a fraction to double instead of losing the cents (SQLite keeps it as is)', () => {
    const snapshot = snapshotOf({ product_added: { ...productAdded, price: 'bigint' } });
    const plan = planBatch(snapshot, [track({ price: 19.99 })], pg, loadedAt, 1000);
    expect(plan.ddl.map(({ sql }) => sql)).toStrictEqual(['ALTER TABLE "shop_wh"."product_added" ALTER COLUMN "price" TYPE DOUBLE PRECISION']);
    expect(plan.snapshot.get('product_added')?.get('price')).toBe('double');
    expect(planBatch(snapshot, [track({ price: 19.99 })], sqliteDialect, loadedAt, 1000).ddl.map(({ sql }) => sql)).toStrictEqual([]);
  });

  it('keeps a column the database would not widen as it is, writing the fraction as NULL', () => {
    const snapshot = snapshotOf({ product_added: { ...productAdded, price: 'bigint' } });
    const plan = planBatch(snapshot, [track({ price: 19.99, sku: 'A' })], pg, loadedAt, 1000, new Set(['product_added.price']));
    expect(plan.ddl).toStrictEqual([{ sql: 'ALTER TABLE "shop_wh"."product_added" ADD COLUMN IF NOT EXISTS "sku" TEXT', change: expect.anything() }]);
    expect(plan.events[0]).toMatchObject({ kind: 'write', rows: [{ columns: ['id', 'received_at', 'sent_at', 'sku'] }] });
  });

  it('widens for a fraction among other values of the batch, a numeric string included', () => {
    const snapshot = snapshotOf({ product_added: { ...productAdded, price: 'bigint' } });
    for (const prices of [[9.99, 'n/a'], ['n/a', '12.50']]) {
      const plan = planBatch(snapshot, prices.map((price, n) => track({ price }, `m${n}`)), pg, loadedAt, 1000);
      expect(plan.ddl.map(({ sql }) => sql)).toStrictEqual(['ALTER TABLE "shop_wh"."product_added" ALTER COLUMN "price" TYPE DOUBLE PRECISION']);
    }
    expect(planBatch(snapshot, [track({ price: '12' })], pg, loadedAt, 1000).ddl.map(({ sql }) => sql)).toStrictEqual([]);
  });

  it('types a new column seen with an integer and a fraction in one batch as double', () => {
    const plan = planBatch(new Map(), [track({ price: 20 }, 'a'), track({ price: 19.99 }, 'b')], pg, loadedAt, 1000);
    expect(plan.snapshot.get('product_added')?.get('price')).toBe('double');
  });

  it('keeps an existing column\'s type and coerces values into it, leaving out what cannot be converted', () => {
    const snapshot = snapshotOf({ product_added: { ...productAdded, price: 'double', sku: 'text' } });
    const plan = planBatch(snapshot, [track({ price: '19.99', sku: 123 }, 'a'), track({ price: 'n/a', sku: 'X' }, 'b')], pg, loadedAt, 1000);
    expect(plan.ddl.map(({ sql }) => sql)).toStrictEqual([]);
    expect(plan.events.map((event) => (event.kind === 'write' ? event.rows[0]?.params : event.reason))).toStrictEqual([
      ['a', loadedAt, loadedAt, 19.99, '123'],
      ['b', loadedAt, loadedAt, 'X'],
    ]);
  });

  it('stops adding columns to a table at maxColumns, dropping those values', () => {
    const snapshot = snapshotOf({ product_added: { ...productAdded, a: 'text' } });
    const plan = planBatch(snapshot, [track({ a: 'x', b: 'y', c: 'z' })], sqliteDialect, loadedAt, 5);
    expect(plan.ddl.map(({ sql }) => sql)).toStrictEqual(['ALTER TABLE "product_added" ADD COLUMN "b" TEXT']);
    expect(plan.events[0]).toMatchObject({ kind: 'write', rows: [{ columns: ['id', 'received_at', 'sent_at', 'a', 'b'], params: ['m1', loadedAt, loadedAt, 'x', 'y'] }] });
  });

  it('never writes to a table of that name that is not a warehouse table (the store\'s outbox), failing only that event', () => {
    const snapshot = snapshotOf({ outbox: { id: 'bigint', received_at: 'bigint', payload: 'text' } });
    const outbox = JSON.stringify({ rows: [{ table: 'outbox', write: 'insert', values: { id: 'm2', x: 1 } }] });
    const plan = planBatch(snapshot, [track({ a: 1 }), outbox], sqliteDialect, loadedAt, 1000);
    expect(plan.events[1]).toStrictEqual({
      kind: 'refused', reason: 'table outbox exists and is not a warehouse table (no text id and received_at), so it is left alone',
    });
    expect(plan.events[0]?.kind).toBe('write');
    expect(plan.ddl.map(({ sql }) => sql).some((sql) => sql.includes('outbox'))).toBe(false);
  });

  it('refuses a stored event whose names are not identifiers, before any SQL is built from it', () => {
    const evil = JSON.stringify({ rows: [{ table: 'tracks"; DROP TABLE users; --', write: 'insert', values: { id: 'x' } }] });
    const plan = planBatch(new Map(), [evil, '{oops', track({ 'a b': 1 })], sqliteDialect, loadedAt, 1000);
    expect(plan.events.map((event) => event.kind)).toStrictEqual(['refused', 'refused', 'refused']);
    expect(plan.events[0]).toMatchObject({ reason: expect.stringMatching(/^not a writable warehouse event: rows\.0\.table: must be a lower-case identifier/) });
    expect(plan.events[1]).toMatchObject({ reason: expect.stringMatching(/^not a warehouse event: /) });
    expect(plan.events[2]).toMatchObject({ reason: expect.stringMatching(/rows\.0\.values\.a b: must be a lower-case identifier/) });
    expect(plan.ddl.map(({ sql }) => sql)).toStrictEqual([]);
  });

  it('builds the users upsert so an older identify only fills empty columns', () => {
    const identify = JSON.stringify({ rows: [{ table: 'users', write: 'merge', values: { id: 'u1', timestamp: '2024-01-01T00:00:00.000Z', plan: 'pro' } }] });
    const plan = planBatch(new Map(), [identify], sqliteDialect, loadedAt, 1000);
    const newer = '"stored"."timestamp" IS NULL OR excluded."timestamp" >= "stored"."timestamp"';
    const event = plan.events[0];
    expect(event?.kind === 'write' ? event.rows.map((row) => rowStatement(row, sqliteDialect)) : event).toStrictEqual([{
      sql: 'INSERT INTO "users" AS "stored" ("id", "received_at", "timestamp", "plan") VALUES (?, ?, ?, ?) ON CONFLICT ("id") DO UPDATE SET '
        + `"received_at" = CASE WHEN ${newer} THEN excluded."received_at" ELSE COALESCE("stored"."received_at", excluded."received_at") END, `
        + `"timestamp" = CASE WHEN ${newer} THEN excluded."timestamp" ELSE COALESCE("stored"."timestamp", excluded."timestamp") END, `
        + `"plan" = CASE WHEN ${newer} THEN excluded."plan" ELSE COALESCE("stored"."plan", excluded."plan") END`,
      params: ['u1', loadedAt, '2024-01-01T00:00:00.000Z', 'pro'],
    }]);
  });

  it('writes a batch in one multi-row INSERT per table and column list, then the users upserts in order', () => {
    const identify = (id: string, plan: string) =>
      JSON.stringify({ rows: [{ table: 'users', write: 'merge', values: { id: 'u1', timestamp: `2024-01-0${id}T00:00:00.000Z`, plan } }] });
    const plan = planBatch(new Map(), [track({ sku: 'A' }, 'a'), identify('1', 'free'), track({ sku: 'B' }, 'b'), identify('2', 'pro'), track({}, 'c')], pg, loadedAt, 1000);
    const statements = batchStatements(plan.events.flatMap((event) => (event.kind === 'write' ? event.rows : [])), pg);
    expect(statements.map((statement) => statement.sql.replace(/ ON CONFLICT .*/, ''))).toStrictEqual([
      'INSERT INTO "shop_wh"."product_added" AS "stored" ("id", "received_at", "sent_at", "sku") VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)',
      'INSERT INTO "shop_wh"."product_added" AS "stored" ("id", "received_at", "sent_at") VALUES ($1, $2, $3)',
      'INSERT INTO "shop_wh"."users" AS "stored" ("id", "received_at", "timestamp", "plan") VALUES ($1, $2, $3, $4)',
      'INSERT INTO "shop_wh"."users" AS "stored" ("id", "received_at", "timestamp", "plan") VALUES ($1, $2, $3, $4)',
    ]);
    expect(statements.map((statement) => statement.params.at(-1))).toStrictEqual(['B', loadedAt, 'free', 'pro']);
    expect(statements[0]?.sql).toMatch(/ ON CONFLICT \("id"\) DO NOTHING$/);
  });

  it('splits a very wide batch so no statement passes PostgreSQL\'s parameter limit', () => {
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, n) => [`p${n}`, n]));
    const plan = planBatch(new Map(), Array.from({ length: 700 }, (_, n) => track(wide, `m${n}`)), pg, loadedAt, 1000);
    const statements = batchStatements(plan.events.flatMap((event) => (event.kind === 'write' ? event.rows : [])), pg);
    const sizes = statements.map((statement) => statement.params.length);
    expect(sizes).toHaveLength(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(30_000);
    expect(sizes.reduce((sum, n) => sum + n, 0)).toBe(700 * 103); // id, received_at, sent_at and 100 properties
  });

  it('reports nothing to change for rows that fit', () => {
    const snapshot = snapshotOf({ t: { id: 'text', n: 'double' } });
    expect(evolveSchema(snapshot, [{ table: 't', write: 'insert', values: { id: 'x', n: 1 } }], { maxColumns: 1000, keepInteger: new Set() }).changes).toStrictEqual([]);
  });
});
