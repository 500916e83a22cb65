// End-to-end orders/s on PostgreSQL next to SQLite, in one run: signed orders/create webhooks in, Identify + Order
// Completed out at the local Segment sink. SQLite: one `cartstream start` process. PostgreSQL (a fresh schema per
// shape, dropped afterwards): one process, then two processes sharing the work by claiming rows, the webhooks
// alternated between them as a load balancer would. Every process is `--role all` (ingest + processing thread).
// Part of `npm run bench`; alone: node --disable-warning=ExperimentalWarning bench/postgres-end-to-end.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSegmentSink, type SegmentSink } from '../src/local-sink/segment-sink.ts';
import { postgresUnavailableReason, testPostgresUrl, testSchema } from '../src/store/postgres/postgres-test-database.ts';
import {
  benchScale, benchWriteKey, f, ordersAtSink, sendOrders, startCartstream, waitForOrdersAtSink, type RunningCartstream,
} from './cartstream-fleet.ts';

export interface EndToEndRun {
  processes: number;
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
  postgres: { one: EndToEndRun; two: EndToEndRun } | { skipped: string };
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

/** Starts `processes` cartstream processes on `db`, one after the other (so only the first migrates), and measures. */
async function measure(db: string, processes: number, orders: number): Promise<EndToEndRun> {
  const sink = await startSegmentSink({ writeKey: benchWriteKey });
  const fleet: RunningCartstream[] = [];
  try {
    for (let i = 0; i < processes; i++) fleet.push(await startCartstream({ db, role: 'all', sink }));
    const urls = fleet.map((process) => process.url!);
    const warmUp = Math.max(200, Math.round(orders / 10));
    await ordersThrough(urls, sink, warmUp);
    const rates = await ordersThrough(urls, sink, orders);
    const peakRssMb = Math.max(...fleet.map((process) => process.peakRssMb()));
    return { processes, orders, ...rates, exact: exactlyOnce(sink, warmUp + orders), peakRssMb };
  } finally {
    await Promise.all(fleet.map((process) => process.stop()));
    await sink.close();
  }
}

/** The same measure on a throwaway schema of the test server, dropped afterwards. */
async function measurePostgres(processes: number, orders: number): Promise<EndToEndRun> {
  const schema = testSchema('bench_e2e');
  const url = new URL(testPostgresUrl);
  url.searchParams.set('schema', schema.name);
  try {
    return await measure(url.toString(), processes, orders);
  } finally {
    await schema.drop();
  }
}

/** SQLite under `dir`, then PostgreSQL with one and two processes (skipped, with the reason, when no server answers). */
export async function benchPostgresEndToEnd(dir: string, orders = 4_000): Promise<PostgresEndToEndBench> {
  const sqlite = await measure(join(dir, 'e2e-engines.db'), 1, orders);
  const unavailable = await postgresUnavailableReason();
  if (unavailable !== null) return { sqlite, postgres: { skipped: unavailable } };
  const one = await measurePostgres(1, orders);
  const two = await measurePostgres(2, orders);
  return { sqlite, postgres: { one, two } };
}

const exactNote = (run: EndToEndRun) => (run.exact ? 'every order once' : 'NOT every order exactly once');

/** The section's rows of the bench table. */
export function postgresEndToEndRows(bench: PostgresEndToEndBench): string[] {
  const { sqlite } = bench;
  const row = (label: string, run: EndToEndRun) =>
    `| end-to-end orders/s, ${label} (${f(run.orders)} orders; acknowledged ${f(run.ingestPerSecond)}/s; ${exactNote(run)}; peak RSS ${f(run.peakRssMb)} MB) | ${f(run.ordersPerSecond)} | SQLite, 1 process: ${f(sqlite.ordersPerSecond)} | — | |`;
  if ('skipped' in bench.postgres) return [row('SQLite, 1 process', sqlite), `| end-to-end orders/s, PostgreSQL | skipped: ${bench.postgres.skipped} | | | |`];
  return [row('SQLite, 1 process', sqlite), row('PostgreSQL, 1 process', bench.postgres.one), row('PostgreSQL, 2 processes', bench.postgres.two)];
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
