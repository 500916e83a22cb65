// `npm run bench`: ingest vs a bare HTTP server, p99 acknowledgement latency at 2,000/s, end-to-end orders/s
// into the local Segment sink, and peak RSS — each figure next to its target, in one run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSegmentSink, type SegmentSink } from '../src/local-sink/segment-sink.ts';
import { backlogDrainRows, benchBacklogDrain } from './backlog-drain.ts';
import { benchPostgresEndToEnd, postgresEndToEndRows } from './postgres-end-to-end.ts';
import { benchMappingThroughput, type TopicThroughput } from './mapping-throughput.ts';
import { freePort, killOnExit, peakRssMb, runJsonProcess, stop, waitForOk } from './processes.ts';
import { benchStitchRate } from './stitch-rate.ts';
import { benchStoreScaling, storeScalingRows } from './store-scaling.ts';
import { benchTikTokDelivery } from './tiktok-delivery.ts';
import { benchWarehouseRows, type WarehouseBench } from './warehouse-rows.ts';

interface LoadResult {
  count: number; startedAt: number; elapsedMs: number; perSecond: number; p50: number; p99: number; max: number;
  bodyBytes: number; statuses: Record<string, number>;
}

const shop = 'bench-store.myshopify.com';
const secret = 'bench-secret';
const writeKey = 'bench-write-key';
const scale = Number(process.env.BENCH_SCALE ?? 1);
const maxCount = Math.round(20_000 * scale);
const rateSeconds = 10;
const here = (path: string) => new URL(path, import.meta.url).pathname;

let nextOrder = 0;
async function load(url: string, count: number, concurrency: number, ratePerSecond?: number): Promise<LoadResult> {
  const plan = { url, shop, secret, count, firstOrder: nextOrder, concurrency, ratePerSecond };
  nextOrder += count;
  const { firstLine } = runJsonProcess<LoadResult>(here('./load-generator.ts'), [JSON.stringify(plan)]);
  return firstLine;
}

async function startCartstream(role: string, sink: SegmentSink, dir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  // Started as `npx cartstream start` would be: the executable with its shebang's heap flags.
  const child = killOnExit(spawn(here('../bin/cartstream.js'), ['start'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', CARTSTREAM_DB: join(dir, `${role}.db`), CARTSTREAM_ROLE: role,
      SHOPIFY_SHOP_DOMAIN: shop, SHOPIFY_WEBHOOK_SECRET: secret, SEGMENT_WRITE_KEY: writeKey,
      SEGMENT_ENDPOINT: sink.url, LOG_LEVEL: 'warn',
    },
  }));
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/readyz`);
  return { child, url };
}

async function benchBare(): Promise<{ max: LoadResult; rated: LoadResult }> {
  const { child, firstLine } = runJsonProcess<{ port: number }>(here('./bare-server.ts'));
  const url = `http://127.0.0.1:${(await firstLine).port}`;
  await load(url, 2000, 32); // warm-up
  const max = await load(url, maxCount, 32);
  const rated = await load(url, 2000 * rateSeconds, 64, 2000);
  await stop(child);
  return { max, rated };
}

async function benchIngest(sink: SegmentSink, dir: string): Promise<{ max: LoadResult; rated: LoadResult; rssMb: number }> {
  const { child, url } = await startCartstream('ingest', sink, dir);
  await load(url, 2000, 32);
  const max = await load(url, maxCount, 32);
  const rated = await load(url, 2000 * rateSeconds, 64, 2000);
  const rssMb = peakRssMb(child.pid!);
  await stop(child);
  return { max, rated, rssMb };
}

function orderCompletedCounts(sink: SegmentSink): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { event, messageId } of sink.received()) {
    if (event.event === 'Order Completed') counts.set(messageId, (counts.get(messageId) ?? 0) + 1);
  }
  return counts;
}

/** Each sample order yields an Identify and an Order Completed: a cheap count first, the exact one at the end. */
async function waitForOrders(sink: SegmentSink, orders: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (sink.stats().acceptedEvents >= 2 * orders && orderCompletedCounts(sink).size >= orders) return Date.now();
    if (Date.now() > deadline) throw new Error(`sink got ${orderCompletedCounts(sink).size} of ${orders} orders in time`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface EndToEnd { result: LoadResult; rated: LoadResult; ordersPerSecond: number; rssMb: number; exact: boolean }

async function benchEndToEnd(dir: string): Promise<EndToEnd> {
  const sink = await startSegmentSink({ writeKey });
  const { child, url } = await startCartstream('all', sink, dir);
  // The default deployment (ingest + processing thread) at 2,000 webhooks/s, then as fast as it goes.
  const rated = await load(url, 2000 * rateSeconds, 64, 2000);
  await waitForOrders(sink, 2000 * rateSeconds, 300_000);
  const before = orderCompletedCounts(sink).size;
  const result = await load(url, maxCount, 32);
  const doneAt = await waitForOrders(sink, before + maxCount, 300_000);
  const ordersPerSecond = (maxCount / (doneAt - result.startedAt)) * 1000;
  const rssMb = peakRssMb(child.pid!);
  await stop(child);
  const counts = [...orderCompletedCounts(sink).values()];
  const exact = counts.length === before + maxCount && counts.every((n) => n === 1);
  await sink.close();
  return { result, rated, ordersPerSecond, rssMb, exact };
}

const f = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');
const warehouseRate = (bench: WarehouseBench) => ('skipped' in bench.postgres ? 'skipped (no server)' : f(bench.postgres.rowsPerSecond));

function printMapping(mapping: readonly TopicThroughput[]): void {
  const orders = mapping.find((t) => t.topic === 'orders/create');
  if (orders) {
    console.log(`| orders/create mappings/s on one core, full property set (mapper on the parsed body) | ${f(orders.mapsPerSecond)} | an open-source transformer ~5,700 | ≥ 28,000 | ${verdict(orders.mapsPerSecond >= 28_000)} |`);
  }
  console.log('\nmapping throughput per topic, one core (CPU time of the thread), on Shopify\'s webhook samples:\n');
  console.log('| topic | sample bytes | messages | mapper only /s | parse + map + Segment JSON /s |');
  console.log('|---|---|---|---|---|');
  for (const t of mapping) console.log(`| ${t.topic} | ${f(t.bodyBytes)} | ${t.messages} | ${f(t.mapsPerSecond)} | ${f(t.deliveriesPerSecond)} |`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cartstream-bench-'));
  const idleSink = await startSegmentSink({ writeKey });
  try {
    // First, while nothing else runs in this process: one core, timed by this thread's CPU clock.
    const mapping = benchMappingThroughput();
    const bare = await benchBare();
    const ingest = await benchIngest(idleSink, dir);
    const e2e = await benchEndToEnd(dir);
    const warehouse = await benchWarehouseRows(dir, Math.round(10_000 * scale));
    const tiktok = await benchTikTokDelivery(dir, Math.round(20_000 * scale));
    const stitch = await benchStitchRate(dir, 400);
    const engines = await benchPostgresEndToEnd(dir, Math.round(4_000 * scale));
    const drain = await benchBacklogDrain(dir, Math.round(4_000 * scale));
    const scaling = await benchStoreScaling(dir, Math.round(2_000 * scale)); // + 1,000,000 stored with BENCH_SCALING=full
    const attributeOnly = stitch.byShape['cart attribute'].stitched / stitch.journeys;
    const ratio = ingest.max.perSecond / bare.max.perSecond;
    const rss = Math.max(ingest.rssMb, e2e.rssMb);
    console.log(`cartstream bench — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
    console.log(`body: Shopify's orders/create sample, ${f(bare.max.bodyBytes)} bytes; ${f(maxCount)} requests per max run, 32 connections\n`);
    console.log('| measure | cartstream | reference | target | |');
    console.log('|---|---|---|---|---|');
    console.log(`| ingest webhooks/s (SQLite, stored durably before 200) | ${f(ingest.max.perSecond)} | bare HTTP server ${f(bare.max.perSecond)} | ≥ 0.5 × bare (ratio ${f(ratio, 2)}) | ${verdict(ratio >= 0.5)} |`);
    console.log(`| ack latency p99 at 2,000/s for ${rateSeconds} s, ingest only | ${f(ingest.rated.p99, 1)} ms (p50 ${f(ingest.rated.p50, 1)}) | bare ${f(bare.rated.p99, 1)} ms | ≤ 10 ms | ${verdict(ingest.rated.p99 <= 10)} |`);
    console.log(`| ack latency p99 at 2,000/s for ${rateSeconds} s, ingest + processing (default) | ${f(e2e.rated.p99, 1)} ms (p50 ${f(e2e.rated.p50, 1)}) | bare ${f(bare.rated.p99, 1)} ms | ≤ 10 ms | ${verdict(e2e.rated.p99 <= 10)} |`);
    console.log(`| end-to-end orders/s into the local sink | ${f(e2e.ordersPerSecond)} | — | ≥ 4,000 | ${verdict(e2e.ordersPerSecond >= 4000)} |`);
    console.log(`| peak RSS of the cartstream process | ${f(rss)} MB | — | ≤ 256 MB | ${verdict(rss <= 256)} |`);
    console.log(`| every order at the sink exactly once | ${e2e.exact ? 'yes' : 'NO'} | — | yes | ${verdict(e2e.exact)} |`);
    console.log(`| warehouse rows/s, Order Completed in batches of 500 (SQLite) | ${f(warehouse.sqlite.rowsPerSecond)} | PostgreSQL ${warehouseRate(warehouse)} | — | |`);
    console.log(`| TikTok events/s delivered to the local Events API sink (SQLite outbox; every event_id once: ${tiktok.exact ? 'yes' : 'NO'}) | ${f(tiktok.eventsPerSecond)} | ${f(tiktok.events)} events in ${f(tiktok.requests)} requests | — | ${tiktok.exact ? '' : 'NOT EXACT'} |`);
    const shapes = Object.entries(stitch.byShape).map(([shape, s]) => `${shape} ${s.stitched}/${s.orders}`).join(', ');
    console.log(`| stitch rate: web orders carrying the browser's anonymousId, ${stitch.journeys} journeys (${shapes}) | ${f(stitch.stitchRate * 100, 1)} % | cart attribute alone ${f(attributeOnly * 100, 1)} % | ≥ 99 % | ${verdict(stitch.stitchRate >= 0.99)} |`);
    for (const row of [...postgresEndToEndRows(engines), ...backlogDrainRows(drain), ...storeScalingRows(scaling)]) console.log(row);
    printMapping(mapping);
    console.log(`\nstatuses: bare ${JSON.stringify(bare.max.statuses)}, ingest ${JSON.stringify(ingest.max.statuses)}, rated ${JSON.stringify(ingest.rated.statuses)}, e2e rated ${JSON.stringify(e2e.rated.statuses)}, e2e ${JSON.stringify(e2e.result.statuses)}`);
  } finally {
    await idleSink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
