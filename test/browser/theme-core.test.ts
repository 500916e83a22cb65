/**
 * The theme's browser core run in Node (same Web Crypto and URL APIs as a browser): its ids must be the server's
 * ids, checked against the server's own functions and mappers, not against copied constants.
 */
import { describe, expect, it } from 'vitest';
import {
  changedCartAttributes, chooseAnonymousId, currentAttribution, landingAttribution, parseCookies, wantedCartAttributes,
} from '../../extensions/cartstream-theme/assets/cartstream-attribution.js';
import {
  createTracker, messageIdFor as browserMessageIdFor, serverMessageIdForBrowserCall, tiktokEventFor, type SegmentCall,
} from '../../extensions/cartstream-theme/assets/cartstream-core.js';
import { mapCheckoutStarted } from '../../src/mapping/checkout-started.ts';
import { mapCollectorEvent } from '../../src/mapping/collector-events.ts';
import { mapOrderCompleted } from '../../src/mapping/order-completed.ts';
import { contextFor, mappedMessages, sampleBody, testShop } from '../../src/mapping/samples-for-tests.ts';
import { messageIdFor } from '../../src/pipeline/message-id.ts';

describe('the browser messageIdFor', () => {
  it.each([
    { shop: 'demo.myshopify.com', kind: 'order-completed', resource: '5820412395678' },
    { shop: 'demo.myshopify.com', kind: 'collector', resource: 'cs-web-7d1f0c4e-2b9a-4c3d-8e5f-6a7b8c9d0e1f' },
    { shop: 'ünïcode-shop.myshopify.com', kind: 'identify', resource: '7001', version: '2026-11-22T10:00:00Z' },
    { shop: 's.myshopify.com', kind: 'a"b\\c', resource: '\u2028 line separator', version: '' },
  ])('agrees with the server for %o', async (parts) => {
    expect(await browserMessageIdFor(parts)).toBe(messageIdFor(parts));
  });

  it('gives a browser call the messageId the server gives it when the collector stores it', async () => {
    const browserId = 'cs-web-0e6a1c2b-3d4f-4a5b-8c6d-7e8f9a0b1c2d';
    const stored = { type: 'track', event: 'Product Viewed', anonymousId: 'anon-1', messageId: browserId, timestamp: '2026-11-22T10:00:00.000Z', properties: {} };
    const [server] = mappedMessages(mapCollectorEvent(stored, contextFor('collector/track')));
    expect(await serverMessageIdForBrowserCall(testShop, browserId)).toBe(server?.messageId);
  });
});

describe('tiktokEventFor', () => {
  const call = (event: string, properties: Record<string, unknown> = {}): SegmentCall => ({
    type: 'track', event, properties, messageId: 'cs-web-1', anonymousId: 'anon-1', timestamp: '2026-11-22T10:00:00.000Z', context: {},
  });

  it.each([['gid://shopify/Order/'], ['']])('gives CompletePayment the server Order Completed messageId (order id prefix %j)', async (prefix) => {
    const order = { ...sampleBody('orders_create.json'), source_name: 'web' };
    const completed = mappedMessages(mapOrderCompleted(order, contextFor('orders/create'))).find((m) => m.event === 'Order Completed');
    // The exact 18-digit id, as the pixel's checkout.order.id and the server's order_id carry it.
    const orderId = String(completed?.properties?.order_id);
    expect(orderId).toMatch(/^\d{18}$/);
    const tiktok = await tiktokEventFor(call('Thankyou Page Viewed', { order_id: `${prefix}${orderId}`, total: 10, currency: 'USD' }), testShop);
    expect(tiktok).toMatchObject({ name: 'CompletePayment', properties: { value: 10, currency: 'USD', content_type: 'product' } });
    expect(tiktok?.eventId).toBe(completed?.messageId);
  });

  it('names the TikTok event of each shared event and uses the server id of the call', async () => {
    const serverId = await serverMessageIdForBrowserCall(testShop, 'cs-web-1');
    for (const [segment, name] of [['Product Viewed', 'ViewContent'], ['Product Added', 'AddToCart'], ['Checkout Started', 'InitiateCheckout'], ['Payment Info Entered', 'AddPaymentInfo']]) {
      expect(await tiktokEventFor(call(segment!, { sku: 'TJ-1', price: 5, quantity: 2 }), testShop)).toStrictEqual({
        name, eventId: serverId, properties: { contents: [{ content_id: 'TJ-1', price: 5, quantity: 2 }], content_type: 'product', value: 5 },
      });
    }
    expect(await tiktokEventFor(call('Product Clicked'), testShop)).toBeNull();
  });

  it("gives InitiateCheckout the server's Checkout Started messageId when the call names its checkout", async () => {
    const checkout = sampleBody('checkouts_create.json');
    const started = mappedMessages(mapCheckoutStarted(checkout, contextFor('checkouts/create'))).find((m) => m.event === 'Checkout Started');
    const tiktok = await tiktokEventFor(call('Checkout Started', { checkout_id: checkout.token, total: 10 }), testShop);
    expect(tiktok?.eventId).toBe(started?.messageId);
  });
});

describe('createTracker', () => {
  function harness(consent: { analytics: boolean; marketing: boolean }, disabledEvents: string[] = []) {
    const sent: SegmentCall[] = [];
    const pixel: { name: string; properties: unknown; options: unknown }[] = [];
    const tracker = createTracker({
      shop: testShop, anonymousId: () => 'anon-7', userId: () => undefined, consent: () => consent, disabledEvents,
      transport: async (calls) => { sent.push(...calls); },
      tiktok: () => ({ track: (name, properties, options) => pixel.push({ name, properties, options }) }),
    });
    return { tracker, sent, pixel };
  }

  it('sends the call and fires TikTok with the id the server will give it', async () => {
    const { tracker, sent, pixel } = harness({ analytics: true, marketing: true });
    await tracker.track('Product Viewed', { sku: 'TJ-1' });
    expect(sent).toMatchObject([{ type: 'track', event: 'Product Viewed', anonymousId: 'anon-7', properties: { sku: 'TJ-1' }, context: {} }]);
    expect(pixel).toStrictEqual([{ name: 'ViewContent', properties: expect.any(Object), options: { event_id: await serverMessageIdForBrowserCall(testShop, sent[0]!.messageId) } }]);
  });

  it('sends nothing at all without analytics consent', async () => {
    const { tracker, sent, pixel } = harness({ analytics: false, marketing: true });
    await tracker.track('Product Viewed', { sku: 'TJ-1' });
    await tracker.identify({ plan: 'x' });
    expect([sent, pixel]).toStrictEqual([[], []]);
  });

  it('marks the call and skips the TikTok pixel without marketing consent', async () => {
    const { tracker, sent, pixel } = harness({ analytics: true, marketing: false });
    await tracker.track('Product Added', { sku: 'TJ-1' });
    expect(sent[0]?.context).toStrictEqual({ consent: { marketing: false } });
    expect(pixel).toStrictEqual([]);
  });

  it('leaves out disabled events', async () => {
    const { tracker, sent } = harness({ analytics: true, marketing: true }, ['Product Shared']);
    await tracker.track('Product Shared', {});
    await tracker.track('Product Clicked', {});
    expect(sent.map((call) => call.event)).toStrictEqual(['Product Clicked']);
  });
});

describe('attribution and cart attributes', () => {
  it('reads click ids and UTM values from the landing URL', () => {
    expect(landingAttribution('https://s.example/products/x?ttclid=E.C.1&utm_source=tiktok&utm_campaign=spring&other=1')).toStrictEqual({
      ttclid: 'E.C.1', utm_source: 'tiktok', utm_campaign: 'spring',
    });
  });

  it('keeps the stored attribution on pages without parameters and replaces it on a new click', () => {
    expect(currentAttribution({ ttclid: 'old' }, {})).toStrictEqual({ ttclid: 'old' });
    expect(currentAttribution({ ttclid: 'old', utm_source: 'x' }, { utm_source: 'y' })).toStrictEqual({ utm_source: 'y' });
  });

  it("prefers the storefront's own id, then Shopify's visitor id, then analytics.js's, then a new one", () => {
    const fresh = () => 'new-id';
    expect(chooseAnonymousId(parseCookies('_cartstream_aid=mine; _shopify_y=shop-y'), fresh)).toBe('mine');
    expect(chooseAnonymousId(parseCookies('_shopify_y=shop-y; ajs_anonymous_id=%22ajs-1%22'), fresh)).toBe('shop-y');
    expect(chooseAnonymousId(parseCookies('ajs_anonymous_id=%22ajs-1%22'), fresh)).toBe('ajs-1');
    expect(chooseAnonymousId({}, fresh)).toBe('new-id');
  });

  it('wants the anonymousId, the ad-click ids and the UTM values, leaving out what is unknown', () => {
    const cookies = parseCookies('_ttp=ttp-1; _fbp=fb.1.1700000000000.123; _ga=GA1.1.42.1700000000');
    expect(wantedCartAttributes({ anonymousId: 'anon-1', cookies, attribution: { ttclid: 'tt-1', fbclid: 'fbc-9', utm_source: 'tiktok' }, nowMs: 1_700_000_000_500 })).toStrictEqual({
      _cartstream_anonymous_id: 'anon-1', _cartstream_ttp: 'ttp-1', _cartstream_ttclid: 'tt-1', _cartstream_fbp: 'fb.1.1700000000000.123',
      _cartstream_fbc: 'fb.1.1700000000500.fbc-9', _cartstream_ga: 'GA1.1.42.1700000000', _cartstream_utm_source: 'tiktok',
    });
  });

  it('writes only the attributes that changed (and not a new timestamp for the same Meta click)', () => {
    const current = { _cartstream_anonymous_id: 'anon-1', _cartstream_fbc: 'fb.1.1.fbc-9', note: 'gift' };
    expect(changedCartAttributes(current, { _cartstream_anonymous_id: 'anon-1', _cartstream_fbc: 'fb.1.2.fbc-9' })).toStrictEqual({});
    expect(changedCartAttributes(current, { _cartstream_anonymous_id: 'anon-2', _cartstream_fbc: 'fb.1.2.fbc-10', _cartstream_ttclid: 't' })).toStrictEqual({
      _cartstream_anonymous_id: 'anon-2', _cartstream_fbc: 'fb.1.2.fbc-10', _cartstream_ttclid: 't',
    });
  });
});
