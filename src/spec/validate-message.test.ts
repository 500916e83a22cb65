import { describe, expect, it } from 'vitest';
import { mapOrderCreated } from '../mapping/order-topics.ts';
import { mapOrderRefunded } from '../mapping/order-refunded.ts';
import { contextFor, mappedMessages, sampleBody } from '../mapping/samples-for-tests.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { specViolation } from './validate-message.ts';

const [identify, orderCompleted] = mappedMessages(mapOrderCreated(sampleBody('orders_create.json'), contextFor('orders/create'))) as [SegmentMessage, SegmentMessage];
const [orderRefunded] = mappedMessages(mapOrderRefunded(sampleBody('refunds_create.json'), contextFor('refunds/create'))) as [SegmentMessage];

/** A deep copy of a message with one change made to it. */
function broken(message: SegmentMessage, change: (copy: any) => void): SegmentMessage {
  const copy = structuredClone(message);
  change(copy);
  return copy;
}

describe('specViolation', () => {
  it('passes the messages the mappers send', () => {
    expect(orderCompleted.event).toBe('Order Completed');
    for (const message of [identify, orderCompleted, orderRefunded]) expect(specViolation(message, 'shopify')).toBeNull();
  });

  type Case = [what: string, message: SegmentMessage, change: (copy: any) => unknown, reason: string];
  it.each<Case>([
    ['a missing messageId', identify, (m) => delete m.messageId, 'spec: identify: messageId is missing'],
    ['a messageId over 100 characters', orderCompleted, (m) => (m.messageId = 'x'.repeat(101)), 'spec: Order Completed: messageId must be at most 100 characters'],
    ['a timestamp that is not ISO-8601', orderCompleted, (m) => (m.timestamp = 'yesterday'), 'spec: Order Completed: timestamp must be an ISO-8601 time'],
    ['neither userId nor anonymousId', orderCompleted, (m) => { delete m.userId; delete m.anonymousId; }, 'spec: Order Completed: userId needs a userId or an anonymousId'],
    ['an empty event name', orderCompleted, (m) => (m.event = ''), 'spec: track: event must not be empty'],
    ['traits that are not an object', identify, (m) => (m.traits = 'x'), 'spec: identify: traits must be an object'],
    ['a missing order_id', orderCompleted, (m) => delete m.properties.order_id, 'spec: Order Completed: properties.order_id is missing'],
    ['a total sent as a string', orderCompleted, (m) => (m.properties.total = '10.00'), 'spec: Order Completed: properties.total must be a number'],
    ['a total that is not finite', orderCompleted, (m) => (m.properties.total = Number.NaN), 'spec: Order Completed: properties.total must be a number'],
    ['a currency that is not ISO 4217', orderCompleted, (m) => (m.properties.currency = 'usd'), 'spec: Order Completed: properties.currency is not an ISO 4217 currency code'],
    ['a missing currency', orderCompleted, (m) => delete m.properties.currency, 'spec: Order Completed: properties.currency is missing'],
    ['products that are not a list', orderCompleted, (m) => (m.properties.products = {}), 'spec: Order Completed: properties.products must be an array'],
    ['a product_id sent as a number', orderCompleted, (m) => (m.properties.products[0].product_id = 12), 'spec: Order Completed: properties.products[0].product_id must be a string'],
    ['an empty sku', orderCompleted, (m) => (m.properties.products[1].sku = ''), 'spec: Order Completed: properties.products[1].sku must not be empty'],
    ['a product without a price', orderCompleted, (m) => delete m.properties.products[0].price, 'spec: Order Completed: properties.products[0].price is missing'],
    ['a fractional quantity', orderCompleted, (m) => (m.properties.products[0].quantity = 1.5), 'spec: Order Completed: properties.products[0].quantity must be a whole number'],
    ['a negative quantity', orderCompleted, (m) => (m.properties.products[0].quantity = -1), 'spec: Order Completed: properties.products[0].quantity must not be negative'],
    ['a refund without refund_id', orderRefunded, (m) => delete m.properties.refund_id, 'spec: Order Refunded: properties.refund_id is missing'],
  ])('holds %s with the rule it broke', (_what, message, change, reason) => {
    expect(specViolation(broken(message, change), 'shopify')).toBe(reason);
  });

  it('checks the call shapes of alias and page', () => {
    const alias: SegmentMessage = { type: 'alias', messageId: 'cs-1', timestamp: '2024-01-01T00:00:00.000Z', userId: '42', previousId: 'anon' };
    expect(specViolation(alias, 'shopify')).toBeNull();
    expect(specViolation({ ...alias, previousId: '' }, 'shopify')).toBe('spec: alias: previousId must not be empty');
    const page: SegmentMessage = { type: 'page', messageId: 'b-1', timestamp: '2024-01-01T00:00:00Z', anonymousId: 'a', properties: { path: '/' } };
    expect(specViolation(page, 'browser')).toBeNull();
    expect(specViolation({ ...page, properties: { currency: 'EURO' } }, 'browser')).toBe('spec: page: properties.currency is not an ISO 4217 currency code');
  });

  it('holds browser events to the common rules only, since their names and properties are the storefront’s', () => {
    const viewed: SegmentMessage = { type: 'track', event: 'Checkout Started', messageId: 'b-2', timestamp: '2024-01-01T00:00:00Z', anonymousId: 'a', properties: { checkout_id: 't' } };
    expect(specViolation(viewed, 'browser')).toBeNull();
    expect(specViolation(viewed, 'shopify')).toBe('spec: Checkout Started: properties.currency is missing');
    expect(specViolation({ ...viewed, properties: { products: [{ price: '3' }] } }, 'browser')).toBe('spec: Checkout Started: properties.products[0].price must be a number');
  });
});
