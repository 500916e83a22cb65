import { describe, expect, it } from 'vitest';
import { deterministicUuid, messageIdFor } from '../../pipeline/message-id.ts';
import { integration, mappedMessages, testShop } from '../samples-for-tests.ts';
import { mapPaymentMethodUpdated, mapRechargeCustomerUpdated } from './customer-events.ts';
import { rechargeContext, rechargeFixture } from './recharge-fixtures-for-tests.ts';

const version = '2022-03-09T03:03:49.000Z';
const traits = { email: 'testtesttest11@test.dk', firstName: 'Niels', lastName: 'Bohr', createdAt: '2022-03-09T03:03:28.000Z', recharge_customer_id: '82940507' };

function withShopifyCustomer(name: string, shopifyCustomerId: string): Record<string, any> {
  const body = rechargeFixture(name);
  body.customer.external_customer_id = { ecommerce: shopifyCustomerId };
  return body;
}

describe('recharge/customer/updated', () => {
  it('sends an Identify and Customer Updated per version of the ReCharge customer, anonymous without a Shopify customer', () => {
    const anonymousId = deterministicUuid(testShop, 'recharge-customer', '82940507');
    expect(mapRechargeCustomerUpdated(rechargeFixture('customer-updated.2021-11.json'), rechargeContext('customer/updated'))).toStrictEqual({
      kind: 'mapped',
      messages: [
        {
          type: 'identify', messageId: messageIdFor({ shop: testShop, kind: 'recharge-identify', resource: '82940507', version }),
          timestamp: version, anonymousId, traits, context: integration,
        },
        {
          type: 'track', event: 'Customer Updated',
          messageId: messageIdFor({ shop: testShop, kind: 'recharge-customer-updated', resource: '82940507', version }),
          timestamp: version, anonymousId,
          properties: { recharge_customer_id: '82940507', email: 'testtesttest11@test.dk', subscriptions_active_count: 0 },
          context: integration,
        },
      ],
    });
  });

  it('identifies the Shopify customer (external_customer_id.ecommerce) as userId', () => {
    const result = mapRechargeCustomerUpdated(withShopifyCustomer('customer-updated.2021-11.json', '6524192571458'), rechargeContext('customer/updated'));
    const messages = mappedMessages(result);
    expect(messages.map((message) => [message.type, message.userId, message.anonymousId])).toStrictEqual([
      ['identify', '6524192571458', undefined],
      ['track', '6524192571458', undefined],
    ]);
  });

  it('reads a 2021-01 customer (shopify_customer_id, billing phone)', () => {
    const body = rechargeFixture('customer.2021-01.json');
    body.customer.shopify_customer_id = '5599812345678';
    const [identify] = mappedMessages(mapRechargeCustomerUpdated(body, rechargeContext('customer/updated')));
    expect(identify).toStrictEqual({
      type: 'identify', messageId: messageIdFor({ shop: testShop, kind: 'recharge-identify', resource: '18819267', version: '2018-11-14T08:40:38.000Z' }),
      timestamp: '2018-11-14T08:40:38.000Z', userId: '5599812345678',
      traits: {
        email: 'example_mail@gmail.com', firstName: 'Jacob', lastName: 'Bronowski', phone: '3103843698',
        createdAt: '2018-11-14T08:40:38.000Z', recharge_customer_id: '18819267',
      },
      context: integration,
    });
  });
});

describe('recharge/customer/payment_method_updated', () => {
  it('sends the same Identify as customer/updated of that version, and Payment Method Updated with the payment state', () => {
    const body = withShopifyCustomer('customer-updated.2021-11.json', '6524192571458');
    const [identify, track] = mappedMessages(mapPaymentMethodUpdated(body, rechargeContext('customer/payment_method_updated')));
    const [sameIdentify] = mappedMessages(mapRechargeCustomerUpdated(body, rechargeContext('customer/updated')));
    expect(identify).toStrictEqual(sameIdentify);
    expect(track).toStrictEqual({
      type: 'track', event: 'Payment Method Updated',
      messageId: messageIdFor({ shop: testShop, kind: 'recharge-payment-method-updated', resource: '82940507', version }),
      timestamp: version, userId: '6524192571458',
      properties: {
        recharge_customer_id: '82940507', email: 'testtesttest11@test.dk', subscriptions_active_count: 0,
        has_valid_payment_method: false, has_payment_method_in_dunning: false,
      },
      context: integration,
    });
  });
});
