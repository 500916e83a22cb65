// End-to-end orders/s on PostgreSQL next to SQLite, in one run: signed orders/create webhooks in, Identify + Order
// Completed out at the local Segment sink. SQLite: one `cartstream start --role all` process (ingest + processing
// thread). PostgreSQL (a fresh schema per shape, dropped afterwards): one `--role all` process; two `--role all`
// processes sharing the work by claiming rows, the webhooks split between them as a load balancer would; and one
// `--role ingest` process taking every webhook while two `--role worker` processes map and deliver.
// Part of `npm run bench`; alone: node --disable-warning=ExperimentalWarning bench/postgres-end-to-end.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSegmentSink, type SegmentSink } from '../src/local-sink/segment-sink.ts';
import { postgresUnavailableReason, testPostgresUrl, testSchema } from '../src/store/postgres/postgres-test-database.ts';
import {
  benchScale, benchWriteKey, f, ordersAtSink, sendOrders, startCartstream, waitForOrdersAtSink, type RunningCartstream,
} from './cartstream-fleet.ts';

/** The roles of the processes of one shape; webhooks go to those that serve HTTP (all but workers). */
type Shape = readonly ('all' | 'ingest' | 'worker')[];

export interface EndToEndRun {
  shape: Shape;
  orders: number;
  ordersPerSecond: number;
  /** Webhooks/s the processes acknowledged while they also processed and delivered. */
  ingestPerSecond: number;
  /** Every order reached the sink, each Order Completed exactly once. */
  exact: boolean;
  peakRssMb: number;
}

export interface PostgresEndToEndBench {
  sqlite: EndToEndRun;
  postgres: { one: EndToEndRun; two: EndToEndRun; ingestAndWorkers: EndToEndRun } | { skipped: string };
}

function exactlyOnce(sink: SegmentSink, orders: number): boolean {
  const counts = new Map<string, number>();
  for (const { event, messageId } of sink.received()) {
    if (event.event === 'Order Completed') counts.set(messageId, (counts.get(messageId) ?? 0) + 1);
  }
  return counts.size === orders && [...counts.values()].every((n) => n === 1);
}

/** Sends `orders` webhooks split evenly over `urls` (all at once) and waits until every order is at the sink. */
async function ordersThrough(urls: string[], sink: SegmentSink, orders: number): Promise<{ ordersPerSecond: number; ingestPerSecond: number }> {
  const before = ordersAtSink(sink);
  const shares = urls.map((_, i) => Math.floor(orders / urls.length) + (i < orders % urls.length ? 1 : 0));
  const results = await Promise.all(urls.map((url, i) => sendOrders(url, shares[i]!, Math.ceil(32 / urls.length))));
  // From the first request of any generator (each prepares its signed bodies before it starts the clock).
  const started = Math.min(...results.map((r) => r.startedAt));
  const acknowledgedAt = Math.max(...results.map((r) => r.startedAt + r.elapsedMs));
  const doneAt = await waitForOrdersAtSink(sink, before + orders, 300_000);
  return { ordersPerSecond: (orders / (doneAt - started)) * 1000, ingestPerSecond: (orders / (acknowledgedAt - started)) * 1000 };
}

/** Starts the shape's processes on `db`, one after the other (so only the first migrates), and measures. */
async function measure(db: string, shape: Shape, orders: number): Promise<EndToEndRun> {
  const sink = await startSegmentSink({ writeKey: benchWriteKey });
  const fleet: RunningCartstream[] = [];
  try {
    for (const role of shape) fleet.push(await startCartstream({ db, role, sink }));
    const urls = fleet.flatMap((process) => (process.url === undefined ? [] : [process.url]));
    const warmUp = Math.max(200, Math.round(orders / 10));
    await ordersThrough(urls, sink, warmUp);
    const rates = await ordersThrough(urls, sink, orders);
    const peakRssMb = Math.max(...fleet.map((process) => process.peakRssMb()));
    return { shape, orders, ...rates, exact: exactlyOnce(sink, warmUp + orders), peakRssMb };
  } finally {
    await Promise.all(fleet.map((process) => process.stop()));
    await sink.close();
  }
}

/** The same measure on a throwaway schema of the test server, dropped afterwards. */
async function measurePostgres(shape: Shape, orders: number): Promise<EndToEndRun> {
  const schema = testSchema('bench_e2e');
  const url = new URL(testPostgresUrl);
  url.searchParams.set('schema', schema.name);
  try {
    return await measure(url.toString(), shape, orders);
  } finally {
    await schema.drop();
  }
}

/** SQLite under `dir`, then the PostgreSQL shapes (skipped, with the reason, when no server answers). */
export async function benchPostgresEndToEnd(dir: string, orders = 4_000): Promise<PostgresEndToEndBench> {
  const sqlite = await measure(join(dir, 'e2e-engines.db'), ['all'], orders);
  const unavailable = await postgresUnavailableReason();
  if (unavailable !== null) return { sqlite, postgres: { skipped: unavailable } };
  const one = await measurePostgres(['all'], orders);
  const two = await measurePostgres(['all', 'all'], orders);
  const ingestAndWorkers = await measurePostgres(['ingest', 'worker', 'worker'], orders);
  return { sqlite, postgres: { one, two, ingestAndWorkers } };
}

const exactNote = (run: EndToEndRun) => (run.exact ? 'every order once' : 'NOT every order exactly once');

/** The section's rows of the bench table. */
export function postgresEndToEndRows(bench: PostgresEndToEndBench): string[] {
  const { sqlite } = bench;
  const row = (label: string, run: EndToEndRun) =>
    `| end-to-end orders/s, ${label} (${f(run.orders)} orders; acknowledged ${f(run.ingestPerSecond)}/s; ${exactNote(run)}; peak RSS ${f(run.peakRssMb)} MB) | ${f(run.ordersPerSecond)} | SQLite, 1 process: ${f(sqlite.ordersPerSecond)} | — | |`;
  if ('skipped' in bench.postgres) return [row('SQLite, 1 process', sqlite), `| end-to-end orders/s, PostgreSQL | skipped: ${bench.postgres.skipped} | | | |`];
  const { one, two, ingestAndWorkers } = bench.postgres;
  return [
    row('SQLite, 1 process', sqlite), row('PostgreSQL, 1 process', one), row('PostgreSQL, 2 processes', two),
    row('PostgreSQL, 1 ingest + 2 worker processes', ingestAndWorkers),
  ];
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), 'cartstream-bench-pg-'));
  try {
    const bench = await benchPostgresEndToEnd(dir, Math.round(4_000 * benchScale));
    for (const line of postgresEndToEndRows(bench)) console.log(line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
