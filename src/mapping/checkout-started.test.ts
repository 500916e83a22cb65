import { describe, expect, it } from 'vitest';
import { deterministicUuid, messageIdFor } from '../pipeline/message-id.ts';
import { mapCheckoutStarted } from './checkout-started.ts';
import { mapOrderCreated } from './order-topics.ts';
import { contextFor, integration, mappedMessages, sampleBody, testShop } from './samples-for-tests.ts';

const checkouts = contextFor('checkouts/create');
const cartToken = 'eeafa272cebfd4b22385bc4b645e762c';
const customerId = '603851970716743426';

const ipod = (position: number) => ({
  product_id: '632910392',
  shopify_product_id: '632910392',
  shopify_variant_id: '808950810',
  sku: 'IPOD2008PINK',
  name: 'IPod Nano - 8GB',
  variant: 'Pink',
  brand: 'Apple',
  category: 'all',
  price: 199,
  quantity: 1,
  position,
});

const sampleCheckoutStarted = {
  type: 'track',
  event: 'Checkout Started',
  messageId: messageIdFor({ shop: testShop, kind: 'checkout-started', resource: '123123123' }),
  timestamp: '2022-01-01T00:00:00.000Z',
  userId: customerId,
  anonymousId: deterministicUuid(testShop, 'cart', cartToken),
  properties: {
    checkout_id: '123123123',
    cart_id: cartToken,
    email: 'example@email.com',
    value: 421.88,
    revenue: 398,
    subtotal: 398,
    shipping: 0,
    tax: 23.88,
    discount: 0,
    currency: 'USD',
    presentment_currency: 'USD',
    products: [ipod(1), ipod(2)],
  },
  context: integration,
};

describe('checkouts/create', () => {
  it('sends an Identify for its customer and Checkout Started, keyed by the checkout token', () => {
    const messages = mappedMessages(mapCheckoutStarted(sampleBody('checkouts_create.json'), checkouts));
    expect(messages).toStrictEqual([
      {
        type: 'identify',
        // The checkout's customer has no updated_at: one Identify per checkout.
        messageId: messageIdFor({ shop: testShop, kind: 'identify', resource: customerId, version: 'checkout 123123123' }),
        timestamp: '2022-01-01T00:00:00.000Z',
        userId: customerId,
        anonymousId: deterministicUuid(testShop, 'cart', cartToken),
        traits: {
          email: 'john@example.com',
          firstName: 'John',
          lastName: 'Smith',
          address: { street: '123 Elm St.', city: 'Ottawa', state: 'Ontario', postalCode: 'K2H7A8', country: 'Canada' },
          state: 'disabled',
          verified_email: true,
        },
        context: integration,
      },
      sampleCheckoutStarted,
    ]);
  });

  it('joins Order Completed: same checkout_id and anonymousId for the order of that checkout', () => {
    const [, started] = mappedMessages(mapCheckoutStarted(sampleBody('checkouts_create.json'), checkouts));
    const order = { ...sampleBody('orders_create.json'), checkout_token: '123123123', cart_token: cartToken };
    const [, completed] = mappedMessages(mapOrderCreated(order, contextFor('orders/create')));
    expect(completed?.properties?.checkout_id).toBe(started?.properties?.checkout_id);
    expect(completed?.anonymousId).toBe(started?.anonymousId);
  });

  it('uses the anonymousId the storefront wrote into the cart', () => {
    const body = { ...sampleBody('checkouts_create.json'), note_attributes: [{ name: '_cartstream_anonymous_id', value: 'anon-42' }] };
    const messages = mappedMessages(mapCheckoutStarted(body, checkouts));
    expect(messages.map((message) => [message.type, message.anonymousId ?? message.previousId])).toStrictEqual([
      ['alias', 'anon-42'], ['identify', 'anon-42'], ['track', 'anon-42'],
    ]);
  });

  it('sends only Checkout Started for a guest checkout', () => {
    const body = { ...sampleBody('checkouts_create.json'), customer: null };
    const { userId: _userId, ...guest } = sampleCheckoutStarted;
    expect(mapCheckoutStarted(body, checkouts)).toStrictEqual({ kind: 'mapped', messages: [guest] });
  });
});

describe('Coupon Applied', () => {
  const withCodes = () => ({
    ...sampleBody('checkouts_create.json'),
    customer: null,
    total_discounts: '39.80',
    total_price: '382.08',
    discount_codes: [
      { code: 'SPRING10', amount: '39.80', type: 'percentage' },
      { code: 'FREESHIP', amount: '0.00', type: 'shipping' },
    ],
  });

  it('is sent beside Checkout Started for each discount code, each with its own messageId', () => {
    const [started, ...coupons] = mappedMessages(mapCheckoutStarted(withCodes(), checkouts));
    expect(started?.properties).toMatchObject({ coupon: 'SPRING10, FREESHIP', discount: 39.8, value: 382.08 });
    const anonymousId = deterministicUuid(testShop, 'cart', cartToken);
    const coupon = (code: string, discount: number, type: string) => ({
      type: 'track',
      event: 'Coupon Applied',
      messageId: messageIdFor({ shop: testShop, kind: 'coupon-applied', resource: '123123123', version: `coupon ${code}` }),
      timestamp: '2022-01-01T00:00:00.000Z',
      anonymousId,
      properties: {
        checkout_id: '123123123',
        cart_id: cartToken,
        email: 'example@email.com',
        coupon_name: code,
        discount,
        discount_type: type,
        currency: 'USD',
      },
      context: integration,
    });
    expect(coupons).toStrictEqual([coupon('SPRING10', 39.8, 'percentage'), coupon('FREESHIP', 0, 'shipping')]);
  });

  it('names a discount amount it cannot read', () => {
    const body = withCodes();
    body.discount_codes[1]!.amount = 'lots';
    expect(mapCheckoutStarted(body, checkouts)).toStrictEqual({
      kind: 'unmappable',
      reason: 'discount_codes[1].amount: "lots" is not a decimal amount',
    });
  });
});

describe('checkouts/create bodies it cannot map', () => {
  it('names the field', () => {
    const { token: _token, ...withoutToken } = sampleBody('checkouts_create.json');
    expect(mapCheckoutStarted(withoutToken, checkouts)).toStrictEqual({ kind: 'unmappable', reason: 'token: missing' });
    expect(mapCheckoutStarted({ ...sampleBody('checkouts_create.json'), total_price: 'n/a' }, checkouts)).toStrictEqual({
      kind: 'unmappable',
      reason: 'total_price: "n/a" is not a decimal amount',
    });
    for (const body of [null, [], {}]) expect(mapCheckoutStarted(body, checkouts).kind).toBe('unmappable');
  });
});
