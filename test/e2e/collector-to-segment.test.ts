import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { startSegmentSink, type SegmentSink } from '../../src/local-sink/segment-sink.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startCartstream, type Cartstream } from '../../src/runtime.ts';
import { sampleBody } from '../../src/mapping/samples-for-tests.ts';
import { e2eSecret, e2eShop, e2eWriteKey, postSignedWebhook, tempDir, waitFor } from './e2e-harness.ts';

const sourceKey = 'storefront-public-key';
const origin = 'https://e2e-outfitters.example';

describe('storefront events through the collector to Segment', () => {
  const tmp = tempDir('cartstream-collector-');
  let sink: SegmentSink;
  let cartstream: Cartstream;

  beforeAll(async () => {
    sink = await startSegmentSink({ writeKey: e2eWriteKey });
    const config = parseConfig({
      port: 0, host: '127.0.0.1', db: join(tmp.path, 'cartstream.db'), logLevel: 'silent',
      shops: [{ domain: e2eShop, webhookSecrets: [e2eSecret] }],
      collector: { sourceKey, shop: e2eShop, allowedOrigins: [origin] },
      pipeline: { identityWaitMs: 3_000 },
      destinations: { segment: { writeKey: e2eWriteKey, endpoint: sink.url } },
    }, 'the e2e test');
    cartstream = await startCartstream(config, { logger: createLogger('silent') });
  });

  afterAll(async () => {
    await cartstream?.close();
    await sink?.close();
    tmp.remove();
  });

  it('accepts an analytics.js sendBeacon batch and delivers its events once, even when the browser retries', async () => {
    const batch = JSON.stringify({
      writeKey: sourceKey,
      batch: [
        { type: 'page', anonymousId: 'anon-1', messageId: 'ajs-page-1', name: 'Home', timestamp: '2026-11-22T10:00:00.000Z' },
        { type: 'track', anonymousId: 'anon-1', messageId: 'ajs-track-1', event: 'Product Viewed', properties: { product_id: 'p1', price: 19.99 }, timestamp: '2026-11-22T10:00:01.000Z' },
      ],
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(`${cartstream.url}/v1/batch`, { method: 'POST', body: batch, headers: { 'content-type': 'text/plain', origin } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    }
    await waitFor('two events at the sink', () => (sink.stats().acceptedEvents >= 2 ? null : `${sink.stats().acceptedEvents} of 2`), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const events = sink.received();
    expect(events.map((e) => e.event.event ?? e.type).sort()).toStrictEqual(['Product Viewed', 'page']);
    const viewed = events.find((e) => e.event.event === 'Product Viewed')!;
    expect(viewed.event).toMatchObject({ anonymousId: 'anon-1', properties: { product_id: 'p1', price: 19.99 } });
    expect((viewed.event.context as { ip?: string }).ip).toBe('127.0.0.1');
    expect((await cartstream.store.counts()).duplicates).toBe(2);
  });

  it("gives a later order for the browser's cart the browser's anonymousId by the collector link alone, and aliases it once", async () => {
    const browserId = 'anon-buy-now-7';
    const cartToken = 'c1-e2e-buy-now';
    const addToCart = { type: 'track', anonymousId: browserId, messageId: 'ajs-add-7', event: 'Product Added', properties: { cart_id: cartToken, product_id: 'p7' }, timestamp: '2026-11-22T10:05:00.000Z' };
    const beacon = await fetch(`${cartstream.url}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey: sourceKey, batch: [addToCart] }), headers: { 'content-type': 'text/plain', origin } });
    expect(beacon.status).toBe(200);
    await waitFor('the browser event at the sink', () => (sink.received().some((e) => e.event.event === 'Product Added' && e.event.anonymousId === browserId) ? null : 'not yet'), 10_000);

    // "Buy Now": the order skips the cart page, so the theme never wrote the cart attribute.
    const body = Buffer.from(JSON.stringify({ ...sampleBody('orders_create.json'), source_name: 'web', cart_token: cartToken, note_attributes: [] }));
    expect(await postSignedWebhook(cartstream.url!, 'orders/create', 'e2e-buy-now-1', body)).toBe(200);

    const completed = () => sink.received().filter((e) => e.event.event === 'Order Completed');
    await waitFor('Order Completed at the sink', () => (completed().length === 1 ? null : `${completed().length}`), 10_000);
    const order = completed()[0]!.event;
    expect(order.anonymousId).toBe(browserId);
    const aliases = sink.received().filter((e) => e.type === 'alias');
    expect(aliases.map((e) => e.event)).toEqual([expect.objectContaining({ previousId: browserId, userId: order.userId })]);
  });

  it("waits briefly for the browser event when the order comes first, so it still carries the browser's anonymousId", async () => {
    const browserId = 'anon-thank-you-9';
    const cartToken = 'c1-e2e-order-first';
    const body = Buffer.from(JSON.stringify({
      ...sampleBody('orders_create.json'), id: 820982911946150009, admin_graphql_api_id: 'gid://shopify/Order/820982911946150009',
      source_name: 'web', cart_token: cartToken, note_attributes: [],
    }));
    expect(await postSignedWebhook(cartstream.url!, 'orders/create', 'e2e-order-first-1', body)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const thankYou = { type: 'track', anonymousId: browserId, messageId: 'pixel-thank-you-9', event: 'Thankyou Page Viewed', properties: { cart_id: cartToken }, timestamp: '2026-11-22T10:06:00.000Z' };
    const beacon = await fetch(`${cartstream.url}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey: sourceKey, batch: [thankYou] }), headers: { 'content-type': 'text/plain', origin } });
    expect(beacon.status).toBe(200);

    const order = () => sink.received().find((e) => e.event.event === 'Order Completed' && (e.event.properties as { order_id?: string }).order_id === '820982911946150009');
    await waitFor('the order at the sink', () => (order() ? null : 'not yet'), 10_000);
    expect(order()!.event.anonymousId).toBe(browserId);
  });

  it('refuses a wrong source key and stores nothing', async () => {
    const before = await cartstream.store.counts();
    const response = await fetch(`${cartstream.url}/v1/track`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('wrong-key:').toString('base64')}` },
      body: JSON.stringify({ type: 'track', anonymousId: 'a', event: 'X', messageId: 'm-x' }),
    });
    expect(response.status).toBe(401);
    const after = await cartstream.store.counts();
    expect(after.inbox).toStrictEqual(before.inbox);
  });
});
