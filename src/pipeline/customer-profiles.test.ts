/**
 * The profile store through the real pipeline worker on both engines: real Shopify samples (ids exact, as live bodies
 * carry them) for an order, its refund and the customer's record; replays, retries and reprocessing leave the
 * lifetime value exact to the cent, and the Identify traits come from the profile.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSegmentDestination } from '../destinations/segment/index.ts';
import { segmentSettingsSchema } from '../destinations/segment/settings.ts';
import { sampleResponseText } from '../mapping/samples-for-tests.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { anonymousIdOf } from '../mapping/order-identity.ts';
import { profileOf } from '../profiles/customer-profile.ts';
import type { ShopifyOrder } from '../shopify/order.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import { openStore } from '../store/open-store.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import { postgresUnavailableReason, skipWithoutPostgres, testPostgresUrl, testSchema } from '../store/postgres/postgres-test-database.ts';
import type { Store } from '../store/store.ts';
import { createPipelineWorker } from './pipeline-worker.ts';
import type { SegmentMessage } from './segment-message.ts';

const shop = 'profiles.myshopify.com';
const customerId = '115310627314723954';
const orderId = '820982911946154508';
const destination = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'k', endpoint: 'http://127.0.0.1:9' }));

/** The orders/create sample as Shopify sends it live: every id with all its digits. */
function orderText(id = orderId, total = '404.95'): string {
  return sampleResponseText('orders_create.json')
    .replaceAll(/11531062731472395\d/g, customerId)
    .replaceAll(/82098291194615450\d/g, id)
    .replace('"total_price": "404.95"', `"total_price": "${total}"`);
}

/** The refunds/create sample (two refund transactions, 75.00 and 10.00 USD), naming the order exactly. */
function refundText(refundId = '890088186047892319'): string {
  return sampleResponseText('refunds_create.json').replaceAll(/82098291194615450\d/g, orderId).replaceAll(/89008818604789\d{4}/g, refundId);
}

const unavailable = await postgresUnavailableReason();
const schema = testSchema('cartstream_customer_profiles');
afterAll(async () => {
  if (unavailable === null) await schema.drop();
});

const engines = [
  { name: 'sqlite', skip: false, open: () => openStore(':memory:') },
  {
    name: 'postgres',
    skip: skipWithoutPostgres(unavailable, 'customer profiles on PostgreSQL'),
    async open(): Promise<Store> {
      const store = await openPostgresStore(testPostgresUrl, { schema: schema.name, poolSize: 2 });
      await store.migrate();
      await schema.truncate();
      return store;
    },
  },
];

describe.each(engines)('customer profiles through the pipeline ($name)', (engine) => {
  let store: Store;
  let webhook = 0;

  beforeEach(async (context) => {
    if (engine.skip) context.skip();
    store = await engine.open();
  });
  afterEach(async () => {
    await store?.close();
  });

  async function deliver(...deliveries: [topic: string, body: string][]): Promise<void> {
    await store.insertInbox(deliveries.map(([topic, body]) => ({
      shop, source: 'shopify' as const, topic, webhookId: `w${webhook++}`, eventId: null, triggeredAt: '2025-06-15T15:06:40.000Z',
      apiVersion: '2026-04', headers: {}, body: Buffer.from(body), receivedAt: 1_000 + webhook,
    })));
    const worker = createPipelineWorker({
      store, destinations: [destination], worker: 'test', batchSize: 50, leaseMs: 60_000, idleDelayMs: 1,
      now: () => 5_000, logger: createLogger('silent'), metrics: createMetrics(),
    });
    while ((await worker.runOnce()) > 0);
  }

  async function profile() {
    return profileOf(await store.customerProfile(customerId), { shop, customerId });
  }

  async function identifies(): Promise<SegmentMessage[]> {
    const rows = await store.scanOutbox(shop, 0, 1000);
    return rows.map((row) => JSON.parse(row.payload) as SegmentMessage).filter((m) => m.type === 'identify');
  }

  it('counts an order once and a refund once however often they are delivered, replayed or reprocessed', async () => {
    await deliver(['orders/create', orderText()], ['orders/paid', orderText()], ['refunds/create', refundText()]);
    // Shopify retries under new webhook ids, and an operator reprocesses everything.
    await deliver(['refunds/create', refundText()], ['orders/create', orderText()]);
    const all = (await store.scanInbox(shop, 0, 100)).map((row) => row.id);
    await store.requeueInbox(all, 6_000);
    await deliver();

    expect(await profile()).toStrictEqual({
      shop, customerId, traits: expect.objectContaining({ version: null }),
      lifetimeValue: { currency: 'USD', minor: 40_495 - 8_500 }, orderCount: 1,
      firstOrderAt: '2022-01-01T00:00:00.000Z', lastOrderAt: '2022-01-01T00:00:00.000Z',
      // The one anonymousId the customer's events carried: derived from the sample's cart token.
      anonymousIds: [anonymousIdOf(parseJsonExact(Buffer.from(orderText())) as ShopifyOrder, shop)],
    });
  });

  it('counts a refund that arrives before its order once the order comes, and sums orders exactly in minor units', async () => {
    await deliver(['refunds/create', refundText()]);
    await deliver(['orders/create', orderText(orderId, '0.10')], ['orders/create', orderText('820982911946154509', '0.20')]);

    const { lifetimeValue, orderCount } = await profile();
    // 0.10 + 0.20 − 85.00 in cents (as numbers, 0.1 + 0.2 would be 0.30000000000000004).
    expect({ lifetimeValue, orderCount }).toStrictEqual({ lifetimeValue: { currency: 'USD', minor: 10 + 20 - 8_500 }, orderCount: 2 });
  });

  it("sends the order's Identify with the lifetime value and purchase count from the profile, the refund's net of it", async () => {
    await deliver(['orders/create', orderText(orderId, '100.00')], ['orders/create', orderText('820982911946154509', '450.00')]);
    await deliver(['refunds/create', refundText()]);

    const sent = await identifies();
    // The orders' Identifies are settled together, and PostgreSQL writes a settlement's rows in messageId order.
    const [first, second] = sent.slice(0, 2).sort((a, b) => Number(a.traits?.purchaseCount) - Number(b.traits?.purchaseCount));
    const afterRefund = sent[2];
    expect(first?.traits).toMatchObject({ customerLifetimeValue: 100, purchaseCount: 1, ltvTier: 'medium' });
    expect(second?.traits).toMatchObject({ customerLifetimeValue: 550, purchaseCount: 2, ltvTier: 'high' });
    expect(afterRefund).toStrictEqual({
      type: 'identify', messageId: afterRefund?.messageId, timestamp: '2022-01-01T00:00:00.000Z', userId: customerId,
      traits: { email: 'john@example.com', customerLifetimeValue: 465, purchaseCount: 2, ltvTier: 'medium' },
      context: {
        integration: { name: 'shopify_cartstream' }, library: { name: 'cartstream', version: '0.1.0' },
        externalIds: [{ id: customerId, type: 'shopify_customer_id', collection: 'users', encoding: 'none' }],
      },
    });
  });

  it('sends customers/update only the traits that changed since the stored profile, and no Identify when none did', async () => {
    const update = (note: string, updatedAt: string) => sampleResponseText('customers_update.json')
      .replaceAll(/70640550693037\d{4}/g, customerId)
      .replace('"This customer loves ice cream"', JSON.stringify(note))
      .replace('"updated_at": "2021-12-31T19:00:00-05:00"', `"updated_at": "${updatedAt}"`);
    await deliver(['customers/update', update('loves ice cream', '2022-02-01T00:00:00Z')]);
    await deliver(['customers/update', update('loves ice cream', '2022-02-01T00:00:00Z')]);
    await deliver(['customers/update', update('prefers sorbet', '2022-03-01T00:00:00Z')]);
    // An older version arriving late changes nothing.
    await deliver(['customers/update', update('a stale note', '2022-01-15T00:00:00Z')]);

    const sent = await identifies();
    expect(sent.map((m) => m.traits)).toStrictEqual([
      {
        email: 'bob@biller.com', firstName: 'Bob', lastName: 'Biller', createdAt: '2022-01-01T00:00:00.000Z', description: 'loves ice cream',
        address: { street: "151 O'Connor Street", city: 'Ottawa', state: 'ON', postalCode: 'K2P 2L8', country: 'CA' },
        state: 'disabled', verified_email: true, purchaseCount: 0, customerLifetimeValue: 0, ltvTier: 'none',
      },
      { description: 'prefers sorbet' },
    ]);
    expect((await profile()).traits).toMatchObject({ version: '2022-03-01T00:00:00.000Z', traits: { description: 'prefers sorbet' } });
  });
});
