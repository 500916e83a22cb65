// A separate process that sends signed orders/create webhooks, either as fast as `concurrency` connections allow
// (closed loop) or at a fixed rate (open loop, latency measured from each request's scheduled time so a stall
// is not hidden). Prints one JSON line of results.
import { Agent, request } from 'node:http';
import { signShopifyBody } from '../src/shopify/webhook-hmac.ts';
import { loadOrderTemplate, orderBody } from './order-bodies.ts';

interface LoadPlan {
  url: string;
  shop: string;
  secret: string;
  count: number;
  firstOrder: number;
  concurrency: number;
  ratePerSecond?: number;
}

interface Prepared { body: Buffer; headers: Record<string, string> }

const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
const target = new URL('/webhooks/shopify', plan.url);

function prepare(n: number, template: Record<string, unknown>): Prepared {
  const body = orderBody(template, plan.firstOrder + n);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': plan.shop,
      'x-shopify-webhook-id': `bench-${plan.firstOrder + n}`,
      'x-shopify-event-id': `bench-event-${plan.firstOrder + n}`,
      'x-shopify-triggered-at': new Date(1_700_000_000_000 + n).toISOString(),
      'x-shopify-api-version': '2026-04',
      'x-shopify-hmac-sha256': signShopifyBody(body, plan.secret),
    },
  };
}

function send(item: Prepared): Promise<number> {
  return new Promise((resolve) => {
    const req = request(target, { method: 'POST', agent, headers: item.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(item.body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function closedLoop(items: Prepared[], latencies: number[], statuses: Map<number, number>): Promise<void> {
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const item = items[next++]!;
      const started = performance.now();
      const status = await send(item);
      latencies.push(performance.now() - started);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: plan.concurrency }, lane));
}

async function openLoop(items: Prepared[], rate: number, latencies: number[], statuses: Map<number, number>): Promise<void> {
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    const scheduled = start + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(items[i]!).then((status) => {
      latencies.push(performance.now() - scheduled);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }));
  }
  await Promise.all(inFlight);
}

async function main(): Promise<void> {
  const template = loadOrderTemplate();
  const items = Array.from({ length: plan.count }, (_, n) => prepare(n, template));
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  const startedAt = Date.now();
  if (plan.ratePerSecond) await openLoop(items, plan.ratePerSecond, latencies, statuses);
  else await closedLoop(items, latencies, statuses);
  const elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({
    count: plan.count, startedAt, elapsedMs, perSecond: (plan.count / elapsedMs) * 1000,
    p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0,
    bodyBytes: items[0]?.body.length ?? 0, statuses: Object.fromEntries(statuses),
  })}\n`);
  agent.destroy();
}

await main();
