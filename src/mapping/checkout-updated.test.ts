import { describe, expect, it } from 'vitest';
import { deterministicUuid, messageIdFor } from '../pipeline/message-id.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { mapCheckoutStarted } from './checkout-started.ts';
import { mapCheckoutUpdated } from './checkout-updated.ts';
import { contextFor, integration, mappedMessages, sampleBody, testShop } from './samples-for-tests.ts';

const updates = contextFor('checkouts/update');
const cartToken = 'eeafa272cebfd4b22385bc4b645e762c';
const customerId = '603851970716743426';
const anonymousId = deterministicUuid(testShop, 'cart', cartToken);
const shippingLine = { title: 'Standard', code: 'STANDARD', price: '5.00' };

/** The sample as a guest checkout at a stage: contact only, shipping chosen, or payment chosen. */
function guestAt(stage: 'contact' | 'shipping' | 'payment', extra: Record<string, unknown> = {}): Record<string, unknown> {
  const sample = sampleBody('checkouts_update.json');
  const shipping = stage === 'contact' ? { shipping_address: null, shipping_lines: [] } : { shipping_lines: [shippingLine] };
  return { ...sample, customer: null, ...shipping, gateway: stage === 'payment' ? 'shopify_payments' : null, ...extra };
}

function stepEvent(event: 'Checkout Step Viewed' | 'Checkout Step Completed', step: number, properties: Record<string, unknown> = {}) {
  const kind = event === 'Checkout Step Viewed' ? 'checkout-step-viewed' : 'checkout-step-completed';
  return {
    type: 'track',
    event,
    messageId: messageIdFor({ shop: testShop, kind, resource: '123123123', version: `step ${step}` }),
    timestamp: '2022-01-01T00:00:00.000Z',
    anonymousId,
    properties: { checkout_id: '123123123', cart_id: cartToken, email: 'example@email.com', step, ...properties },
    context: integration,
  };
}

const bothStepEvents = (step: number, properties: Record<string, unknown> = {}) => [
  stepEvent('Checkout Step Viewed', step, properties),
  stepEvent('Checkout Step Completed', step, properties),
];

describe('checkouts/update', () => {
  it("maps Shopify's sample (email, no shipping rate, no gateway) to step 1 with the customer's Identify", () => {
    const messages = mappedMessages(mapCheckoutUpdated(sampleBody('checkouts_update.json'), updates));
    const [identify, ...steps] = messages;
    expect(identify).toMatchObject({
      type: 'identify',
      userId: customerId,
      messageId: messageIdFor({ shop: testShop, kind: 'identify', resource: customerId, version: 'checkout 123123123' }),
    });
    expect(steps).toStrictEqual(bothStepEvents(1).map((event) => ({ ...event, userId: customerId })));
  });

  it('sends the Identify checkouts/create sent for the same checkout, with the same messageId', () => {
    const [started] = mappedMessages(mapCheckoutStarted(sampleBody('checkouts_create.json'), contextFor('checkouts/create')));
    const [updated] = mappedMessages(mapCheckoutUpdated(sampleBody('checkouts_update.json'), updates));
    expect(updated?.messageId).toBe(started?.messageId);
  });

  it('sends step 1 once the buyer gave an email or a phone', () => {
    expect(mappedMessages(mapCheckoutUpdated(guestAt('contact'), updates))).toStrictEqual(bothStepEvents(1));
    const byPhone = guestAt('contact', { email: null, phone: '+15555550123' });
    expect(mappedMessages(mapCheckoutUpdated(byPhone, updates)).map((m) => [m.event, m.properties?.step])).toStrictEqual([
      ['Checkout Step Viewed', 1],
      ['Checkout Step Completed', 1],
    ]);
  });

  it('sends steps 1 and 2 once a shipping address and a shipping rate are chosen, with the shipping method', () => {
    expect(mappedMessages(mapCheckoutUpdated(guestAt('shipping'), updates))).toStrictEqual([
      ...bothStepEvents(1),
      ...bothStepEvents(2, { shipping_method: 'Standard' }),
    ]);
  });

  it('needs both address and rate for step 2', () => {
    const rateOnly = guestAt('contact', { shipping_lines: [shippingLine] });
    const addressOnly = guestAt('shipping', { shipping_lines: [] });
    for (const body of [rateOnly, addressOnly]) {
      expect(mappedMessages(mapCheckoutUpdated(body, updates)).map((m) => m.properties?.step)).toStrictEqual([1, 1]);
    }
  });

  it('sends steps 1–3 and Payment Info Entered once a gateway is chosen', () => {
    const paid = { shipping_method: 'Standard', payment_method: 'shopify_payments' };
    expect(mappedMessages(mapCheckoutUpdated(guestAt('payment'), updates))).toStrictEqual([
      ...bothStepEvents(1),
      ...bothStepEvents(2, { shipping_method: 'Standard' }),
      ...bothStepEvents(3, paid),
      {
        ...stepEvent('Checkout Step Viewed', 3, paid),
        event: 'Payment Info Entered',
        messageId: messageIdFor({ shop: testShop, kind: 'payment-info-entered', resource: '123123123' }),
      },
    ]);
  });

  it('reads the payment method from payment_gateway_names when gateway is absent', () => {
    const body = guestAt('shipping', { payment_gateway_names: ['paypal'] });
    expect(mappedMessages(mapCheckoutUpdated(body, updates)).at(-1)?.properties).toMatchObject({ step: 3, payment_method: 'paypal' });
  });

  it('sends the same events for a completed checkout, and nothing more (the order sends Order Completed)', () => {
    const completed = guestAt('payment', { completed_at: '2021-12-31T19:05:00-05:00' });
    expect(mapCheckoutUpdated(completed, updates)).toStrictEqual(mapCheckoutUpdated(guestAt('payment'), updates));
  });

  it('sends the Coupon Applied that checkouts/create sends for the same code, with the same messageId', () => {
    const codes = { discount_codes: [{ code: 'SPRING10', amount: '39.80', type: 'percentage' }] };
    const created = mappedMessages(mapCheckoutStarted({ ...sampleBody('checkouts_create.json'), customer: null, ...codes }, contextFor('checkouts/create')));
    const updated = mappedMessages(mapCheckoutUpdated(guestAt('contact', codes), updates));
    const coupon = (messages: SegmentMessage[]) => messages.find((message) => message.event === 'Coupon Applied');
    expect(coupon(updated)?.messageId).toBe(coupon(created)?.messageId);
    expect(coupon(updated)?.properties).toStrictEqual(coupon(created)?.properties);
  });

  it('ignores a checkout that has reached no step and carries no code', () => {
    expect(mapCheckoutUpdated(guestAt('contact', { email: null }), updates)).toStrictEqual({
      kind: 'ignored',
      reason: 'the checkout has reached no step yet (no email, phone, shipping or payment)',
    });
  });

  it('reads an address sent as [] (not entered yet) as none', () => {
    const body = guestAt('contact', { shipping_address: [], billing_address: [], shipping_lines: [shippingLine] });
    expect(mappedMessages(mapCheckoutUpdated(body, updates)).map((m) => m.properties?.step)).toStrictEqual([1, 1]);
  });

  it('names what it cannot read', () => {
    expect(mapCheckoutUpdated(guestAt('contact', { updated_at: 'soon' }), updates)).toStrictEqual({
      kind: 'unmappable',
      reason: 'updated_at: "soon" is not an ISO-8601 time',
    });
    for (const body of [null, [], {}]) expect(mapCheckoutUpdated(body, updates).kind).toBe('unmappable');
  });
});

describe('a checkout updated again and again', () => {
  /** What the outbox keeps: the first message for each messageId. */
  function deduplicated(bodies: Record<string, unknown>[]): SegmentMessage[] {
    const kept = new Map<string, SegmentMessage>();
    for (const body of bodies) {
      for (const message of mappedMessages(mapCheckoutUpdated(body, updates))) {
        if (!kept.has(message.messageId)) kept.set(message.messageId, message);
      }
    }
    return [...kept.values()];
  }

  it('yields each step once, in order, when the contact → shipping → payment updates arrive with repeats', () => {
    const at = (minute: number) => ({ updated_at: `2021-12-31T19:0${minute}:00-05:00` });
    const bodies = [
      guestAt('contact', at(1)),
      guestAt('contact', at(2)),
      guestAt('shipping', at(3)),
      guestAt('shipping', at(3)),
      guestAt('payment', at(4)),
      guestAt('payment', { ...at(5), completed_at: '2021-12-31T19:05:00-05:00' }),
    ];
    const sent = deduplicated(bodies).map((message) => [message.event, message.properties?.step, message.timestamp]);
    expect(sent).toStrictEqual([
      ['Checkout Step Viewed', 1, '2022-01-01T00:01:00.000Z'],
      ['Checkout Step Completed', 1, '2022-01-01T00:01:00.000Z'],
      ['Checkout Step Viewed', 2, '2022-01-01T00:03:00.000Z'],
      ['Checkout Step Completed', 2, '2022-01-01T00:03:00.000Z'],
      ['Checkout Step Viewed', 3, '2022-01-01T00:04:00.000Z'],
      ['Checkout Step Completed', 3, '2022-01-01T00:04:00.000Z'],
      ['Payment Info Entered', 3, '2022-01-01T00:04:00.000Z'],
    ]);
  });

  it('derives the same body for a step from any later update, so a replay cannot change what was sent', () => {
    const fromFirst = mappedMessages(mapCheckoutUpdated(guestAt('contact'), updates));
    const fromLast = mappedMessages(mapCheckoutUpdated(guestAt('payment'), updates)).slice(0, 2);
    expect(fromLast).toStrictEqual(fromFirst);
  });

  it('keeps steps of different checkouts and shops apart', () => {
    const ids = (body: Record<string, unknown>, shop = testShop) =>
      mappedMessages(mapCheckoutUpdated(body, contextFor('checkouts/update', { shop }))).map((message) => message.messageId);
    const first = ids(guestAt('payment'));
    expect(new Set([...first, ...ids(guestAt('payment', { token: 'other-token' }))]).size).toBe(first.length * 2);
    expect(new Set([...first, ...ids(guestAt('payment'), 'other.myshopify.com')]).size).toBe(first.length * 2);
  });
});
