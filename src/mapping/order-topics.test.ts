import { describe, expect, it } from 'vitest';
import { messageIdFor } from '../pipeline/message-id.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { specEvents } from './event-names.ts';
import {
  mapOrderCancelled,
  mapOrderCreated,
  mapOrderFulfilled,
  mapOrderPaid,
  mapOrderPartiallyFulfilled,
} from './order-topics.ts';
import { contextFor, mappedMessages, sampleBody, testShop } from './samples-for-tests.ts';

const create = contextFor('orders/create');
const paid = contextFor('orders/paid');

function track(messages: SegmentMessage[], event: string): SegmentMessage {
  const found = messages.find((message) => message.event === event);
  if (found === undefined) throw new Error(`no ${event} in ${messages.map((m) => m.event ?? m.type).join(', ')}`);
  return found;
}

/** The Order Completed of the orders/create sample: every order-type event carries its properties. */
function orderCompletedOfSample(): SegmentMessage {
  return track(mappedMessages(mapOrderCreated(sampleBody('orders_create.json'), create)), 'Order Completed');
}

describe('orders/paid', () => {
  it('adds Order Paid, with the order properties and its own messageId from the order id', () => {
    const messages = mappedMessages(mapOrderPaid(sampleBody('orders_paid.json'), paid));
    const completed = orderCompletedOfSample();
    expect(messages.map((message) => message.event ?? message.type)).toStrictEqual(['identify', 'Order Completed', 'Order Paid']);
    expect(track(messages, 'Order Completed')).toStrictEqual(completed);
    expect(track(messages, 'Order Paid')).toStrictEqual({
      ...completed,
      event: 'Order Paid',
      messageId: 'cs-b7ab00481ff504f93d22f0479e1d98a1',
    });
    expect(track(messages, 'Order Paid').messageId).toBe(
      messageIdFor({ shop: testShop, kind: 'order-paid', resource: '820982911946154508' }),
    );
  });

  it('keeps the Order Completed messageId it had before Order Paid existed', () => {
    expect(orderCompletedOfSample().messageId).toBe('cs-26b0f749246b0358525ea52a196b0785');
  });

  it('times Order Paid by the order updated_at (when it became paid)', () => {
    const body = { ...sampleBody('orders_paid.json'), updated_at: '2022-01-03T09:30:00-05:00' };
    const orderPaid = track(mappedMessages(mapOrderPaid(body, paid)), 'Order Paid');
    expect(orderPaid.timestamp).toBe('2022-01-03T14:30:00.000Z');
    expect(orderPaid.messageId).toBe('cs-b7ab00481ff504f93d22f0479e1d98a1');
  });
});

describe('orders/cancelled', () => {
  it('sends Identify and Order Cancelled with cancel_reason and the order properties', () => {
    const messages = mappedMessages(mapOrderCancelled(sampleBody('orders_cancelled.json'), contextFor('orders/cancelled')));
    expect(messages.map((message) => message.event ?? message.type)).toStrictEqual(['identify', 'Order Cancelled']);
    const completed = orderCompletedOfSample();
    const cancelled = track(messages, 'Order Cancelled');
    const { products: _products, ...sampleProperties } = completed.properties ?? {};
    const { products, ...properties } = cancelled.properties ?? {};
    expect({ ...cancelled, properties }).toStrictEqual({
      ...completed,
      event: 'Order Cancelled',
      messageId: 'cs-7af85f6ec5d91098f370ab98e0485b20',
      properties: { ...sampleProperties, total: 404.95, cancel_reason: 'customer' },
    });
    expect(products).toHaveLength(5);
  });

  it('times it by cancelled_at', () => {
    const body = { ...sampleBody('orders_cancelled.json'), cancelled_at: '2022-01-05T08:00:00Z', updated_at: '2022-01-06T08:00:00Z' };
    const cancelled = track(mappedMessages(mapOrderCancelled(body, contextFor('orders/cancelled'))), 'Order Cancelled');
    expect(cancelled.timestamp).toBe('2022-01-05T08:00:00.000Z');
  });
});

describe('orders/fulfilled and orders/partially_fulfilled', () => {
  it('send Order Fulfilled and Order Partially Fulfilled', () => {
    const fulfilled = mappedMessages(mapOrderFulfilled(sampleBody('orders_fulfilled.json'), contextFor('orders/fulfilled')));
    const partial = mappedMessages(
      mapOrderPartiallyFulfilled(sampleBody('orders_partially_fulfilled.json'), contextFor('orders/partially_fulfilled')),
    );
    expect(fulfilled.map((message) => message.event ?? message.type)).toStrictEqual(['identify', 'Order Fulfilled']);
    expect(partial.map((message) => message.event ?? message.type)).toStrictEqual(['identify', 'Order Partially Fulfilled']);
    expect(track(fulfilled, 'Order Fulfilled').properties).toStrictEqual(orderCompletedOfSample().properties);
  });

  it('sends one Order Partially Fulfilled per order version, and one Order Fulfilled per order', () => {
    const at = (updatedAt: string) => ({ ...sampleBody('orders_partially_fulfilled.json'), updated_at: updatedAt });
    const partialId = (updatedAt: string) =>
      track(mappedMessages(mapOrderPartiallyFulfilled(at(updatedAt), contextFor('orders/partially_fulfilled'))), 'Order Partially Fulfilled').messageId;
    const fulfilledId = (updatedAt: string) =>
      track(mappedMessages(mapOrderFulfilled(at(updatedAt), contextFor('orders/fulfilled'))), 'Order Fulfilled').messageId;
    expect(partialId('2022-01-02T10:00:00Z')).not.toBe(partialId('2022-01-03T10:00:00Z'));
    expect(partialId('2022-01-02T10:00:00Z')).toBe(partialId('2022-01-02T05:00:00-05:00'));
    expect(fulfilledId('2022-01-02T10:00:00Z')).toBe(fulfilledId('2022-01-03T10:00:00Z'));
  });
});

describe('POS orders', () => {
  const pos = () => ({ ...sampleBody('orders_create.json'), source_name: 'pos' });

  it('are POS Order Placed instead of Order Completed, with the same properties', () => {
    const messages = mappedMessages(mapOrderCreated(pos(), create));
    const completed = orderCompletedOfSample();
    expect(messages.map((message) => message.event ?? message.type)).toStrictEqual(['identify', 'POS Order Placed']);
    expect(track(messages, 'POS Order Placed')).toStrictEqual({
      ...completed,
      event: 'POS Order Placed',
      messageId: messageIdFor({ shop: testShop, kind: specEvents.posOrderPlaced.idKind, resource: '820982911946154508' }),
    });
  });

  it('give POS Order Placed once whether orders/create or orders/paid arrives first, and Order Paid on paid', () => {
    const created = mappedMessages(mapOrderCreated(pos(), create));
    const paidMessages = mappedMessages(mapOrderPaid(pos(), paid));
    expect(paidMessages.map((message) => message.event ?? message.type)).toStrictEqual(['identify', 'POS Order Placed', 'Order Paid']);
    expect(paidMessages.slice(0, 2)).toStrictEqual(created);
  });
});

describe('orders of every channel', () => {
  it('are mapped on every order topic with the facts the destinations’ options filter on', () => {
    const draft = { ...sampleBody('orders_cancelled.json'), source_name: 'shopify_draft_order', tags: ' wholesale,, VIP ', payment_gateway_names: ['manual', ''] };
    for (const mapper of [mapOrderCreated, mapOrderPaid, mapOrderCancelled, mapOrderFulfilled, mapOrderPartiallyFulfilled]) {
      expect(mapper(draft, create)).toMatchObject({ kind: 'mapped', order: { sourceName: 'shopify_draft_order', tags: ['wholesale', 'VIP'], gateways: ['manual'] } });
    }
  });
});

describe('Payment Failure', () => {
  const failed = {
    id: 389404469,
    admin_graphql_api_id: 'gid://shopify/OrderTransaction/389404469',
    kind: 'sale',
    status: 'failure',
    amount: '404.95',
    currency: 'USD',
    gateway: 'shopify_payments',
    error_code: 'card_declined',
    created_at: '2021-12-31T18:58:00-05:00',
  };
  const succeeded = { ...failed, id: 389404470, admin_graphql_api_id: 'gid://shopify/OrderTransaction/389404470', status: 'success', error_code: null };
  const withTransactions = () => ({ ...sampleBody('orders_create.json'), transactions: [failed, succeeded] });

  it('is sent for each failed transaction in the order body, with the order properties', () => {
    const messages = mappedMessages(mapOrderCreated(withTransactions(), create));
    expect(messages.map((message) => message.event ?? message.type)).toStrictEqual(['identify', 'Order Completed', 'Payment Failure']);
    const completed = orderCompletedOfSample();
    expect(track(messages, 'Payment Failure')).toStrictEqual({
      ...completed,
      event: 'Payment Failure',
      messageId: messageIdFor({ shop: testShop, kind: 'payment-failure', resource: '389404469' }),
      timestamp: '2021-12-31T23:58:00.000Z',
      properties: {
        ...completed.properties,
        transaction_id: '389404469',
        payment_method: 'shopify_payments',
        error_code: 'card_declined',
        transaction_amount: 404.95,
        transaction_currency: 'USD',
      },
    });
  });

  it('has one messageId per transaction, whichever order topic carries it', () => {
    const fromCreate = track(mappedMessages(mapOrderCreated(withTransactions(), create)), 'Payment Failure');
    const fromPaid = track(mappedMessages(mapOrderPaid(withTransactions(), paid)), 'Payment Failure');
    expect(fromPaid.messageId).toBe(fromCreate.messageId);
  });

  it('is not sent for error-free transactions, and names a failed transaction amount it cannot read', () => {
    const fine = { ...sampleBody('orders_create.json'), transactions: [succeeded] };
    expect(mappedMessages(mapOrderCreated(fine, create)).map((m) => m.event ?? m.type)).toStrictEqual(['identify', 'Order Completed']);
    const bad = { ...sampleBody('orders_create.json'), transactions: [{ ...failed, status: 'error', amount: 'n/a' }] };
    expect(mapOrderCreated(bad, create)).toStrictEqual({
      kind: 'unmappable',
      reason: 'transactions[0].amount: "n/a" is not a decimal amount',
    });
  });
});
