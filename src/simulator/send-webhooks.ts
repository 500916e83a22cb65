import http from 'node:http';
import https from 'node:https';
import { createPrng } from './prng.ts';
import { signedWebhookRequest, type SignedWebhookRequest, type WebhookToSign } from './sign-webhook.ts';

export interface SendWebhooksOptions {
  shop: string;
  secret: string;
  /** Requests in flight at once (also the keep-alive socket count). */
  concurrency: number;
  /** Spread requests evenly at this rate; as fast as possible when absent. */
  ratePerSecond?: number;
  /** Share of deliveries sent again later with the same webhook id, as Shopify's retries are. */
  duplicateShare?: number;
  /** Seeds which deliveries are duplicated. */
  seed?: number;
  timeoutMs?: number;
  onResult?: (result: SendResult) => void;
}

export interface SendResult {
  /** Position of the webhook in the input. */
  index: number;
  webhookId: string;
  topic: string;
  duplicate: boolean;
  /** HTTP status; 0 when no response came (connection error, timeout). */
  status: number;
  latencyMs: number;
  error?: string;
}

export interface SendSummary {
  results: SendResult[];
  sent: number;
  duplicates: number;
  durationMs: number;
  requestsPerSecond: number;
  statusCounts: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

interface Delivery {
  index: number;
  topic: string;
  webhookId: string;
  request: SignedWebhookRequest;
  duplicate: boolean;
}

/**
 * POSTs signed webhooks to `url` over keep-alive connections (node:http, cheaper per request than fetch) and
 * reports each delivery's status and latency. Never throws for a failed request: it is a result with status 0.
 */
export async function sendWebhooks(
  url: string | URL,
  webhooks: Iterable<WebhookToSign>,
  options: SendWebhooksOptions,
): Promise<SendSummary> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency });
  const next = deliveryFeed(webhooks, options);
  const pace = pacer(options.ratePerSecond);
  const results: SendResult[] = [];
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let delivery = next(); delivery; delivery = next()) {
      await pace();
      const result = await post(transport, agent, target, delivery, options.timeoutMs ?? 10_000);
      results.push(result);
      options.onResult?.(result);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    agent.destroy();
  }
  return summarise(results, performance.now() - started);
}

/** Hands out deliveries in order, re-queueing some as duplicates a few dozen deliveries later. */
function deliveryFeed(webhooks: Iterable<WebhookToSign>, options: SendWebhooksOptions): () => Delivery | undefined {
  const source = webhooks[Symbol.iterator]();
  const prng = createPrng(options.seed ?? 1);
  const share = options.duplicateShare ?? 0;
  const later: { due: number; delivery: Delivery }[] = [];
  let handedOut = 0;
  let index = 0;
  return () => {
    handedOut += 1;
    const first = later[0];
    if (first && first.due <= handedOut) return later.shift()?.delivery;
    const step = source.next();
    if (step.done) return later.shift()?.delivery;
    const webhook = step.value;
    const delivery = { index: index++, topic: webhook.topic, webhookId: webhook.webhookId, request: signedWebhookRequest(webhook, options), duplicate: false };
    if (share > 0 && prng.chance(share)) {
      later.push({ due: handedOut + prng.int(5, 50), delivery: { ...delivery, duplicate: true } });
      later.sort((a, b) => a.due - b.due);
    }
    return delivery;
  };
}

/** Waits for the next slot of an even schedule at `ratePerSecond` (no wait without a rate). */
function pacer(ratePerSecond: number | undefined): () => Promise<void> {
  if (!ratePerSecond) return async () => {};
  const start = performance.now();
  let slot = 0;
  return async () => {
    const due = start + (slot++ * 1_000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  };
}

function post(
  transport: typeof http | typeof https,
  agent: http.Agent,
  target: URL,
  delivery: Delivery,
  timeoutMs: number,
): Promise<SendResult> {
  const { request } = delivery;
  const base = { index: delivery.index, webhookId: delivery.webhookId, topic: delivery.topic, duplicate: delivery.duplicate };
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number, error?: string): void => {
      const result: SendResult = { ...base, status, latencyMs: performance.now() - started };
      resolve(error ? { ...result, error } : result);
    };
    const req = transport.request(target, {
      method: 'POST',
      agent,
      headers: { ...request.headers, 'Content-Length': String(request.body.length) },
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', (err) => done(res.statusCode ?? 0, err.message));
    });
    req.on('error', (err) => done(0, err.message));
    req.end(request.body);
  });
}

function summarise(results: SendResult[], durationMs: number): SendSummary {
  const statusCounts: Record<string, number> = {};
  for (const r of results) statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
  const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    results,
    sent: results.length,
    duplicates: results.filter((r) => r.duplicate).length,
    durationMs,
    requestsPerSecond: durationMs > 0 ? (results.length * 1_000) / durationMs : 0,
    statusCounts,
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: latencies.at(-1) ?? 0 },
  };
}
