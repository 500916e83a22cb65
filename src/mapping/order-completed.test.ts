import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deterministicUuid } from '../pipeline/message-id.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import type { MapContext, MapResult } from './mapper.ts';
import { mapOrderCompleted } from './order-completed.ts';
import { mapOrderPaid } from './order-topics.ts';
import { expectedProduct } from './samples-for-tests.ts';

const samples = new URL('../../../shared/fixtures/shopify/samples/', import.meta.url);
const shop = 'demo.myshopify.com';

function sampleText(name: string): string {
  return readFileSync(new URL(name, samples), 'utf8');
}

/** A fresh copy of a sample's webhook body (the `response` field), parsed the way the pipeline parses it. */
function sampleBody(name = 'orders_create.json'): Record<string, any> {
  return (parseJsonExact(sampleText(name)) as { response: Record<string, any> }).response;
}

function contextFor(topic: string): MapContext {
  return { shop, topic, webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', apiVersion: '2026-04', triggeredAt: null };
}

const create = contextFor('orders/create');

function mappedMessages(result: MapResult) {
  if (result.kind !== 'mapped') throw new Error(`expected mapped, got ${result.kind}: ${result.reason}`);
  return result.messages;
}

const sampleAnonymousId = 'a72e8ae4-1c6a-8af2-88d8-103fbc74ef4d';
const integration = { integration: { name: 'shopify_cartstream' } };

const sampleIdentify = {
  type: 'identify',
  messageId: 'cs-3a23c85e3f13db1e79d0ad9124e5fe9d',
  timestamp: '2022-01-01T00:00:00.000Z',
  userId: '115310627314723954',
  anonymousId: sampleAnonymousId,
  traits: {
    email: 'john@example.com',
    firstName: 'John',
    lastName: 'Smith',
    address: { street: '123 Elm St.', city: 'Ottawa', state: 'Ontario', postalCode: 'K2H7A8', country: 'Canada' },
    state: 'disabled',
    verified_email: true,
  },
  context: integration,
};

const product = expectedProduct;

const sampleOrderCompleted = {
  type: 'track',
  event: 'Order Completed',
  messageId: 'cs-26b0f749246b0358525ea52a196b0785',
  timestamp: '2022-01-01T00:00:00.000Z',
  userId: '115310627314723954',
  anonymousId: sampleAnonymousId,
  properties: {
    order_id: '820982911946154508',
    email: 'jon@example.com',
    total: 404.95,
    subtotal: 404.95,
    revenue: 394.95,
    shipping: 10,
    tax: 0,
    discount: 20,
    currency: 'USD',
    presentment_currency: 'USD',
    presentment_total: 404.95,
    payment_method: 'visa, bogus',
    shipping_method: 'Generic Shipping',
    products: [
      product('SKU2006-001', 'Aviator sunglasses', 89.99, 1, '788032119674292900'),
      product('LENS-PROTECT-2YR', 'Lens Protection Plan (2 Year)', 19.99, 2),
      product('CASE-LEATHER-PREM', 'Premium Leather Case', 24.99, 3),
      product('SKU2006-020', 'Mid-century lounger', 159.99, 4, '788032119674292900'),
      product('SKU2006-035', 'Coffee table', 119.99, 5, '788032119674292900'),
    ],
  },
  context: integration,
};

describe('mapOrderCompleted on Shopify samples', () => {
  it('maps orders/create to an Identify and an Order Completed', () => {
    expect(mapOrderCompleted(sampleBody(), create)).toStrictEqual({
      kind: 'mapped',
      messages: [sampleIdentify, sampleOrderCompleted],
      // The order's state for the stateful order events (order-state.test.ts).
      state: expect.objectContaining({ currency: 'USD', anonymousId: sampleOrderCompleted.anonymousId }),
      order: { sourceName: 'web', tags: ['tag1', 'tag2'], gateways: ['visa', 'bogus'], email: 'john@example.com' },
    });
  });

  it('maps orders/paid of the same order to the same Identify and Order Completed (same messageIds), plus Order Paid', () => {
    const paid = mappedMessages(mapOrderPaid(sampleBody('orders_paid.json'), contextFor('orders/paid')));
    expect(paid.slice(0, 2)).toStrictEqual(mappedMessages(mapOrderCompleted(sampleBody(), create)));
    expect(paid.map((message) => message.messageId)).toStrictEqual([
      sampleIdentify.messageId,
      sampleOrderCompleted.messageId,
      'cs-b7ab00481ff504f93d22f0479e1d98a1',
    ]);
  });

  it('keeps an 18-digit order id exact when the body carries it as a JSON number', () => {
    const text = sampleText('orders_create.json')
      .replace('"id": 820982911946154500', '"id": 820982911946154508')
      .replace('"gid://shopify/Order/820982911946154508"', 'null');
    const body = (parseJsonExact(text) as { response: unknown }).response;
    const [, track] = mappedMessages(mapOrderCompleted(body, create));
    expect(track?.properties?.order_id).toBe('820982911946154508');
    expect(track?.messageId).toBe(sampleOrderCompleted.messageId);
  });

  it('takes numeric ids (13 digits, as live stores have) as strings', () => {
    const body: Record<string, any> = { ...sampleBody(), id: 5678901234567, admin_graphql_api_id: null };
    body.customer = { ...body.customer, id: 7012345678901, admin_graphql_api_id: null };
    const [identify, track] = mappedMessages(mapOrderCompleted(body, create));
    expect(track?.properties?.order_id).toBe('5678901234567');
    expect(track?.userId).toBe('7012345678901');
    expect(identify?.userId).toBe('7012345678901');
  });
});

describe('mapOrderCompleted channel rule', () => {
  it.each(['shopify_draft_order', 'iphone', 'android', '1354745'])('maps a %s order to Order Completed, naming its channel for the destinations’ options', (sourceName) => {
    const result = mapOrderCompleted({ ...sampleBody(), source_name: sourceName }, create);
    expect(result).toStrictEqual({
      kind: 'mapped',
      messages: [sampleIdentify, sampleOrderCompleted],
      order: { sourceName, tags: ['tag1', 'tag2'], gateways: ['visa', 'bogus'], email: 'john@example.com' },
      // The order's state for the stateful order events (order-state.test.ts).
      state: expect.objectContaining({ currency: 'USD', anonymousId: sampleOrderCompleted.anonymousId }),
    });
  });

  it('cannot map an order whose channel is unknown', () => {
    expect(mapOrderCompleted({ ...sampleBody(), source_name: null }, create)).toStrictEqual({
      kind: 'unmappable',
      reason: 'source_name: missing, so the sales channel is unknown',
    });
  });
});

describe('mapOrderCompleted identity', () => {
  it('sends only Order Completed, with an anonymousId from the cart token, for an order without a customer', () => {
    const body = { ...sampleBody(), customer: null, cart_token: 'c1-7a1f0e6b3d', checkout_token: 'k-9' };
    const messages = mappedMessages(mapOrderCompleted(body, create));
    expect(messages).toHaveLength(1);
    const [track] = messages;
    expect(track).not.toHaveProperty('userId');
    expect(track?.anonymousId).toBe(deterministicUuid(shop, 'cart', 'c1-7a1f0e6b3d'));
    expect(track?.messageId).toBe(sampleOrderCompleted.messageId);
  });

  it('falls back to the checkout token, then the order id, never to randomness', () => {
    const withCheckout = { ...sampleBody(), customer: null, cart_token: null, checkout_token: 'k-9' };
    expect(mappedMessages(mapOrderCompleted(withCheckout, create))[0]?.anonymousId).toBe(
      deterministicUuid(shop, 'checkout', 'k-9'),
    );
    const bare = { ...sampleBody(), customer: null };
    expect(mappedMessages(mapOrderCompleted(bare, create))[0]?.anonymousId).toBe(sampleAnonymousId);
    expect(mapOrderCompleted(bare, create)).toStrictEqual(mapOrderCompleted(bare, create));
  });

  it('uses the anonymousId the storefront wrote into the cart, on both messages', () => {
    const body = {
      ...sampleBody(),
      cart_token: 'c1-7a1f0e6b3d',
      note_attributes: [
        { name: 'gift_note', value: 'Happy birthday' },
        { name: '_cartstream_anonymous_id', value: '0b9c5a1e-4b8f-4d2c-9a77-2f1e8d3c6b10' },
      ],
    };
    const [alias, ...messages] = mappedMessages(mapOrderCompleted(body, create));
    expect(messages.map((message) => message.anonymousId)).toStrictEqual([
      '0b9c5a1e-4b8f-4d2c-9a77-2f1e8d3c6b10',
      '0b9c5a1e-4b8f-4d2c-9a77-2f1e8d3c6b10',
    ]);
    // The browser's id meets the customer here: one Alias, before the Identify.
    expect(alias).toMatchObject({ type: 'alias', previousId: '0b9c5a1e-4b8f-4d2c-9a77-2f1e8d3c6b10', userId: messages[0]!.userId });
  });

  it('versions the Identify by the customer updated_at', () => {
    const body = sampleBody();
    const at = (updatedAt: string) => {
      const version = { ...body, customer: { ...body.customer, updated_at: updatedAt } };
      return mappedMessages(mapOrderCompleted(version, create))[0];
    };
    const first = at('2024-03-01T10:00:00-05:00');
    expect(first?.timestamp).toBe('2024-03-01T15:00:00.000Z');
    expect(at('2024-03-01T15:00:00Z')?.messageId).toBe(first?.messageId);
    expect(at('2024-03-02T10:00:00-05:00')?.messageId).not.toBe(first?.messageId);
  });
  it('sends the customer traits the paid connectors send, when Shopify has them (without a looked-up profile: from the record)', () => {
    const body = sampleBody();
    body.customer = {
      ...body.customer,
      phone: '+16135550135',
      created_at: '2020-05-04T09:00:00-04:00',
      note: 'prefers email',
      tags: 'vip, wholesale',
      email_marketing_consent: { state: 'subscribed', opt_in_level: 'single_opt_in' },
      orders_count: 3,
      total_spent: '1234.50',
      currency: 'CAD',
    };
    const [identify] = mappedMessages(mapOrderCompleted(body, create));
    expect(identify?.traits).toStrictEqual({
      ...sampleIdentify.traits,
      phone: '+16135550135',
      createdAt: '2020-05-04T13:00:00.000Z',
      description: 'prefers email',
      tags: 'vip, wholesale',
      marketingOptIn: 'subscribed',
      purchaseCount: 3,
      customerLifetimeValue: 1234.5,
      ltvTier: 'high',
    });
  });
});

describe('mapOrderCompleted properties', () => {
  it('maps a JPY shop order presented in USD with exact amounts', () => {
    const body = sampleBody();
    const yen = (amount: string) => ({ shop_money: { amount, currency_code: 'JPY' } });
    const jpy = {
      ...body,
      currency: 'JPY',
      presentment_currency: 'USD',
      total_price: '61000',
      subtotal_price: '60000',
      total_tax: '0',
      total_discounts: '1500',
      total_price_set: { ...yen('61000'), presentment_money: { amount: '410.27', currency_code: 'USD' } },
      total_shipping_price_set: yen('1000'),
      line_items: body.line_items.slice(0, 2).map((item: object, index: number) => ({
        ...item,
        price: ['15000', '46500.00'][index],
      })),
    };
    const [, track] = mappedMessages(mapOrderCompleted(jpy, create));
    expect(track?.properties).toMatchObject({
      total: 61000,
      subtotal: 60000,
      revenue: 60000,
      shipping: 1000,
      tax: 0,
      discount: 1500,
      currency: 'JPY',
      presentment_currency: 'USD',
      presentment_total: 410.27,
    });
    expect((track?.properties?.products as { price: number }[]).map((item) => item.price)).toStrictEqual([15000, 46500]);
  });

  it('sends coupons, product variants and brands, and the browser as context', () => {
    const body = sampleBody();
    const [first] = body.line_items;
    const detailed = {
      ...body,
      discount_codes: [
        { code: 'SUMMER20', amount: '15.00', type: 'percentage' },
        { code: 'VIP', amount: '5.00', type: 'fixed_amount' },
      ],
      browser_ip: '203.0.113.7',
      client_details: { browser_ip: '203.0.113.7', user_agent: 'Mozilla/5.0 (X11; Linux x86_64)' },
      checkout_token: 'bd5a8aa1ecd019dd3520ff791ee3a24c',
      line_items: [{ ...first, variant_id: 49148385, variant_title: 'Black / Large', vendor: 'Acme', quantity: 2 }],
    };
    const [, track] = mappedMessages(mapOrderCompleted(detailed, create));
    expect(track?.properties).toMatchObject({
      checkout_id: 'bd5a8aa1ecd019dd3520ff791ee3a24c',
      coupon: 'SUMMER20, VIP',
      products: [
        {
          product_id: '788032119674292900',
          shopify_product_id: '788032119674292900',
          shopify_variant_id: '49148385',
          sku: 'SKU2006-001',
          name: 'Aviator sunglasses',
          variant: 'Black / Large',
          brand: 'Acme',
          category: 'all',
          price: 89.99,
          quantity: 2,
          position: 1,
        },
      ],
    });
    expect(track?.context).toStrictEqual({ ...integration, ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' });
  });
});

describe('mapOrderCompleted on payloads it cannot map', () => {
  it('names the money field that does not parse', () => {
    const body = sampleBody();
    body.line_items[1].price = 'example string';
    expect(mapOrderCompleted(body, create)).toStrictEqual({
      kind: 'unmappable',
      reason: 'line_items[1].price: "example string" is not a decimal amount',
    });
    expect(mapOrderCompleted({ ...sampleBody(), total_tax: 'example string' }, create)).toStrictEqual({
      kind: 'unmappable',
      reason: 'total_tax: "example string" is not a decimal amount',
    });
  });

  it('names a missing id, a bad currency and a bad time', () => {
    const { id: _id, ...withoutId } = sampleBody();
    expect(mapOrderCompleted(withoutId, create)).toStrictEqual({ kind: 'unmappable', reason: 'id: missing' });
    expect(mapOrderCompleted({ ...sampleBody(), currency: 'example string' }, create)).toStrictEqual({
      kind: 'unmappable',
      reason: 'currency: "example string" is not an ISO 4217 currency code',
    });
    expect(mapOrderCompleted({ ...sampleBody(), created_at: 'yesterday' }, create)).toStrictEqual({
      kind: 'unmappable',
      reason: 'created_at: "yesterday" is not an ISO-8601 time',
    });
  });

  it('never throws on bodies that are not orders', () => {
    for (const body of [null, 'text', 42, [], {}, { id: {} }]) {
      const result = mapOrderCompleted(body, create);
      expect(result.kind).toBe('unmappable');
    }
    expect(mapOrderCompleted(null, create)).toStrictEqual({
      kind: 'unmappable',
      reason: '(body): Invalid input: expected object, received null',
    });
  });
});
