/**
 * Shared pieces of the end-to-end tests: the shop they simulate, what the simulator says should reach Segment, what
 * the local sink actually received, and bounded polling that says what was still missing when it gives up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SinkEvent } from '../../src/local-sink/segment-sink.ts';
import { parseJsonExact } from '../../src/shopify/parse-json-exact.ts';
import { signShopifyBody } from '../../src/shopify/webhook-hmac.ts';
import type { SimulatedWebhook } from '../../src/simulator/store-simulator.ts';
import type { Store, StoreCounts } from '../../src/store/store.ts';

export const e2eShop = 'e2e-outfitters.myshopify.com';
export const e2eSecret = 'e2e-webhook-secret-0f3c9a';
export const e2eWriteKey = 'e2e-write-key';
/** Fixed simulated start, so every run sends the same bytes. */
export const e2eStartTime = '2025-06-02T14:00:00Z';

export type Json = Record<string, unknown>;

/** A private temp directory and its removal. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Polls `missing` until it returns null (nothing missing) or `timeoutMs` passes; then throws with its last answer,
 * so a timeout names what never arrived.
 */
export async function waitFor(what: string, missing: () => Promise<string | null> | string | null, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = 'never checked';
  while (Date.now() < deadline) {
    last = await missing();
    if (last === null) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; still missing: ${last}`);
}

/** What is still queued according to the store's counts, or null when inbox and outbox hold nothing pending. */
export function pendingWork(counts: StoreCounts): string | null {
  if (counts.inbox.pending === 0 && counts.outbox.pending === 0) return null;
  return `${counts.inbox.pending} inbox and ${counts.outbox.pending} outbox rows pending (counts: ${JSON.stringify(counts)})`;
}

/** Waits until the store's queues are empty. */
export function waitForDrain(store: Store, timeoutMs: number): Promise<void> {
  return waitFor('the queue to drain', async () => pendingWork(await store.counts()), timeoutMs);
}

/** The order's channel (Shopify's source_name) for each orders/create in the traffic, by exact order id. */
export function orderChannels(hooks: readonly SimulatedWebhook[]): Map<string, string> {
  const channels = new Map<string, string>();
  for (const hook of hooks) {
    if (hook.topic !== 'orders/create' || hook.orderId === undefined) continue;
    channels.set(hook.orderId, String((parseJsonExact(hook.body) as Json).source_name));
  }
  return channels;
}

/** The first orders/create delivery of each web order: the ones that must become exactly one Order Completed. */
export function expectedWebOrders(hooks: readonly SimulatedWebhook[]): Map<string, SimulatedWebhook> {
  return new Map(hooks.filter((hook) => hook.expectOrderCompleted).map((hook) => [hook.orderId as string, hook]));
}

export function orderCompletedEvents(events: readonly SinkEvent[]): SinkEvent[] {
  return events.filter((event) => event.type === 'track' && event.event.event === 'Order Completed');
}

/** properties.order_id of a sink event ('' when absent, which no expectation matches). */
export function orderIdOf(event: SinkEvent): string {
  const properties = event.event.properties as Json | undefined;
  return typeof properties?.order_id === 'string' ? properties.order_id : '';
}

/** How many Order Completed events the sink accepted per order id. */
export function orderCompletedCounts(events: readonly SinkEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of orderCompletedEvents(events)) counts.set(orderIdOf(event), (counts.get(orderIdOf(event)) ?? 0) + 1);
  return counts;
}

/** The distinct messageIds the sink saw per order id (at-least-once may repeat one; never two per order). */
export function messageIdsByOrder(events: readonly SinkEvent[]): Map<string, Set<string>> {
  const ids = new Map<string, Set<string>>();
  for (const event of orderCompletedEvents(events)) {
    const set = ids.get(orderIdOf(event)) ?? new Set<string>();
    set.add(event.messageId);
    ids.set(orderIdOf(event), set);
  }
  return ids;
}

/** Order ids expected at the sink that have not arrived, summarised for a timeout message; null when none. */
export function missingOrders(expected: Iterable<string>, events: readonly SinkEvent[]): string | null {
  const seen = orderCompletedCounts(events);
  const missing = [...expected].filter((orderId) => !seen.has(orderId));
  return missing.length === 0 ? null : `${missing.length} Order Completed (e.g. order ${missing.slice(0, 3).join(', ')})`;
}

/** POSTs one webhook to cartstream as Shopify does, signed with the e2e shop's secret; returns the answer's status. */
export async function postSignedWebhook(baseUrl: string, topic: string, webhookId: string, body: string | Buffer): Promise<number> {
  const response = await fetch(`${baseUrl}/webhooks/shopify`, {
    method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: {
      'content-type': 'application/json', 'x-shopify-topic': topic, 'x-shopify-shop-domain': e2eShop,
      'x-shopify-webhook-id': webhookId, 'x-shopify-hmac-sha256': signShopifyBody(body, e2eSecret),
    },
  });
  await response.arrayBuffer();
  return response.status;
}
