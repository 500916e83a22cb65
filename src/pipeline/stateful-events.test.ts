import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSegmentDestination } from '../destinations/segment/index.ts';
import { segmentSettingsSchema } from '../destinations/segment/settings.ts';
import { sampleBody, testShop } from '../mapping/samples-for-tests.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { createPipelineWorker, type PipelineWorker } from './pipeline-worker.ts';

const destination = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'k', endpoint: 'http://127.0.0.1:9' }));
const t0 = Date.parse('2022-01-01T00:00:00.000Z');

describe('stateful events through the pipeline and the store', () => {
  let store: Store;
  let now = t0;
  let worker: PipelineWorker;

  beforeEach(async () => {
    store = await openStore(':memory:');
    now = t0;
    worker = createPipelineWorker({
      store, destinations: [destination], worker: 'test', batchSize: 50, leaseMs: 60_000, idleDelayMs: 1,
      now: () => now, logger: createLogger('silent'), metrics: createMetrics(),
    });
  });
  afterEach(async () => {
    await store.close();
  });

  /** Stores deliveries (webhook id → body) of one topic as received now. */
  async function receive(topic: string, ...deliveries: [webhookId: string, body: unknown][]): Promise<void> {
    await store.insertInbox(deliveries.map(([webhookId, body]) => ({
      shop: testShop, source: 'shopify', topic, webhookId, eventId: null, triggeredAt: null, apiVersion: '2026-04',
      headers: {}, body: Buffer.from(JSON.stringify(body)), receivedAt: now,
    })));
  }

  /** The track events queued for Segment, by name. */
  async function queued(event: string): Promise<Record<string, any>[]> {
    const rows = await store.scanOutbox(testShop, 0, 1000);
    return rows.map((row) => JSON.parse(row.payload)).filter((message) => message.event === event);
  }

  function order(updatedAt: string, changes: Record<string, unknown> = {}): Record<string, unknown> {
    return { ...sampleBody('orders_updated.json'), updated_at: updatedAt, ...changes };
  }

  function cart(quantity: number, updatedAt: string): Record<string, any> {
    const body: Record<string, any> = { ...sampleBody('carts_update.json'), updated_at: updatedAt };
    body.line_items[0].quantity = quantity;
    return body;
  }

  it('sends one Order Updated for out-of-order orders/updated: the late, older delivery overwrites nothing', async () => {
    await receive('orders/create', ['create', sampleBody('orders_create.json')]);
    await worker.runOnce();
    // The newer update comes first; then the older one, a day late; then the newer one again under another id.
    await receive('orders/updated', ['v2', order('2022-01-01T12:00:00Z', { financial_status: 'paid', tags: 'vip' })]);
    await worker.runOnce();
    await receive('orders/updated', ['v1', order('2022-01-01T06:00:00Z', { financial_status: 'pending' })], ['v2-again', order('2022-01-01T12:00:00Z', { financial_status: 'paid', tags: 'vip' })]);
    await worker.runOnce();

    const updates = await queued('Order Updated');
    expect(updates.map((m) => [m.timestamp, m.properties.changed_fields])).toStrictEqual([['2022-01-01T12:00:00.000Z', ['financial_status', 'tags']]]);
    const [state] = await store.findResourceStates([{ shop: testShop, kind: 'order', id: '820982911946154508' }]);
    expect(state).toMatchObject({ version: Date.parse('2022-01-01T12:00:00Z'), state: { fields: { financial_status: 'paid', tags: 'vip' } } });
    expect((await store.listFailedInbox(10))).toStrictEqual([]);
  });

  it('applies earlier rows of the same batch: create and two updates in one batch, one Order Updated per change', async () => {
    await receive('orders/create', ['create', sampleBody('orders_create.json')]);
    await receive('orders/updated', ['u1', order('2022-01-01T12:00:00Z', { financial_status: 'paid' })], ['u0', order('2022-01-01T11:00:00Z', { tags: 'stale' })]);
    await worker.runOnce();

    expect((await queued('Order Updated')).map((m) => m.properties.changed_fields)).toStrictEqual([['financial_status']]);
  });

  it('sends one Product Added for a retried cart webhook, only once the line stayed 10 s, and one Product Removed', async () => {
    await receive('carts/create', ['cart-1', cart(2, '2022-01-01T00:00:00Z')]);
    await worker.runOnce();
    now += 2_000;
    // Shopify retries (same webhook id: acknowledged as a duplicate) and a second delivery of the same cart version.
    await receive('carts/create', ['cart-1', cart(2, '2022-01-01T00:00:00Z')], ['cart-1-again', cart(2, '2022-01-01T00:00:00Z')]);
    await worker.runOnce();
    expect(await queued('Product Added')).toStrictEqual([]);

    now = t0 + 10_000;
    await worker.runOnce();
    now += 60_000;
    await receive('carts/update', ['cart-2', cart(1, '2022-01-01T00:01:00Z')]);
    await worker.runOnce();
    await worker.runOnce();

    expect((await queued('Product Added')).map((m) => m.properties.quantity)).toStrictEqual([2]);
    expect((await queued('Product Removed')).map((m) => m.properties.quantity)).toStrictEqual([1]);
    expect((await store.counts()).duplicates).toBe(1);
  });
});
