// Warehouse rows/s: Order Completed events (a tracks row and an order_completed row each, Shopify's orders/create
// sample) written by the warehouse destination in batches of 500, into SQLite and — when one answers — PostgreSQL.
// Part of `npm run bench`; alone: node --disable-warning=ExperimentalWarning bench/warehouse-rows.ts
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Destination } from '../src/destinations/destination.ts';
import { createWarehouseDestination, warehouseSettingsSchema } from '../src/destinations/warehouse/index.ts';
import { contextFor, mappedMessages, sampleBody } from '../src/mapping/samples-for-tests.ts';
import { topicCatalog } from '../src/mapping/topic-mappers.ts';
import { postgresUnavailableReason, testPostgresUrl } from '../src/store/postgres/postgres-test-database.ts';

export interface WarehouseRate { events: number; rows: number; seconds: number; rowsPerSecond: number }
export interface WarehouseBench { sqlite: WarehouseRate; postgres: WarehouseRate | { skipped: string } }

const batchSize = 500;

/** `count` distinct Order Completed payloads as the outbox holds them for the warehouse. */
function payloads(destination: Destination, count: number): string[] {
  const messages = mappedMessages(topicCatalog.get('orders/create')!.mapper(sampleBody('orders_create.json'), contextFor('orders/create')));
  const order = messages.find((message) => message.event === 'Order Completed')!;
  return Array.from({ length: count }, (_, n) => {
    const result = destination.transform({ ...order, messageId: `bench-${n}`, properties: { ...order.properties, order_id: String(n) } });
    if (result.kind !== 'event') throw new Error(result.reason);
    return result.json;
  });
}

async function measure(db: string, count: number): Promise<WarehouseRate> {
  const destination = createWarehouseDestination({ ...warehouseSettingsSchema.parse({}), db });
  const events = payloads(destination, count);
  const signal = new AbortController().signal;
  await destination.send(events.slice(0, 1), signal); // creates the tables, so DDL is not timed
  const started = performance.now();
  for (let at = 1; at < events.length; at += batchSize) {
    const result = await destination.send(events.slice(at, at + batchSize), signal);
    if (result.scope === 'batch') throw new Error(`warehouse batch failed: ${JSON.stringify(result.outcome)}`);
  }
  const seconds = (performance.now() - started) / 1000;
  await destination.close?.();
  const rows = (events.length - 1) * 2;
  return { events: events.length - 1, rows, seconds, rowsPerSecond: rows / seconds };
}

async function measurePostgres(count: number): Promise<WarehouseRate | { skipped: string }> {
  const unavailable = await postgresUnavailableReason();
  if (unavailable !== null) return { skipped: unavailable };
  const schema = `bench_warehouse_${randomBytes(4).toString('hex')}`;
  const url = new URL(testPostgresUrl);
  url.searchParams.set('schema', schema);
  try {
    return await measure(url.toString(), count);
  } finally {
    const client = new pg.Client({ connectionString: testPostgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

/** Writes `count` events into a fresh SQLite file under `dir` and a throwaway PostgreSQL schema. */
export async function benchWarehouseRows(dir: string, count = 10_000): Promise<WarehouseBench> {
  const sqlite = await measure(join(dir, 'warehouse.db'), count);
  return { sqlite, postgres: await measurePostgres(count) };
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), 'cartstream-bench-warehouse-'));
  try {
    console.log(JSON.stringify(await benchWarehouseRows(dir, Math.round(10_000 * Number(process.env.BENCH_SCALE ?? 1)))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
