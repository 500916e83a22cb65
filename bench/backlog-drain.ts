// Backlog drain after an outage: Segment (the local sink) answers every request 503 while N orders arrive; cartstream
// (one `--role all` process on SQLite) acknowledges and maps them, and their events wait in the outbox, retried with
// backoff. Then the sink recovers: how fast the backlog reaches it (events/s from the recovery to the last event, and
// the best second), next to the same process delivering N new orders to a healthy sink.
// Part of `npm run bench`; alone: node --disable-warning=ExperimentalWarning bench/backlog-drain.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSegmentSink } from '../src/local-sink/segment-sink.ts';
import type { StoreCounts } from '../src/store/store.ts';
import { drainRate, peakSecondRate } from '../soak/invariants.ts';
import { adminGet, benchScale, benchWriteKey, f, ordersAtSink, sendOrders, startCartstream, waitForOrdersAtSink } from './cartstream-fleet.ts';

export interface BacklogDrainBench {
  orders: number;
  outageSeconds: number;
  /** Outbox rows waiting when the sink recovered. */
  backlog: number;
  /** Delivery attempts the sink refused during the outage. */
  refusedRequests: number;
  drain: { events: number; seconds: number; perSecond: number; peakSecond: number };
  /** The same process, the same number of new orders, sink healthy: events/s from first request to last event. */
  healthyEventsPerSecond: number;
}

/** Polls the admin API until every webhook is mapped and `events` outbox rows wait; returns the counts. */
async function waitForBacklog(url: string, events: number, timeoutMs: number): Promise<StoreCounts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await adminGet<StoreCounts>(url, '/status');
    if (body.inbox.pending === 0 && body.outbox.pending >= events) return body;
    if (Date.now() > deadline) throw new Error(`backlog not built in time: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs the outage and the drain on a fresh SQLite file under `dir`; `outageMs` is the least the outage lasts. */
export async function benchBacklogDrain(dir: string, orders = 4_000, outageMs = 10_000): Promise<BacklogDrainBench> {
  const sink = await startSegmentSink({ writeKey: benchWriteKey, faults: { rules: [{ action: { kind: 'status', status: 503 } }] } });
  const cartstream = await startCartstream({ db: join(dir, 'backlog-drain.db'), role: 'all', sink });
  try {
    const url = cartstream.url!;
    const outageStarted = Date.now();
    await sendOrders(url, orders);
    const counts = await waitForBacklog(url, 2 * orders, 300_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageStarted + outageMs - Date.now())));
    const refusedRequests = sink.stats().faults;
    sink.setFaults(null);
    const recoveredAt = Date.now();
    await waitForOrdersAtSink(sink, orders, 600_000);
    const drain = { ...drainRate(sink, recoveredAt), peakSecond: peakSecondRate(sink, recoveredAt) };
    const before = ordersAtSink(sink);
    const healthy = await sendOrders(url, orders);
    const doneAt = await waitForOrdersAtSink(sink, before + orders, 300_000);
    return {
      orders, outageSeconds: (recoveredAt - outageStarted) / 1000, backlog: counts.outbox.pending, refusedRequests, drain,
      healthyEventsPerSecond: (2 * orders * 1000) / (doneAt - healthy.startedAt),
    };
  } finally {
    await cartstream.stop();
    await sink.close();
  }
}

/** The section's rows of the bench table. */
export function backlogDrainRows(bench: BacklogDrainBench): string[] {
  const { drain } = bench;
  return [
    `| backlog drain after a ${f(bench.outageSeconds)} s Segment outage (503 to all ${f(bench.refusedRequests)} attempts; ${f(bench.orders)} orders, ${f(bench.backlog)} events waiting; SQLite): ${f(drain.events)} events in ${f(drain.seconds, 1)} s, events/s | ${f(drain.perSecond)} (best second ${f(drain.peakSecond)}) | healthy sink, same process, ${f(bench.orders)} new orders: ${f(bench.healthyEventsPerSecond)} events/s end to end | — | |`,
  ];
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), 'cartstream-bench-drain-'));
  try {
    for (const line of backlogDrainRows(await benchBacklogDrain(dir, Math.round(4_000 * benchScale)))) console.log(line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
