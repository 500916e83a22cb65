import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SegmentMessage } from '../../pipeline/segment-message.ts';
import { createTikTokDestination, tiktokSettingsSchema, type TikTokSettingsInput } from './index.ts';
import { sampleOrderCompleted } from './order-completed.fixture.ts';

const sha = (value: string) => createHash('sha256').update(value).digest('hex');
const base: TikTokSettingsInput = { accessToken: 'token', pixelCode: 'C9Q2MJ3C77U4P674RPG0' };

function destination(settings: Partial<TikTokSettingsInput> = {}) {
  return createTikTokDestination(tiktokSettingsSchema.parse({ ...base, ...settings }));
}

function wire(message: SegmentMessage, settings: Partial<TikTokSettingsInput> = {}): Record<string, unknown> {
  const result = destination(settings).transform(message);
  if (result.kind !== 'event') throw new Error(`expected an event, got a skip: ${result.reason}`);
  return JSON.parse(result.json) as Record<string, unknown>;
}

const sampleContents = [
  { content_id: 'SKU2006-001', content_name: 'Aviator sunglasses', content_category: 'all', price: 89.99, quantity: 1 },
  { content_id: 'LENS-PROTECT-2YR', content_name: 'Lens Protection Plan (2 Year)', content_category: 'all', price: 19.99, quantity: 1 },
  { content_id: 'CASE-LEATHER-PREM', content_name: 'Premium Leather Case', content_category: 'all', price: 24.99, quantity: 1 },
  { content_id: 'SKU2006-020', content_name: 'Mid-century lounger', content_category: 'all', price: 159.99, quantity: 1 },
  { content_id: 'SKU2006-035', content_name: 'Coffee table', content_category: 'all', price: 119.99, quantity: 1 },
];

describe('TikTok transform: Order Completed from Shopify\'s orders/create sample', () => {
  it('becomes CompletePayment with hashed identity, contents, value and the unassigned market', () => {
    const message = sampleOrderCompleted();
    expect(wire(message)).toStrictEqual({
      event: 'CompletePayment',
      event_time: 1640995200, // 2022-01-01T00:00:00Z
      event_id: message.messageId,
      user: {
        email: sha('jon@example.com'),
        external_id: sha('115310627314723954'),
        ip: '203.0.113.9',
        user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)',
      },
      properties: {
        contents: sampleContents,
        content_type: 'product',
        currency: 'USD',
        value: 394.95,
        order_id: '820982911946154508',
        num_items: 5,
        market_handle: 'unassigned_market',
        market_id: '0',
      },
    });
  });

  it.each(['PlaceAnOrder', 'Purchase'] as const)('uses the configured purchase event name %s', (name) => {
    expect(wire(sampleOrderCompleted(), { completePaymentEventName: name }).event).toBe(name);
  });

  it('serializes once: the stored JSON is the exact wire form, with no undefined fields', () => {
    const result = destination().transform(sampleOrderCompleted());
    expect(result.kind === 'event' && result.json).not.toMatch(/undefined|null/);
  });
});

const productViewed: SegmentMessage = {
  type: 'track', event: 'Product Viewed', messageId: 'pv-1', timestamp: '2024-05-01T10:00:00.900Z', anonymousId: 'anon-1',
  properties: { product_id: '632910392', sku: 'IPOD-342-N', name: 'IPod Nano - 8GB', brand: 'Apple', category: 'Music players',
    price: 199, currency: 'EUR', market_handle: 'eu', market_id: 25165824 },
  context: {
    ip: '2001:db8::1', userAgent: 'Mozilla/5.0', locale: 'de-DE', ttp: '2F7h37YkS1j57AYSKTI7IHhJPYH',
    page: { url: 'https://shop.example/products/ipod?ttclid=E.C.P.abc123', referrer: 'https://www.tiktok.com/' },
    traits: { email: 'Fan@Example.com', phone: '+49 30 901820' },
  },
};

describe('TikTok transform: browser events', () => {
  it('Product Viewed → ViewContent with the top-level product, page, ttp, ttclid from the landing URL, and the market', () => {
    expect(wire(productViewed)).toStrictEqual({
      event: 'ViewContent',
      event_time: 1714557600,
      event_id: 'pv-1',
      user: {
        email: sha('fan@example.com'), phone: sha('+4930901820'), ttp: '2F7h37YkS1j57AYSKTI7IHhJPYH', ttclid: 'E.C.P.abc123',
        ip: '2001:db8::1', user_agent: 'Mozilla/5.0', locale: 'de-DE',
      },
      properties: {
        contents: [{ content_id: 'IPOD-342-N', content_name: 'IPod Nano - 8GB', content_category: 'Music players', price: 199, brand: 'Apple' }],
        content_type: 'product', currency: 'EUR', value: 199, num_items: 1, market_handle: 'eu', market_id: '25165824',
      },
      page: { url: 'https://shop.example/products/ipod?ttclid=E.C.P.abc123', referrer: 'https://www.tiktok.com/' },
    });
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['Product Added', 'AddToCart', { product_id: '1', name: 'Socks', price: 5, quantity: 3, currency: 'USD' }],
    ['Checkout Started', 'InitiateCheckout', { checkout_id: 'c1', value: 15, currency: 'USD', products: [{ sku: 'S-1', quantity: 3, price: 5 }] }],
    ['Payment Info Entered', 'AddPaymentInfo', { checkout_id: 'c1', order_id: '1001', payment_method: 'card' }],
    ['Post Purchase Upsell', 'CompletePayment', { order_id: '1001', revenue: 12, currency: 'USD', products: [{ sku: 'UP-1', price: 12, quantity: 1 }] }],
  ])('%s → %s', (event, tiktokEvent, properties) => {
    expect(wire({ ...productViewed, event, properties, context: {} }).event).toBe(tiktokEvent);
  });

  it('counts items by quantity and takes context ttclid, then properties, then the landing URL', () => {
    const added = wire({ ...productViewed, event: 'Product Added', properties: { sku: 'S', quantity: 3, price: 5, ttclid: 'from-props' },
      context: { ttclid: 'from-context' } });
    expect(added.properties).toMatchObject({ num_items: 3, value: 5 });
    // A server-side Product Added carries the whole cart in products: TikTok gets only what was added.
    const withCart = wire({ ...productViewed, event: 'Product Added', properties: { sku: 'S', quantity: 1, price: 5, products: [{ sku: 'S', quantity: 1 }, { sku: 'T', quantity: 4 }] } });
    expect(withCart.properties).toMatchObject({ contents: [{ content_id: 'S', price: 5, quantity: 1 }], num_items: 1 });
    expect(added.user).toStrictEqual({ ttclid: 'from-context' });
    const landing = wire({ ...productViewed, properties: { landing_site: '/?ttclid=E.C.P.landing' }, context: {} });
    expect(landing.user).toStrictEqual({ ttclid: 'E.C.P.landing' });
  });

  it('leaves out user and page when nothing is known, and sends empty contents when there are no products', () => {
    const bare = wire({ type: 'track', event: 'Checkout Started', messageId: 'c', timestamp: '2024-05-01T10:00:00Z', anonymousId: 'a' });
    expect(bare).toStrictEqual({
      event: 'InitiateCheckout', event_time: 1714557600, event_id: 'c',
      properties: { contents: [], content_type: 'product', market_handle: 'unassigned_market', market_id: '0' },
    });
  });
});

describe('TikTok transform: skips', () => {
  const order = sampleOrderCompleted();

  it.each<[string, SegmentMessage, Partial<TikTokSettingsInput>, string]>([
    ['a non-standard event', { ...order, event: 'Order Refunded' }, {}, 'Order Refunded is not a TikTok standard event'],
    ['a track without an event name', { ...order, event: undefined }, {}, 'a track call without an event name is not sent to TikTok'],
    ['an identify', { type: 'identify', messageId: 'i', timestamp: 't', userId: 'u', traits: { email: 'a@b.c' } }, {},
      'identify calls are not sent to TikTok, which takes conversion events only'],
    ['a page call', { type: 'page', messageId: 'p', timestamp: 't', anonymousId: 'a' }, {}, 'page calls are not sent to TikTok, which takes conversion events only'],
    ['an alias', { type: 'alias', messageId: 'a', timestamp: 't', userId: 'u', previousId: 'x' }, {}, 'alias calls are not sent to TikTok, which takes conversion events only'],
    ['a switched-off event', order, { events: { completePayment: false } }, 'Order Completed → CompletePayment is switched off for TikTok (events.completePayment)'],
    ['a switched-off upsell', { ...order, event: 'Post Purchase Upsell' }, { events: { postPurchaseUpsell: false } },
      'Post Purchase Upsell → CompletePayment is switched off for TikTok (events.postPurchaseUpsell)'],
    ['withheld marketing consent', { ...order, context: { ...order.context, consent: { marketing: false } } }, {}, 'marketing consent withheld'],
    ['an unreadable timestamp', { ...order, timestamp: 'yesterday' }, {}, 'timestamp "yesterday" is not an ISO-8601 time'],
    ['an inherited object key as event name', { ...order, event: 'toString' }, {}, 'toString is not a TikTok standard event'],
  ])('skips %s with the reason', (_case, message, settings, reason) => {
    expect(destination(settings).transform(message)).toStrictEqual({ kind: 'skip', reason });
  });

  it.each([true, undefined, 'no'])('sends the event when consent.marketing is %j (only an explicit false withholds it)', (marketing) => {
    expect(destination().transform({ ...order, context: { consent: { marketing } } }).kind).toBe('event');
  });

  it('keeps the other events on when one is switched off', () => {
    expect(destination({ events: { viewContent: false } }).transform(order).kind).toBe('event');
  });
});
