// Shared by the PostgreSQL, backlog-drain and scaling sections of `npm run bench`: cartstream processes started as
// `npx cartstream start` would be (the executable with its shebang's heap flags), the load generator as a
// separate process, and the count of distinct orders that reached the local Segment sink.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { SegmentSink } from '../src/local-sink/segment-sink.ts';
import { freePort, killOnExit, peakRssMb, runJsonProcess, stop, waitForOk } from './processes.ts';

export const benchShop = 'bench-store.myshopify.com';
export const benchSecret = 'bench-secret';
export const benchWriteKey = 'bench-write-key';
export const benchAdminToken = 'bench-admin-token';
export const benchScale = Number(process.env.BENCH_SCALE ?? 1);

export interface LoadResult {
  count: number; startedAt: number; elapsedMs: number; perSecond: number; p50: number; p99: number; max: number;
  bodyBytes: number; statuses: Record<string, number>;
}

const here = (path: string) => new URL(path, import.meta.url).pathname;

// Order numbers far above the ones the other sections use, so webhook ids never repeat within one store.
let nextOrder = 50_000_000;

/** Sends `count` distinct signed orders/create webhooks to `url` from a separate process (closed loop). */
export async function sendOrders(url: string, count: number, concurrency = 32): Promise<LoadResult> {
  const plan = { url, shop: benchShop, secret: benchSecret, count, firstOrder: nextOrder, concurrency };
  nextOrder += count;
  return runJsonProcess<LoadResult>(here('./load-generator.ts'), [JSON.stringify(plan)]).firstLine;
}

export interface RunningCartstream {
  child: ChildProcess;
  /** Undefined for `--role worker`, which serves no HTTP. */
  url: string | undefined;
  peakRssMb(): number;
  stop(): Promise<void>;
}

export interface CartstreamStart {
  /** SQLite file path or postgres:// URL (with ?schema=). */
  db: string;
  role: 'all' | 'ingest' | 'worker';
  sink: SegmentSink;
}

const bin = here('../bin/cartstream.js');
/**
 * The node flags of the executable's shebang (`#!/usr/bin/env -S node --max-old-space-size=…`). Given to this
 * process's own Node rather than left to `env`: a system Node older than 24 would re-spawn the real server as a
 * grandchild that SIGTERM to the child does not reach.
 */
const shebangFlags = (readFileSync(bin, 'utf8').split('\n')[0] ?? '').split(/\s+/).filter((token) => token.startsWith('--'));

/** Starts `bin/cartstream.js start`; resolves once /readyz answers (or at once for a worker, which has no HTTP). */
export async function startCartstream({ db, role, sink }: CartstreamStart): Promise<RunningCartstream> {
  const port = await freePort();
  const child = killOnExit(spawn(process.execPath, [...shebangFlags, bin, 'start'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', CARTSTREAM_DB: db, CARTSTREAM_ROLE: role,
      SHOPIFY_SHOP_DOMAIN: benchShop, SHOPIFY_WEBHOOK_SECRET: benchSecret, SEGMENT_WRITE_KEY: benchWriteKey,
      SEGMENT_ENDPOINT: sink.url, CARTSTREAM_ADMIN_TOKEN: benchAdminToken, LOG_LEVEL: 'warn',
    },
  }));
  const url = role === 'worker' ? undefined : `http://127.0.0.1:${port}`;
  if (url) await waitForOk(`${url}/readyz`, 60_000);
  return { child, url, peakRssMb: () => peakRssMb(child.pid!), stop: () => stop(child) };
}

/** Distinct Order Completed messageIds the sink accepted. */
export function ordersAtSink(sink: SegmentSink): number {
  const ids = new Set<string>();
  for (const { event, messageId } of sink.received()) if (event.event === 'Order Completed') ids.add(messageId);
  return ids.size;
}

/** Resolves with the time (epoch ms) the sink holds `orders` distinct Order Completed events. */
export async function waitForOrdersAtSink(sink: SegmentSink, orders: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Each sample order yields an Identify and an Order Completed: the cheap count first, the exact one after.
    if (sink.stats().acceptedEvents >= 2 * orders && ordersAtSink(sink) >= orders) return Date.now();
    if (Date.now() > deadline) throw new Error(`the sink got ${ordersAtSink(sink)} of ${orders} orders in time`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** GET on the admin API with the bench token; resolves with the parsed JSON and how long the answer took. */
export async function adminGet<T>(url: string, path: string): Promise<{ body: T; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/api${path}`, { headers: { authorization: `Bearer ${benchAdminToken}` } });
  const body = (await response.json()) as T;
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`GET /api${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return { body, ms };
}

export const f = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
