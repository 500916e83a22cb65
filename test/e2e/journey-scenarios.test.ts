import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import type { SinkEvent } from '../../src/local-sink/segment-sink.ts';
import { startSegmentSink, type SegmentSink } from '../../src/local-sink/segment-sink.ts';
import { sampleResponseText } from '../../src/mapping/samples-for-tests.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startCartstream, type Cartstream } from '../../src/runtime.ts';
import { jsonNumber } from '../../src/simulator/json-bytes.ts';
import { e2eSecret, e2eShop, e2eWriteKey, postSignedWebhook, tempDir, waitFor, waitForDrain, type Json } from './e2e-harness.ts';

/**
 * Whole journeys, built from Shopify's own webhook samples made consistent (one cart token, one checkout token, one
 * order), through a real cartstream into the local Segment sink. Each journey's events are asserted in full, in the
 * order of their timestamps: a mapping regression shows as a diff here. Sending a journey again, with the same or
 * new webhook ids, must add nothing at the sink.
 */

/** A sample's body with its 18-digit ids kept exact (JSON.rawJSON), so the edited body still names the same ids. */
function sample(name: string, changes: Json = {}): Json {
  const body = JSON.parse(sampleResponseText(name), (_key, value, context?: { source?: string }) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context?.source ? jsonNumber(context.source) : value) as Json;
  return { ...body, ...changes };
}

const cartToken = 'eeafa272cebfd4b22385bc4b645e762c';
const checkoutToken = '123123123';
const orderId = '820982911946154508';
const customerId = '115310627314723954';
const anonymousId = 'b3b1d5c0-5a9e-4c59-9d7c-2f1f3c0a7e11';
const browserAttribute = [{ name: '_cartstream_anonymous_id', value: anonymousId }];

type Step = [topic: string, body: Json];

function cartLines(quantities: readonly number[]): Json[] {
  const [first] = sample('carts_create.json').line_items as Json[];
  return quantities.map((quantity, index) => ({
    ...first, quantity, id: jsonNumber(String(704912205188288575n + BigInt(index))), variant_id: jsonNumber(String(704912205188288575n + BigInt(index))),
    sku: `example-shirt-${index}`, title: `Example T-Shirt ${index}`,
  }));
}

const at = (minute: number) => new Date(Date.parse('2022-01-01T00:00:00Z') + minute * 60_000).toISOString();

/** The web shopper: a cart that grows and shrinks, a checkout through its steps, an EUR order and its later life. */
function webJourney(): Step[] {
  const cart = (quantities: number[], minute: number) => sample('carts_update.json', {
    id: cartToken, token: cartToken, line_items: cartLines(quantities), updated_at: at(minute), created_at: at(0),
  });
  // The samples name two customers (john@example.com under two ids): the checkout's becomes the order's.
  const customer = (body: Json) => ({ ...(body.customer as Json), id: jsonNumber(customerId), admin_graphql_api_id: `gid://shopify/Customer/${customerId}` });
  const checkoutSample = sample('checkouts_update.json');
  const checkout = { ...checkoutSample, customer: customer(checkoutSample) };
  const created = sample('checkouts_create.json');
  const order = sample('orders_create.json', {
    checkout_token: checkoutToken, cart_token: cartToken, note_attributes: browserAttribute, presentment_currency: 'EUR',
    total_price_set: { shop_money: { amount: '404.95', currency_code: 'USD' }, presentment_money: { amount: '377.15', currency_code: 'EUR' } },
  });
  return [
    ['carts/create', cart([1], 0)],
    ['carts/update', cart([1, 2], 1)],
    ['carts/update', cart([1, 1], 2)],
    ['checkouts/create', { ...created, customer: customer(created), note_attributes: browserAttribute }],
    ['checkouts/update', { ...checkout, note_attributes: browserAttribute, gateway: null }],
    ['checkouts/update', { ...checkout, note_attributes: browserAttribute, gateway: 'visa', updated_at: '2021-12-31T19:05:00-05:00' }],
    ['orders/create', order],
    ['orders/paid', { ...order, financial_status: 'paid' }],
    // The samples' own order_id fields lost their last digits to a JSON.parse: name the order exactly.
    ['fulfillments/create', sample('fulfillments_create.json', { order_id: jsonNumber(orderId), created_at: '2021-12-31T21:00:00-05:00', updated_at: '2021-12-31T21:00:00-05:00' })],
    ['refunds/create', sample('refunds_create.json', { order_id: jsonNumber(orderId), created_at: '2021-12-31T22:00:00-05:00', processed_at: '2021-12-31T22:00:00-05:00' })],
    ['orders/cancelled', { ...order, financial_status: 'refunded', cancel_reason: 'customer', cancelled_at: '2021-12-31T23:00:00-05:00', updated_at: '2021-12-31T23:00:00-05:00' }],
  ];
}

/** A point-of-sale sale and an order a merchant typed into the admin (draft order). */
function otherChannels(): Step[] {
  const order = (id: bigint, source: string) => {
    const body = sample('orders_create.json');
    const customer = { ...(body.customer as Json), id: jsonNumber(String(id + 1000n)), admin_graphql_api_id: `gid://shopify/Customer/${id + 1000n}` };
    return { ...body, id: jsonNumber(String(id)), admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#${source}`, source_name: source, customer };
  };
  return [['orders/create', order(5_000_000_001n, 'pos')], ['orders/create', order(5_000_000_002n, 'shopify_draft_order')]];
}

/** What a journey's events say, in timestamp order (then type and name, for events of one instant). */
function summary(events: readonly SinkEvent[]): unknown[] {
  const keys = ['step', 'order_id', 'checkout_id', 'cart_id', 'total', 'value', 'currency', 'presentment_currency', 'presentment_total', 'partial', 'quantity', 'sku', 'cancel_reason', 'status'];
  return events
    .map(({ event }) => event as Json)
    .sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)) || String(a.type).localeCompare(String(b.type)) || String(a.event ?? '').localeCompare(String(b.event ?? '')))
    .map((e) => {
      const properties = (e.properties ?? {}) as Json;
      const picked = Object.fromEntries(keys.filter((key) => properties[key] !== undefined).map((key) => [key, properties[key]]));
      const traits = (e.traits ?? {}) as Json;
      // Calls without properties: who they join, and the lifetime value an Identify carries.
      if (e.type === 'alias') Object.assign(picked, { previousId: e.previousId, userId: e.userId });
      if (e.type === 'identify') Object.assign(picked, { userId: e.userId, customerLifetimeValue: traits.customerLifetimeValue, purchaseCount: traits.purchaseCount });
      return [e.type, e.event ?? null, e.timestamp, picked];
    });
}

describe('whole journeys through cartstream to the Segment sink', () => {
  const tmp = tempDir('cartstream-journeys-');
  let sink: SegmentSink;
  let cartstream: Cartstream;
  let webhookCount = 0;

  async function send(steps: readonly Step[], ids: 'new' | 'again' = 'new'): Promise<void> {
    for (const [index, [topic, body]] of steps.entries()) {
      const id = ids === 'new' ? `journey-${++webhookCount}` : `journey-${index + 1}`;
      expect(await postSignedWebhook(cartstream.url!, topic, id, JSON.stringify(body))).toBe(200);
    }
    await waitForDrain(cartstream.store, 20_000);
  }

  beforeAll(async () => {
    sink = await startSegmentSink({ writeKey: e2eWriteKey });
    const config = parseConfig({
      port: 0, host: '127.0.0.1', db: `${tmp.path}/cartstream.db`, logLevel: 'silent',
      shops: [{ domain: e2eShop, webhookSecrets: [e2eSecret] }],
      // The Product Added debounce runs at once; the abandonment window is far away (the order cancels it anyway).
      pipeline: { productAddedAfterMs: 0 },
      destinations: { segment: { writeKey: e2eWriteKey, endpoint: sink.url } },
    }, 'the journey test');
    cartstream = await startCartstream(config, { logger: createLogger('silent'), processing: 'inline', random: () => 0 });
    await send(webJourney());
    await send(otherChannels());
    // The debounced Product Added jobs were due at once; wait until the sink has them.
    await waitFor('the Product Added jobs', () => (sink.received().filter((e) => e.event.event === 'Product Added').length >= 2 ? null : 'waiting'), 10_000);
  }, 60_000);

  afterAll(async () => {
    await cartstream?.close();
    await sink?.close();
    tmp.remove();
  });

  it('sends the web journey as exactly this sequence of events', () => {
    const web = sink.received().filter(({ event }) => {
      const properties = (event.properties ?? {}) as Json;
      return event.anonymousId === anonymousId || event.previousId === anonymousId || event.userId === customerId || properties.cart_id === cartToken || properties.checkout_id === checkoutToken || properties.order_id === orderId;
    });
    expect(summary(web)).toStrictEqual(expectedWebJourney);
  });

  it('sends the POS sale as POS Order Placed and leaves the draft order out, with the rule, under the default options', async () => {
    const other = sink.received().filter(({ event }) => ['5000000001', '5000000002'].includes(String((event.properties as Json | undefined)?.order_id)));
    expect(summary(other)).toStrictEqual(expectedOtherChannels);
    const skipped = await cartstream.store.searchMessages({ limit: 50, eventName: 'Order Completed' });
    expect(skipped.filter((m) => m.status === 'skipped').map((m) => m.lastError)).toStrictEqual([
      expect.stringMatching(/^excluded by option orders\.channels \(web\): source_name shopify_draft_order/),
    ]);
  });

  it('adds nothing at the sink when Shopify sends every webhook again, with the same ids or with new ones', async () => {
    const before = sink.received().length;
    await send(webJourney(), 'again');
    await send([...webJourney(), ...otherChannels()]);
    expect(sink.received().length).toBe(before);
    expect(new Set(sink.received().map((e) => e.messageId)).size).toBe(before);
  });
});

/**
 * The web journey at the sink. The checkout's Identify comes before any order (lifetime value 0); the order's counts
 * it (404.95, 1 order); the partial refund's is net of the 85.00 refunded (319.95). The EUR presentment total rides
 * along in presentment_total; totals stay in the shop's currency. One Alias joins the browser id to the customer.
 * Cart units: 1 × shirt 0 added, 2 × shirt 1 added, 1 × shirt 1 removed. Steps 2 and 3 and Payment Info Entered
 * come with the checkout update that holds the payment gateway.
 */
const expectedWebJourney: unknown[] = [
  ['alias', null, '2022-01-01T00:00:00.000Z', { previousId: 'b3b1d5c0-5a9e-4c59-9d7c-2f1f3c0a7e11', userId: '115310627314723954' }],
  ['identify', null, '2022-01-01T00:00:00.000Z', { userId: '115310627314723954', customerLifetimeValue: 0, purchaseCount: 0 }],
  ['identify', null, '2022-01-01T00:00:00.000Z', { userId: '115310627314723954', customerLifetimeValue: 404.95, purchaseCount: 1 }],
  ['track', 'Checkout Started', '2022-01-01T00:00:00.000Z', { checkout_id: '123123123', cart_id: 'eeafa272cebfd4b22385bc4b645e762c', value: 421.88, currency: 'USD', presentment_currency: 'USD' }],
  ['track', 'Checkout Step Completed', '2022-01-01T00:00:00.000Z', { step: 1, checkout_id: '123123123', cart_id: 'eeafa272cebfd4b22385bc4b645e762c' }],
  ['track', 'Checkout Step Viewed', '2022-01-01T00:00:00.000Z', { step: 1, checkout_id: '123123123', cart_id: 'eeafa272cebfd4b22385bc4b645e762c' }],
  ['track', 'Order Completed', '2022-01-01T00:00:00.000Z', { order_id: '820982911946154508', checkout_id: '123123123', total: 404.95, currency: 'USD', presentment_currency: 'EUR', presentment_total: 377.15 }],
  ['track', 'Order Paid', '2022-01-01T00:00:00.000Z', { order_id: '820982911946154508', checkout_id: '123123123', total: 404.95, currency: 'USD', presentment_currency: 'EUR', presentment_total: 377.15 }],
  ['track', 'Product Added', '2022-01-01T00:00:00.000Z', { cart_id: 'eeafa272cebfd4b22385bc4b645e762c', currency: 'USD', quantity: 1, sku: 'example-shirt-0' }],
  ['track', 'Product Added', '2022-01-01T00:01:00.000Z', { cart_id: 'eeafa272cebfd4b22385bc4b645e762c', currency: 'USD', quantity: 2, sku: 'example-shirt-1' }],
  ['track', 'Product Removed', '2022-01-01T00:02:00.000Z', { cart_id: 'eeafa272cebfd4b22385bc4b645e762c', currency: 'USD', quantity: 1, sku: 'example-shirt-1' }],
  ['track', 'Checkout Step Completed', '2022-01-01T00:05:00.000Z', { step: 2, checkout_id: '123123123', cart_id: 'eeafa272cebfd4b22385bc4b645e762c' }],
  ['track', 'Checkout Step Completed', '2022-01-01T00:05:00.000Z', { step: 3, checkout_id: '123123123', cart_id: 'eeafa272cebfd4b22385bc4b645e762c' }],
  ['track', 'Checkout Step Viewed', '2022-01-01T00:05:00.000Z', { step: 2, checkout_id: '123123123', cart_id: 'eeafa272cebfd4b22385bc4b645e762c' }],
  ['track', 'Checkout Step Viewed', '2022-01-01T00:05:00.000Z', { step: 3, checkout_id: '123123123', cart_id: 'eeafa272cebfd4b22385bc4b645e762c' }],
  ['track', 'Payment Info Entered', '2022-01-01T00:05:00.000Z', { step: 3, checkout_id: '123123123', cart_id: 'eeafa272cebfd4b22385bc4b645e762c' }],
  ['track', 'Fulfillment Created', '2022-01-01T02:00:00.000Z', { order_id: '820982911946154508', status: 'pending' }],
  ['identify', null, '2022-01-01T03:00:00.000Z', { userId: '115310627314723954', customerLifetimeValue: 319.95, purchaseCount: 1 }],
  ['track', 'Order Refunded', '2022-01-01T03:00:00.000Z', { order_id: '820982911946154508', total: 85, currency: 'USD', partial: true }],
  ['track', 'Order Cancelled', '2022-01-01T04:00:00.000Z', { order_id: '820982911946154508', checkout_id: '123123123', total: 404.95, currency: 'USD', presentment_currency: 'EUR', presentment_total: 377.15, cancel_reason: 'customer' }],
];

/** The POS sale is a POS Order Placed; the draft order sends nothing to Segment (skipped by orders.channels). */
const expectedOtherChannels: unknown[] = [
  ['track', 'POS Order Placed', '2022-01-01T00:00:00.000Z', { order_id: '5000000001', total: 404.95, currency: 'USD', presentment_currency: 'USD', presentment_total: 404.95 }],
];
