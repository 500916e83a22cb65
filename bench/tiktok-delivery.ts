// TikTok delivery throughput: Order Completed events (Shopify's orders/create sample, mapped, then transformed by the
// TikTok destination), each with its own messageId and order id, queued in a SQLite outbox and delivered by the
// delivery engine as the runtime runs it (4 send loops, batches up to TikTok's 1,000 events) to the local TikTok
// sink, which enforces the Events API's rules. Part of `npm run bench`; alone:
// node --disable-warning=ExperimentalWarning bench/tiktok-delivery.ts
import { join } from 'node:path';
import { createDeliveryEngine } from '../src/delivery/delivery-engine.ts';
import type { Destination } from '../src/destinations/destination.ts';
import { createTikTokDestination, tiktokSettingsSchema } from '../src/destinations/tiktok/index.ts';
import { startTikTokSink, type TikTokSink } from '../src/local-sink/tiktok-sink.ts';
import { contextFor, mappedMessages, sampleBody } from '../src/mapping/samples-for-tests.ts';
import { topicCatalog } from '../src/mapping/topic-mappers.ts';
import { openStore } from '../src/store/open-store.ts';
import type { OutboxMessage, Store } from '../src/store/store.ts';

export interface TikTokDeliveryBench {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Requests the sink accepted (TikTok's code 0). */
  requests: number;
  /** The sink accepted every event_id exactly once, and the outbox holds every row as delivered. */
  exact: boolean;
}

const shop = 'tiktok-bench.myshopify.com';
const accessToken = 'tiktok-bench-token';
const pixelCode = 'CBENCHPIXEL0001';

/** `count` outbox rows of distinct Order Completed events, as the pipeline would queue them for TikTok. */
function outboxMessages(destination: Destination, inboxId: number, count: number, receivedAt: number): OutboxMessage[] {
  const messages = mappedMessages(topicCatalog.get('orders/create')!.mapper(sampleBody('orders_create.json'), contextFor('orders/create', { shop })));
  const order = messages.find((message) => message.event === 'Order Completed')!;
  return Array.from({ length: count }, (_, n) => {
    const messageId = `tiktok-bench-${n}`;
    const wire = destination.transform({ ...order, messageId, properties: { ...order.properties, order_id: String(1_000_000 + n) } });
    if (wire.kind !== 'event') throw new Error(`TikTok skipped the order: ${wire.reason}`);
    return { destination: destination.name, messageId, shop, inboxId, eventName: 'Order Completed', payload: wire.json, receivedAt };
  });
}

/** Queues the events behind one inbox row (the outbox refers to the delivery it came from). */
async function queue(store: Store, destination: Destination, count: number): Promise<void> {
  const now = Date.now();
  await store.insertInbox([{
    shop, source: 'shopify', topic: 'orders/create', webhookId: 'tiktok-bench', eventId: null, triggeredAt: null,
    apiVersion: '2026-04', headers: {}, body: Buffer.from('{}'), receivedAt: now,
  }]);
  const [row] = await store.claimInbox({ worker: 'bench', limit: 1, leaseMs: 60_000, now });
  if (!row) throw new Error('the bench inbox row was not claimed');
  await store.settleInbox([{ id: row.id, outcome: { status: 'done', messages: outboxMessages(destination, row.id, count, now) } }], now);
}

/** Starts the engine's loops and resolves with the time the last of `count` rows was settled as delivered. */
function deliverAll(store: Store, destination: Destination, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let delivered = 0;
    const engine = createDeliveryEngine({
      store, destination, worker: 'bench', clock: { now: Date.now }, random: Math.random,
      onDelivered(rows) {
        delivered += rows.length;
        if (delivered >= count) engine.stop().then(() => resolve(performance.now()), reject);
      },
      onFailed(row, decision) {
        engine.stop().finally(() => reject(new Error(`TikTok delivery of ${row.messageId} failed: ${JSON.stringify(decision)}`)));
      },
    });
    engine.start();
  });
}

async function exactlyOnce(sink: TikTokSink, store: Store, count: number): Promise<boolean> {
  const counts = sink.countsByEventId();
  const everyOnce = counts.size === count && [...counts.values()].every((n) => n === 1);
  const { outbox } = await store.counts();
  return everyOnce && sink.stats().acceptedEvents === count && outbox.delivered === count && outbox.pending === 0;
}

/** Delivers `count` events through a fresh SQLite outbox under `dir` to a local TikTok sink. */
export async function benchTikTokDelivery(dir: string, count = 20_000): Promise<TikTokDeliveryBench> {
  const sink = await startTikTokSink({ accessToken, pixelCode });
  const store = await openStore(join(dir, 'tiktok-delivery.db'));
  try {
    const destination = createTikTokDestination(tiktokSettingsSchema.parse({ accessToken, pixelCode, endpoint: sink.url }));
    await queue(store, destination, count);
    const started = performance.now();
    const seconds = ((await deliverAll(store, destination, count)) - started) / 1000;
    const exact = await exactlyOnce(sink, store, count);
    return { events: count, seconds, eventsPerSecond: count / seconds, requests: sink.stats().acceptedRequests, exact };
  } finally {
    await store.close();
    await sink.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'cartstream-bench-tiktok-'));
  try {
    console.log(JSON.stringify(await benchTikTokDelivery(dir, Math.round(20_000 * Number(process.env.BENCH_SCALE ?? 1)))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
