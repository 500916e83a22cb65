import { describe, expect, it } from 'vitest';
import { messageIdFor } from '../pipeline/message-id.ts';
import { mapCustomerCreated, mapCustomerEnabled, mapCustomerUpdated } from './customer-events.ts';
import { mapOrderCreated } from './order-topics.ts';
import { contextFor, integration, mappedMessages, sampleBody, testShop } from './samples-for-tests.ts';

const customerId = '706405506930370084';

const sampleIdentify = {
  type: 'identify',
  messageId: 'cs-ffe0cf3c872fa20e40ec1df9fc7af072',
  timestamp: '2022-01-01T00:00:00.000Z',
  userId: customerId,
  traits: {
    email: 'bob@biller.com',
    firstName: 'Bob',
    lastName: 'Biller',
    createdAt: '2022-01-01T00:00:00.000Z',
    description: 'This customer loves ice cream',
    address: { street: "151 O'Connor Street", city: 'Ottawa', state: 'ON', postalCode: 'K2P 2L8', country: 'CA' },
    state: 'disabled',
    verified_email: true,
  },
  context: integration,
};

const sampleProperties = { customer_id: customerId, email: 'bob@biller.com', state: 'disabled', verified_email: true };

describe('customers/create, customers/update, customers/enable', () => {
  it('send an Identify and Customer Created, the customer as userId (exact, from the gid)', () => {
    expect(mapCustomerCreated(sampleBody('customers_create.json'), contextFor('customers/create'))).toStrictEqual({
      kind: 'mapped',
      messages: [
        sampleIdentify,
        {
          type: 'track',
          event: 'Customer Created',
          messageId: 'cs-b92272f55964db57bf08ef0df8fb2266',
          timestamp: '2022-01-01T00:00:00.000Z',
          userId: customerId,
          properties: sampleProperties,
          context: integration,
        },
      ],
    });
  });

  it.each([
    ['customers_update.json', 'customers/update', mapCustomerUpdated, 'Customer Updated', 'customer-updated'],
    ['customers_enable.json', 'customers/enable', mapCustomerEnabled, 'Customer Enabled', 'customer-enabled'],
  ] as const)('%s → Identify and %s, its messageId versioned by updated_at', (file, topic, mapper, event, kind) => {
    const [identify, track] = mappedMessages(mapper(sampleBody(file), contextFor(topic)));
    expect(identify).toStrictEqual(sampleIdentify);
    expect(track).toStrictEqual({
      type: 'track',
      event,
      messageId: messageIdFor({ shop: testShop, kind, resource: customerId, version: '2022-01-01T00:00:00.000Z' }),
      timestamp: '2022-01-01T00:00:00.000Z',
      userId: customerId,
      properties: sampleProperties,
      context: integration,
    });
  });

  it('gives each customer version its own Customer Updated and Identify, and a retry the same ones', () => {
    const update = (updatedAt: string) =>
      mappedMessages(mapCustomerUpdated({ ...sampleBody('customers_update.json'), updated_at: updatedAt }, contextFor('customers/update')));
    const ids = (updatedAt: string) => update(updatedAt).map((message) => message.messageId);
    expect(ids('2024-03-01T10:00:00Z')).toStrictEqual(ids('2024-03-01T05:00:00-05:00'));
    const [a, b] = [ids('2024-03-01T10:00:00Z'), ids('2024-03-02T10:00:00Z')];
    expect(a.filter((id) => b.includes(id))).toStrictEqual([]);
  });

  it('sends Customer Created once per customer, whatever its updated_at', () => {
    const created = (updatedAt: string) =>
      mappedMessages(mapCustomerCreated({ ...sampleBody('customers_create.json'), updated_at: updatedAt }, contextFor('customers/create')))[1];
    expect(created('2024-03-01T10:00:00Z')?.messageId).toBe(created('2024-03-02T10:00:00Z')?.messageId);
  });

  it('sends the same Identify (same messageId) as an order embedding the same customer version', () => {
    const order = sampleBody('orders_create.json');
    const customer = { ...sampleBody('customers_update.json'), updated_at: '2024-03-01T10:00:00Z' };
    order.customer = { ...order.customer, ...customer };
    const [fromOrder] = mappedMessages(mapOrderCreated(order, contextFor('orders/create')));
    const [fromCustomer] = mappedMessages(mapCustomerUpdated(customer, contextFor('customers/update')));
    expect(fromCustomer?.messageId).toBe(fromOrder?.messageId);
  });

  it('falls back to the webhook and X-Shopify-Triggered-At without updated_at, and says when there is no time at all', () => {
    const body = { ...sampleBody('customers_update.json'), updated_at: null };
    const context = contextFor('customers/update', { triggeredAt: '2024-03-01T10:00:00Z' });
    const [identify, track] = mappedMessages(mapCustomerUpdated(body, context));
    expect(track?.timestamp).toBe('2024-03-01T10:00:00.000Z');
    expect(track?.messageId).toBe(
      messageIdFor({ shop: testShop, kind: 'customer-updated', resource: customerId, version: `webhook ${context.webhookId}` }),
    );
    expect(identify?.timestamp).toBe('2024-03-01T10:00:00.000Z');
    expect(mapCustomerUpdated(body, contextFor('customers/update'))).toStrictEqual({
      kind: 'unmappable',
      reason: 'updated_at: no ISO-8601 time in the record nor in X-Shopify-Triggered-At',
    });
  });

  it('names what is wrong with a body that is not a customer', () => {
    expect(mapCustomerCreated({ email: 'a@b.c' }, contextFor('customers/create'))).toStrictEqual({ kind: 'unmappable', reason: 'id: missing' });
    for (const body of [null, [], 'x']) expect(mapCustomerUpdated(body, contextFor('customers/update')).kind).toBe('unmappable');
  });
});
