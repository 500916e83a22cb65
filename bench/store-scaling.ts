// How ingest, end to end and the operator's queries scale with the history in the store: one SQLite file measured
// empty, then pre-filled (bench/fill-store.ts) to 10,000 and 100,000 delivered orders — and 1,000,000 with
// BENCH_SCALING=full (≈ 17 KB of disk per order: ≈ 17 GB). At each level: ingest webhooks/s (`--role ingest`),
// end-to-end orders/s (`--role all`, local Segment sink) and the admin API's answer time for the status and report
// queries the console makes, each next to the same figure on the empty store of the same run.
// Part of `npm run bench`; alone: node --disable-warning=ExperimentalWarning bench/store-scaling.ts
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSegmentSink, type SegmentSink } from '../src/local-sink/segment-sink.ts';
import {
  adminGet, benchScale, benchWriteKey, f, ordersAtSink, sendOrders, startCartstream, waitForOrdersAtSink,
} from './cartstream-fleet.ts';
import { fillDeliveredHistory, probeCustomer, type FillResult } from './fill-store.ts';

const hour = 3_600_000;

/**
 * The admin API calls the console's views make, by what they show. The accuracy report covers the last 24 hours of
 * the filled history (which ends an hour before the section started), so the bench's own orders stay out of it.
 */
function queries(historyEnd: number, customer: string): Record<string, string> {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    status: '/status',
    queues: '/queues',
    'events (newest 50)': '/events?limit=50',
    'accuracy (24 h of history)': `/accuracy?since=${iso(historyEnd - 24 * hour)}&until=${iso(historyEnd)}`,
    'timeseries (60 min)': '/timeseries?minutes=60',
    'customer journey': `/customers/${encodeURIComponent(customer)}/journey`,
  };
}

export interface ScalingLevel {
  storedOrders: number;
  fill: FillResult | null;
  fileMb: number;
  ingestPerSecond: number;
  ordersPerSecond: number;
  /** Median answer time in ms of three calls, by query. */
  queryMs: Record<string, number>;
}

/** Stored orders at each level; 1,000,000 only with BENCH_SCALING=full. */
export const scalingLevels = (full = process.env.BENCH_SCALING === 'full') => [0, 10_000, 100_000, ...(full ? [1_000_000] : [])];

function fileMb(file: string): number {
  const size = (path: string) => { try { return statSync(path).size; } catch { return 0; } };
  return (size(file) + size(`${file}-wal`)) / 1024 / 1024;
}

async function medianMs(url: string, path: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push((await adminGet(url, path)).ms);
  return times.sort((a, b) => a - b)[1]!;
}

async function measureIngest(db: string, sink: SegmentSink, count: number): Promise<number> {
  const ingest = await startCartstream({ db, role: 'ingest', sink });
  try {
    return (await sendOrders(ingest.url!, count)).perSecond;
  } finally {
    await ingest.stop();
  }
}

/**
 * End to end, then the queries on the same (now idle) process. The orders the ingest run left unprocessed are
 * drained first (`alreadySent` counts every order sent to this store), so they do not count as measured ones.
 */
async function measureEndToEndAndQueries(db: string, sink: SegmentSink, count: number, alreadySent: number, historyEnd: number) {
  const all = await startCartstream({ db, role: 'all', sink });
  try {
    const before = await waitForOrdersAtSink(sink, alreadySent, 300_000).then(() => ordersAtSink(sink));
    const sent = await sendOrders(all.url!, count);
    const doneAt = await waitForOrdersAtSink(sink, before + count, 300_000);
    const queryMs: Record<string, number> = {};
    for (const [name, path] of Object.entries(queries(historyEnd, probeCustomer(db)))) queryMs[name] = await medianMs(all.url!, path);
    return { ordersPerSecond: (count * 1000) / (doneAt - sent.startedAt), queryMs };
  } finally {
    await all.stop();
  }
}

/** The empty store first (one order sent and delivered, the template of the fill), then each level. */
export async function benchStoreScaling(dir: string, orders = 2_000, levels = scalingLevels()): Promise<ScalingLevel[]> {
  const db = join(dir, 'scaling.db');
  const sink = await startSegmentSink({ writeKey: benchWriteKey });
  const measured: ScalingLevel[] = [];
  const historyEnd = Date.now() - hour;
  try {
    for (const storedOrders of levels) {
      // The ingest and end-to-end runs add their own orders: fill up to the level counting only the copies.
      const fill = storedOrders === 0 ? null : fillDeliveredHistory(db, storedOrders, historyEnd);
      const ingestPerSecond = await measureIngest(db, sink, orders);
      const endToEnd = await measureEndToEndAndQueries(db, sink, orders, ordersAtSink(sink) + orders, historyEnd);
      measured.push({ storedOrders, fill, fileMb: fileMb(db), ingestPerSecond, ...endToEnd });
    }
    return measured;
  } finally {
    await sink.close();
  }
}

/** The section's rows of the bench table: each level next to the empty store. */
export function storeScalingRows(levels: ScalingLevel[]): string[] {
  const [empty, ...filled] = levels;
  if (!empty) return [];
  return filled.flatMap((level) => {
    const at = `with ${f(level.storedOrders)} delivered orders stored (SQLite, ${f(level.fileMb)} MB)`;
    const queryCells = Object.keys(level.queryMs).map((name) =>
      `| admin API ${name}, ms ${at} | ${f(level.queryMs[name]!, 1)} | empty store: ${f(empty.queryMs[name]!, 1)} | — | |`);
    return [
      `| ingest webhooks/s ${at}; filled in ${f(level.fill?.seconds ?? 0, 1)} s | ${f(level.ingestPerSecond)} | empty store: ${f(empty.ingestPerSecond)} | — | |`,
      `| end-to-end orders/s ${at} | ${f(level.ordersPerSecond)} | empty store: ${f(empty.ordersPerSecond)} | — | |`,
      ...queryCells,
    ];
  });
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), 'cartstream-bench-scaling-'));
  try {
    const levels = await benchStoreScaling(dir, Math.round(2_000 * benchScale));
    for (const line of storeScalingRows(levels)) console.log(line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
