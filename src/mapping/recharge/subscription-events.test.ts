import { describe, expect, it } from 'vitest';
import { deterministicUuid, messageIdFor } from '../../pipeline/message-id.ts';
import { integration, mappedMessages, testShop } from '../samples-for-tests.ts';
import { rechargeContext, rechargeFixture } from './recharge-fixtures-for-tests.ts';
import { mapSubscriptionCancelled, mapSubscriptionCreated, mapSubscriptionUpdated } from './subscription-events.ts';

const created = {
  product_id: '44444444444', shopify_product_id: '44444444444', shopify_variant_id: '555555555555', subscription_id: '123123123',
  name: 'Vuffeli Prøvepakke', variant: '972-1', category: 'all', price: 49, quantity: 3,
  recharge_customer_id: '333333333', status: 'active', currency: 'DKK', order_interval_frequency: 30, order_interval_unit: 'day',
  charge_interval_frequency: 30, next_charge_scheduled_at: '2022-12-17', is_prepaid: false,
};

describe('recharge/subscription/created, updated, cancelled', () => {
  it('sends Subscription Created once per subscription, anonymous by ReCharge customer when no Shopify customer is included', () => {
    expect(mapSubscriptionCreated(rechargeFixture('subscription-created.2021-11.json'), rechargeContext('subscription/created'))).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'track', event: 'Subscription Created',
        messageId: messageIdFor({ shop: testShop, kind: 'recharge-subscription-created', resource: '123123123' }),
        timestamp: '2022-03-10T14:14:30.000Z',
        anonymousId: deterministicUuid(testShop, 'recharge-customer', '333333333'),
        properties: created,
        context: integration,
      }],
    });
  });

  it("takes the Shopify customer as userId, and the email, from ReCharge's included customer object", () => {
    // The webhook was created with included_objects: ["customer"]: the 2021-11 customer record rides along.
    const body = { ...rechargeFixture('subscription-created.2021-11.json'), customer: rechargeFixture('customer-updated.2021-11.json').customer };
    body.customer.external_customer_id = { ecommerce: '6524192571458' };
    const [message] = mappedMessages(mapSubscriptionCreated(body, rechargeContext('subscription/created')));
    expect(message).toMatchObject({ userId: '6524192571458', properties: { ...created, email: 'testtesttest11@test.dk' } });
    expect(message).not.toHaveProperty('anonymousId');
  });

  it('sends Subscription Updated per updated_at, its price without a currency still exact', () => {
    expect(mapSubscriptionUpdated(rechargeFixture('subscription-updated.2021-11.json'), rechargeContext('subscription/updated'))).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'track', event: 'Subscription Updated',
        messageId: messageIdFor({ shop: testShop, kind: 'recharge-subscription-updated', resource: '111111', version: '2022-03-11T07:01:12.000Z' }),
        timestamp: '2022-03-11T07:01:12.000Z',
        anonymousId: deterministicUuid(testShop, 'recharge-customer', '333333'),
        properties: {
          product_id: '123123123', shopify_product_id: '123123123', shopify_variant_id: '234234234', subscription_id: '111111',
          name: 'Test product', variant: '972-1', category: 'all', price: 49, quantity: 4, recharge_customer_id: '333333', status: 'active',
          order_interval_frequency: 30, order_interval_unit: 'day', charge_interval_frequency: 30, next_charge_scheduled_at: '2022-04-09',
          is_prepaid: false,
        },
        context: integration,
      }],
    });
  });

  it('sends Subscription Cancelled at cancelled_at with the reason (not the free-text comments)', () => {
    expect(mapSubscriptionCancelled(rechargeFixture('subscription-cancelled.2021-11.json'), rechargeContext('subscription/cancelled'))).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'track', event: 'Subscription Cancelled',
        messageId: messageIdFor({ shop: testShop, kind: 'recharge-subscription-cancelled', resource: '11111', version: '2022-03-11T10:19:18.637Z' }),
        timestamp: '2022-03-11T10:19:18.637Z',
        anonymousId: deterministicUuid(testShop, 'recharge-customer', '333333'),
        properties: {
          product_id: '123123123', shopify_product_id: '123123123', shopify_variant_id: '23434345', subscription_id: '11111',
          name: 'Test product', variant: '972-1', category: 'all', price: 49, quantity: 4, recharge_customer_id: '333333', status: 'cancelled',
          order_interval_frequency: 30, order_interval_unit: 'day', charge_interval_frequency: 30, is_prepaid: false,
          cancellation_reason: 'some reason', cancelled_at: '2022-03-11T10:19:18.637Z',
        },
        context: integration,
      }],
    });
  });

  it('keeps an active subscription sent as subscription/cancelled as unmappable, with the reason', () => {
    expect(mapSubscriptionCancelled(rechargeFixture('subscription-updated.2021-11.json'), rechargeContext('subscription/cancelled'))).toStrictEqual({
      kind: 'unmappable', reason: 'subscription 111111 is active, not cancelled',
    });
  });

  it('gives the same messageId to a retried delivery and names a body without a subscription', () => {
    const once = mapSubscriptionCreated(rechargeFixture('subscription-created.2021-11.json'), rechargeContext('subscription/created'));
    expect(mapSubscriptionCreated(rechargeFixture('subscription-created.2021-11.json'), rechargeContext('subscription/created'))).toStrictEqual(once);
    expect(mapSubscriptionCreated({ charge: {} }, rechargeContext('subscription/created'))).toStrictEqual({ kind: 'unmappable', reason: 'subscription: missing' });
  });
});
