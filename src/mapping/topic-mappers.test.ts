import { describe, expect, it } from 'vitest';
import { specEvents } from './event-names.ts';
import { mapOrderCompleted } from './order-completed.ts';
import { mapOrderPaid } from './order-topics.ts';
import { eventNamesFor, mapperFor, topicCatalog, topicMappers } from './topic-mappers.ts';

describe('mapperFor', () => {
  it('routes every catalogued topic to its mapper', () => {
    expect(mapperFor('orders/create')).toBe(mapOrderCompleted);
    expect(mapperFor('orders/paid')).toBe(mapOrderPaid);
    expect([...topicMappers.keys()]).toStrictEqual([
      'orders/create',
      'orders/paid',
      'orders/cancelled',
      'orders/fulfilled',
      'orders/partially_fulfilled',
      'orders/updated',
      'orders/edited',
      'refunds/create',
      'customers/create',
      'customers/update',
      'customers/enable',
      'fulfillments/create',
      'fulfillments/update',
      'checkouts/create',
      'checkouts/update',
      'products/create',
      'products/update',
      'products/delete',
      'inventory_levels/update',
      'carts/create',
      'carts/update',
      'collector/track',
      'collector/page',
      'collector/identify',
      'collector/alias',
      'recharge/subscription/created',
      'recharge/subscription/updated',
      'recharge/subscription/cancelled',
      'recharge/order/processed',
      'recharge/charge/failed',
      'recharge/charge/max_retries_reached',
      'recharge/customer/payment_method_updated',
      'recharge/customer/updated',
    ]);
  });

  it('has no mapper for other topics, including names that exist on every object', () => {
    expect(mapperFor('orders/delete')).toBeUndefined();
    expect(mapperFor('ORDERS/CREATE')).toBeUndefined();
    expect(mapperFor('constructor')).toBeUndefined();
    expect(mapperFor('__proto__')).toBeUndefined();
  });
});

describe('the event catalog', () => {
  it('names the events each topic sends', () => {
    expect(eventNamesFor('orders/paid')).toStrictEqual(['Order Completed', 'POS Order Placed', 'Order Paid', 'Payment Failure']);
    expect(eventNamesFor('refunds/create')).toStrictEqual(['Order Refunded']);
    expect(eventNamesFor('checkouts/create')).toStrictEqual(['Checkout Started', 'Coupon Applied', 'Checkout Abandoned']);
    expect(eventNamesFor('carts/update')).toStrictEqual(['Product Added', 'Product Removed']);
    expect(eventNamesFor('checkouts/update')).toStrictEqual([
      'Checkout Step Viewed',
      'Checkout Step Completed',
      'Payment Info Entered',
      'Coupon Applied',
    ]);
    expect(eventNamesFor('recharge/customer/payment_method_updated')).toStrictEqual(['Payment Method Updated']);
    expect(eventNamesFor('subscription/created')).toStrictEqual([]);
    expect(eventNamesFor('app/uninstalled')).toStrictEqual([]);
  });

  it('gives every event a distinct name and messageId kind, and sends every event from some topic', () => {
    const events = Object.values(specEvents);
    // One name on purpose from two sources: Shopify's customers/update and ReCharge's customer/updated.
    expect(new Set(events.map((event) => event.name)).size).toBe(events.length - 1);
    expect(events.filter((event) => event.name === 'Customer Updated').map((event) => event.idKind)).toStrictEqual(['customer-updated', 'recharge-customer-updated']);
    expect(new Set([...events.map((event) => event.idKind), 'identify']).size).toBe(events.length + 1);
    const sent = new Set([...topicCatalog.values()].flatMap((entry) => entry.events));
    expect([...sent].sort()).toStrictEqual(Object.keys(specEvents).sort());
  });
});
