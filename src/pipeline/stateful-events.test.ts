import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSegmentDestination } from '../destinations/segment/index.ts';
import { segmentSettingsSchema } from '../destinations/segment/settings.ts';
import { createTikTokDestination, tiktokSettingsSchema } from '../destinations/tiktok/index.ts';
import { sampleBody, testShop } from '../mapping/samples-for-tests.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { openStore } from '../store/open-store.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import { postgresUnavailableReason, skipWithoutPostgres, testPostgresUrl, testSchema } from '../store/postgres/postgres-test-database.ts';
import type { ResourceKey, Store } from '../store/store.ts';
import { processBatch } from './process-batch.ts';
import { createPipelineWorker, type PipelineWorker } from './pipeline-worker.ts';

const destination = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'k', endpoint: 'http://127.0.0.1:9' }));
const tiktok = createTikTokDestination(tiktokSettingsSchema.parse({ accessToken: 'token', pixelCode: 'C9Q2MJ3C77U4P674RPG0' }));
const minute = 60_000;
const t0 = Date.parse('2022-01-01T00:00:00.000Z');
const unavailable = await postgresUnavailableReason();
const schema = testSchema('cartstream_stateful_test');

/** A migrated, empty store of each engine; PostgreSQL's in one schema for the file, emptied before each test. */
const engines: [string, () => Promise<Store>][] = [
  ['sqlite', () => openStore(':memory:')],
  ['postgres', async () => {
    if (unavailable !== null) throw new Error(`CI requires PostgreSQL: ${unavailable}`);
    const store = await openPostgresStore(testPostgresUrl, { schema: schema.name, poolSize: 2 });
    await store.migrate();
    await schema.truncate();
    return store;
  }],
];

afterAll(async () => {
  if (unavailable === null) await schema.drop();
});

describe.each(engines)('stateful events through the pipeline and the store (%s)', (engine, open) => {
  let store: Store;
  let now = t0;
  let worker: PipelineWorker;

  beforeEach(async (context) => {
    if (engine === 'postgres' && skipWithoutPostgres(unavailable, 'stateful events on PostgreSQL')) context.skip();
    store = await open();
    now = t0;
    worker = createPipelineWorker({
      store, destinations: [destination, tiktok], worker: 'test', batchSize: 50, leaseMs: 60_000, idleDelayMs: 1,
      now: () => now, logger: createLogger('silent'), metrics: createMetrics(),
    });
  });
  afterEach(async () => {
    await store?.close();
  });

  /** Stores deliveries (webhook id → body) of one topic as received now. */
  async function receive(topic: string, ...deliveries: [webhookId: string, body: unknown][]): Promise<void> {
    await store.insertInbox(deliveries.map(([webhookId, body]) => ({
      shop: testShop, source: 'shopify', topic, webhookId, eventId: null, triggeredAt: null, apiVersion: '2026-04',
      headers: {}, body: Buffer.from(JSON.stringify(body)), receivedAt: now,
    })));
  }

  /** The events queued for a destination (Segment by default), by name. */
  async function queued(event: string, to = 'segment'): Promise<Record<string, any>[]> {
    const rows = (await store.scanOutbox(testShop, 0, 1000)).filter((row) => row.destination === to);
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

  it('applies a cart update received just before the debounce ends before the Product Added job runs', async () => {
    await receive('carts/create', ['cart-1', cart(2, '2022-01-01T00:00:00Z')]);
    await worker.runOnce();
    now = t0 + 9_900;
    await receive('carts/update', ['cart-2', cart(0, '2022-01-01T00:00:09Z')]);
    now = t0 + 10_000;
    await worker.runOnce();

    expect([...(await queued('Product Added')), ...(await queued('Product Removed'))]).toStrictEqual([]);
  });

  it('sends one Product Removed when two processes diff two deliveries against the same stored cart at once', async () => {
    await receive('carts/create', ['cart-1', cart(3, '2022-01-01T00:00:00Z')]);
    await worker.runOnce();
    now += 60_000;
    await receive('carts/update', ['cart-2', cart(1, '2022-01-01T00:01:00Z')], ['cart-3', cart(1, '2022-01-01T00:01:01Z')]);
    const rows = await store.claimInbox({ worker: 'both', limit: 10, leaseMs: 60_000, now });
    const findStates = (keys: readonly ResourceKey[]) => store.findResourceStates(keys);
    // Each process reads the stored cart before the other has settled.
    const batches = await Promise.all(rows.map((row) => processBatch([row], [destination], async () => [], { findStates })));
    for (const { processed } of batches) await store.settleInbox(processed.map((p) => ({ id: p.row.id, outcome: p.result.outcome })), now);

    expect((await queued('Product Removed')).map((m) => m.properties.quantity)).toStrictEqual([2]);
  });

  describe('Checkout Abandoned', () => {
    const created = Date.parse('2021-12-31T19:00:00-05:00');
    const checkout = () => sampleBody('checkouts_create.json');
    const orderOf = (token: string) => ({ ...sampleBody('orders_create.json'), checkout_token: token });

    it('sends one event when no order came within the window (from receipt, for this webhook a minute late)', async () => {
      now = created + minute;
      await receive('checkouts/create', ['c1', checkout()]);
      await worker.runOnce();
      now = created + 60 * minute;
      await worker.runOnce();
      expect(await queued('Checkout Abandoned')).toStrictEqual([]);

      now = created + 61 * minute;
      await worker.runOnce();
      await worker.runOnce();
      expect((await queued('Checkout Abandoned')).map((m) => [m.timestamp, m.properties.checkout_id, m.properties.value])).toStrictEqual([
        ['2022-01-01T01:00:00.000Z', '123123123', 421.88],
      ]);
      // Not a TikTok standard event: kept as skipped for TikTok, never sent.
      expect(await queued('Checkout Abandoned', 'tiktok')).toHaveLength(1);
      // Received (for latency, listings and replay) when it was due, not when the checkout webhook came an hour before.
      const rows = await store.claimOutbox('segment', { worker: 'test', limit: 100, leaseMs: minute, now });
      expect(rows.filter((row) => row.eventName === 'Checkout Abandoned').map((row) => row.receivedAt)).toStrictEqual([created + 61 * minute]);
    });

    it('sends none when the order arrives first, even when the checkout webhook comes after the order', async () => {
      now = created + minute;
      await receive('checkouts/create', ['c1', checkout()]);
      await receive('orders/create', ['o1', orderOf('123123123')]);
      await receive('orders/create', ['o2', { ...orderOf('late-checkout'), id: 2, admin_graphql_api_id: 'gid://shopify/Order/2' }]);
      await worker.runOnce();
      await receive('checkouts/create', ['c2', { ...checkout(), token: 'late-checkout' }]);
      await worker.runOnce();
      now = created + 2 * 60 * minute;
      await worker.runOnce();

      expect(await queued('Checkout Abandoned')).toStrictEqual([]);
      expect(await queued('Order Completed')).toHaveLength(2);
    });
  });

  /** The sample order with a new line of 2 × UP-1 at 12.50 (as orders/updated reports it), and the edit that added it. */
  function upsellDeliveries(): { updated: Record<string, any>; edit: Record<string, unknown> } {
    const added = { ...sampleBody('orders_updated.json').line_items[0], id: 5551, admin_graphql_api_id: 'gid://shopify/LineItem/5551', sku: 'UP-1', price: '12.50', quantity: 2 };
    const updated: Record<string, any> = { ...sampleBody('orders_updated.json'), updated_at: '2022-01-02T00:00:00Z' };
    updated.line_items = [...updated.line_items, added];
    const additions = { additions: [{ id: 5551, delta: 2 }], removals: [] };
    return { updated, edit: { order_edit: { ...sampleBody('orders_edited.json').order_edit, order_id: '820982911946154508', line_items: additions } } };
  }

  it('maps an orders/edited that came before its orders/updated again once that has come', async () => {
    const { updated, edit } = upsellDeliveries();
    await receive('orders/create', ['create', sampleBody('orders_create.json')]);
    await worker.runOnce();
    await receive('orders/edited', ['edit', edit]);
    await worker.runOnce();
    expect(await queued('Post Purchase Upsell')).toStrictEqual([]);

    now += 2_000;
    await receive('orders/updated', ['updated', updated]);
    await worker.runOnce();
    await worker.runOnce();
    expect((await queued('Post Purchase Upsell')).map((m) => m.properties.value)).toStrictEqual([25]);
    expect(await store.listFailedInbox(10)).toStrictEqual([]);
  });

  it('keeps an orders/edited as failed, with the reason, when its orders/updated has not come within a minute', async () => {
    await receive('orders/create', ['create', sampleBody('orders_create.json')]);
    await receive('orders/edited', ['edit', upsellDeliveries().edit]);
    await worker.runOnce();
    expect(await store.listFailedInbox(10)).toStrictEqual([]);

    now += 61_000;
    await worker.runOnce();
    expect((await store.listFailedInbox(10)).map((row) => [row.topic, row.reason])).toStrictEqual([
      ['orders/edited', 'line item 5551 is not in the stored order yet: re-run after its orders/updated'],
    ]);
  });

  it('sends Post Purchase Upsell for the line an edit added, to Segment and as TikTok\'s purchase event', async () => {
    const { updated, edit } = upsellDeliveries();
    await receive('orders/create', ['create', sampleBody('orders_create.json')]);
    await worker.runOnce();
    await receive('orders/updated', ['updated', updated]);
    await receive('orders/edited', ['edit', edit]);
    await worker.runOnce();

    const [upsell] = await queued('Post Purchase Upsell');
    expect(upsell!.properties).toMatchObject({ order_id: '820982911946154508', value: 25, products: [{ sku: 'UP-1', quantity: 2, price: 12.5 }] });
    const toTikTok = (await queued('CompletePayment', 'tiktok')).find((event) => event.event_id === upsell!.messageId);
    expect(toTikTok).toMatchObject({ properties: { value: 25, contents: [{ content_id: 'UP-1', quantity: 2 }] } });
    expect((await queued('Order Updated')).map((m) => m.properties.changed_fields)).toStrictEqual([['line_items']]);
  });
});
