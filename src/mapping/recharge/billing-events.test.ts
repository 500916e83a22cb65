import { describe, expect, it } from 'vitest';
import { messageIdFor } from '../../pipeline/message-id.ts';
import { integration, mappedMessages, testShop } from '../samples-for-tests.ts';
import { mapChargeFailed, mapChargeMaxTriesReached, mapOrderProcessed } from './billing-events.ts';
import { rechargeContext, rechargeFixture } from './recharge-fixtures-for-tests.ts';

const shopifyCustomerId = '6524192571458';
/** 3 × 49.00 DKK, 10 % coupon, 39.00 shipping, 25 % VAT included (see fixtures/README.md). */
const billed = {
  total: 171.3, subtotal: 132.3, tax: 34.26, discount: 14.7, shipping: 39, currency: 'DKK', coupon: 'WELCOME10',
  recharge_customer_id: '82940507', email: 'testtesttest11@test.dk',
  products: [{
    product_id: '44444444444', shopify_product_id: '44444444444', shopify_variant_id: '555555555555', subscription_id: '123123123',
    name: 'Vuffeli Prøvepakke', variant: '972-1', category: 'all', price: 49, quantity: 3, position: 1,
  }],
};

describe('recharge/charge/failed and recharge/charge/max_retries_reached', () => {
  it('sends Charge Failed once per attempt, the Shopify customer as userId, with the error and the amounts', () => {
    expect(mapChargeFailed(rechargeFixture('charge-failed.2021-11.json'), rechargeContext('charge/failed'))).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'track', event: 'Charge Failed',
        messageId: messageIdFor({ shop: testShop, kind: 'recharge-charge-failed', resource: '580241037', version: 'attempt 2' }),
        timestamp: '2022-12-17T04:00:31.000Z',
        userId: shopifyCustomerId,
        properties: {
          charge_id: '580241037', charge_type: 'recurring', error: 'Your card was declined.', error_type: 'CUSTOMER_NEEDS_TO_UPDATE_CARD',
          charge_attempts: 2, retry_date: '2022-12-20T04:00:00.000Z', payment_method: 'stripe', ...billed,
        },
        context: integration,
      }],
    });
  });

  it('sends Charge Max Tries Reached once per charge', () => {
    expect(mapChargeMaxTriesReached(rechargeFixture('charge-max-retries-reached.2021-11.json'), rechargeContext('charge/max_retries_reached'))).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'track', event: 'Charge Max Tries Reached',
        messageId: messageIdFor({ shop: testShop, kind: 'recharge-charge-max-tries-reached', resource: '580241037' }),
        timestamp: '2023-01-07T04:00:29.000Z',
        userId: shopifyCustomerId,
        properties: {
          charge_id: '580241037', charge_type: 'recurring', error: 'Your card was declined.', error_type: 'CLOSED_MAX_RETRIES_REACHED',
          charge_attempts: 8, payment_method: 'stripe', ...billed,
        },
        context: integration,
      }],
    });
  });

  it('tells attempts apart by updated_at when the charge has no attempt count', () => {
    const body = rechargeFixture('charge-failed.2021-11.json');
    delete body.charge.charge_attempts;
    const [message] = mappedMessages(mapChargeFailed(body, rechargeContext('charge/failed')));
    expect(message?.messageId).toBe(messageIdFor({ shop: testShop, kind: 'recharge-charge-failed', resource: '580241037', version: 'updated 2022-12-17T04:00:31.000Z' }));
  });

  it('keeps a charge whose amount is not a decimal as unmappable, naming the field', () => {
    const body = rechargeFixture('charge-failed.2021-11.json');
    body.charge.total_price = '171,30';
    expect(mapChargeFailed(body, rechargeContext('charge/failed'))).toStrictEqual({
      kind: 'unmappable', reason: 'charge.total_price: "171,30" is not a decimal amount',
    });
  });
});

describe('recharge/order/processed', () => {
  it("sends Order Processed with the Shopify order's id and number, so it joins the Shopify side's order events", () => {
    expect(mapOrderProcessed(rechargeFixture('order-processed.2021-11.json'), rechargeContext('order/processed'))).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'track', event: 'Order Processed',
        messageId: messageIdFor({ shop: testShop, kind: 'recharge-order-processed', resource: '456456456' }),
        timestamp: '2022-12-20T04:00:41.000Z',
        userId: shopifyCustomerId,
        properties: {
          order_id: '5039432466538', order_number: '1042', recharge_order_id: '456456456', charge_id: '580241037', order_type: 'recurring',
          ...billed,
        },
        context: integration,
      }],
    });
  });

  it('reads a 2021-01 order (shopify_* ids, price per line) the same way', () => {
    const order = rechargeFixture('order-processed.2021-11.json').order;
    const legacy = {
      ...order, customer: undefined, customer_id: 82940507, email: 'testtesttest11@test.dk', shopify_customer_id: shopifyCustomerId,
      external_order_id: undefined, shopify_order_id: '5039432466538', external_order_number: undefined, shopify_order_number: 1042,
      charge: undefined, charge_id: 580241037, discounts: undefined, discount_codes: [{ code: 'WELCOME10' }],
      line_items: [{ shopify_product_id: 44444444444, shopify_variant_id: 555555555555, subscription_id: 123123123, price: '49.00', quantity: 3, title: 'Vuffeli Prøvepakke', variant_title: '972-1' }],
    };
    const now = mapOrderProcessed({ order: legacy }, rechargeContext('order/processed'));
    expect(now).toStrictEqual(mapOrderProcessed(rechargeFixture('order-processed.2021-11.json'), rechargeContext('order/processed')));
  });
});
