import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryEngine } from '../delivery/delivery-engine.ts';
import { createSegmentDestination } from '../destinations/segment/index.ts';
import { segmentSettingsSchema } from '../destinations/segment/settings.ts';
import { sampleResponseText } from '../mapping/samples-for-tests.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { createPipelineWorker } from './pipeline-worker.ts';

const shop = 'spec.myshopify.com';
const order = JSON.parse(sampleResponseText('orders_create.json')) as Record<string, unknown>;
/** Three letters, so the mapper reads the amounts, but no ISO 4217 currency: a mistake only the spec catches. */
const badCurrency = { ...order, id: 820982911946154600, admin_graphql_api_id: 'gid://shopify/Order/820982911946154600', currency: 'ZZZ' };

describe('a message that breaks the spec', () => {
  let store: Store;
  const sent: { batch: { event?: string; type: string; properties?: { currency?: string } }[] }[] = [];
  const segment = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'k', endpoint: 'http://127.0.0.1:9' }), {
    fetch: async (_url, init) => {
      sent.push(JSON.parse(String(init?.body)));
      return new Response('{"success":true}', { status: 200 });
    },
  });

  beforeEach(async () => {
    store = await openStore(':memory:');
    sent.length = 0;
    await store.insertInbox([order, badCurrency].map((body, n) => ({
      shop, source: 'shopify', topic: 'orders/create', webhookId: `w${n}`, eventId: null, triggeredAt: null, apiVersion: '2026-04',
      headers: {}, body: Buffer.from(JSON.stringify(body)), receivedAt: 1_000,
    })));
  });
  afterEach(async () => {
    await store.close();
  });

  it('is held with the rule it broke and counted, while the rest of the batch is delivered', async () => {
    const metrics = createMetrics();
    const pipeline = createPipelineWorker({
      store, destinations: [segment], worker: 'test', batchSize: 10, leaseMs: 60_000, idleDelayMs: 1, now: () => 2_000,
      logger: createLogger('silent'), metrics,
    });
    expect(await pipeline.runOnce()).toBe(2);
    const engine = createDeliveryEngine({ store, destination: segment, worker: 'test', clock: { now: () => 3_000 }, random: () => 0.5 });
    await engine.runOnce();

    const dead = await store.listDeadLetters('segment', 10);
    expect(dead.map(({ eventName, reason, attempts }) => ({ eventName, reason, attempts }))).toStrictEqual([
      { eventName: 'Order Completed', reason: 'spec: Order Completed: properties.currency is not an ISO 4217 currency code', attempts: 0 },
    ]);
    // The held row keeps Segment's wire form, so a replay after the rule is fixed sends it as it is.
    expect(JSON.parse(dead[0]!.payload)).toMatchObject({ type: 'track', event: 'Order Completed', properties: { currency: 'ZZZ' } });
    expect(sent.flatMap((request) => request.batch.map((call) => call.event ?? call.type))).toStrictEqual(['identify', 'Order Completed', 'identify']);
    expect(sent[0]!.batch[1]!.properties?.currency).toBe('USD');
    expect((await store.counts()).outbox).toStrictEqual({ pending: 0, delivered: 3, dead: 1, skipped: 0 });
    const invalid = await metrics.registry.getSingleMetric('cartstream_messages_invalid_total')?.get();
    expect(invalid?.values).toStrictEqual([{ value: 1, labels: { destination: 'segment', event: 'Order Completed' } }]);

    // An operator who finds the rule wrong replays the dead letter (as the console's Replay does): it is sent as held.
    expect(await store.requeueDeadLetters('segment', [dead[0]!.id], 4_000)).toBe(1);
    await createDeliveryEngine({ store, destination: segment, worker: 'test', clock: { now: () => 5_000 }, random: () => 0.5 }).runOnce();
    expect(sent.at(-1)?.batch.map((call) => [call.event, call.properties?.currency])).toStrictEqual([['Order Completed', 'ZZZ']]);
    expect((await store.counts()).outbox).toStrictEqual({ pending: 0, delivered: 4, dead: 0, skipped: 0 });
  });
});
