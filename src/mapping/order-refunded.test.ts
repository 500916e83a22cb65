import { describe, expect, it } from 'vitest';
import { deterministicUuid, messageIdFor } from '../pipeline/message-id.ts';
import { mapOrderRefunded } from './order-refunded.ts';
import { mapOrderCreated } from './order-topics.ts';
import { contextFor, editedSampleBody, integration, mappedMessages, sampleBody, testShop, expectedProduct } from './samples-for-tests.ts';

const refunds = contextFor('refunds/create');

const product = expectedProduct;

const sampleProducts = [
  product('SKU2006-001', 'Aviator sunglasses', 89.99, 1, '788032119674292900'),
  product('LENS-PROTECT-2YR', 'Lens Protection Plan (2 Year)', 19.99, 2),
  product('CASE-LEATHER-PREM', 'Premium Leather Case', 24.99, 3),
  product('SKU2006-020', 'Mid-century lounger', 159.99, 4, '788032119674292900'),
  product('SKU2006-035', 'Coffee table', 119.99, 5, '788032119674292900'),
];

/** The sample's JSON.parse rounded its REST ids; a live body (through parseJsonExact) has them exact. */
const exactSample = () =>
  editedSampleBody('refunds_create.json', (text) => text.replace('"order_id": 820982911946154500,', '"order_id": 820982911946154508,'));

function refunded(body: unknown) {
  const [track] = mappedMessages(mapOrderRefunded(body, refunds));
  return track!;
}

describe('mapOrderRefunded on the refunds/create sample', () => {
  it('sends Order Refunded with the money actually refunded, the refunded products and the refund id', () => {
    expect(mapOrderRefunded(exactSample(), refunds)).toStrictEqual({
      kind: 'mapped',
      messages: [
        {
          type: 'track',
          event: 'Order Refunded',
          messageId: 'cs-d64d87947fc5b1b675fd9161f56328f7',
          timestamp: '2022-01-01T00:00:00.000Z',
          anonymousId: deterministicUuid(testShop, 'order', '820982911946154508'),
          properties: {
            order_id: '820982911946154508',
            refund_id: '890088186047892319',
            // Two successful refund transactions, 75.00 + 10.00; less than the refunded items' 414.95.
            total: 85,
            currency: 'USD',
            partial: true,
            products: sampleProducts,
          },
          context: integration,
        },
      ],
    });
  });

  it('keys the messageId by the exact refund id (from the gid; the sample rounded the REST id)', () => {
    const rounded = refunded(sampleBody('refunds_create.json'));
    expect(rounded.messageId).toBe(refunded(exactSample()).messageId);
    expect(rounded.properties?.refund_id).toBe('890088186047892319');
    expect(rounded.messageId).toBe(messageIdFor({ shop: testShop, kind: 'order-refunded', resource: '890088186047892319' }));
  });

  it('shares the anonymousId an order without a cart gets, so events of one guest order line up', () => {
    const guestOrder = { ...sampleBody('orders_create.json'), customer: null, cart_token: null, checkout_token: null };
    const [completed] = mappedMessages(mapOrderCreated(guestOrder, contextFor('orders/create')));
    expect(refunded(exactSample()).anonymousId).toBe(completed?.anonymousId);
  });
});

describe('Order Refunded total', () => {
  it('is the refunded line items subtotal + tax when no refund transaction succeeded', () => {
    const body = exactSample();
    body.transactions = body.transactions.map((tx: object) => ({ ...tx, status: 'failure' }));
    body.refund_line_items[0].total_tax_set.shop_money.amount = '4.50';
    const track = refunded(body);
    expect(track.properties?.total).toBe(419.45);
    expect(track.properties).not.toHaveProperty('partial');
  });

  it('counts only successful refund transactions', () => {
    const body = exactSample();
    body.transactions[1] = { ...body.transactions[1], status: 'pending' };
    expect(refunded(body).properties?.total).toBe(75);
  });

  it('stays in the shop currency when the money went back in the customer currency, which becomes the presentment total', () => {
    const body = exactSample();
    body.transactions = [{ ...body.transactions[0], amount: '380.10', currency: 'EUR' }];
    expect(refunded(body).properties).toMatchObject({
      total: 414.95,
      currency: 'USD',
      presentment_currency: 'EUR',
      presentment_total: 380.1,
    });
  });

  it('is exact in a zero-decimal currency', () => {
    const body = exactSample();
    body.refund_line_items = body.refund_line_items.slice(0, 1);
    const line = body.refund_line_items[0];
    line.subtotal_set.shop_money = { amount: '15000', currency_code: 'JPY' };
    line.total_tax_set.shop_money = { amount: '1500', currency_code: 'JPY' };
    line.line_item.price = '15000';
    body.transactions = [{ ...body.transactions[0], amount: '16500', currency: 'JPY' }];
    expect(refunded(body).properties).toMatchObject({ total: 16500, currency: 'JPY', products: [{ price: 15000, quantity: 1 }] });
  });
});

describe('partial refunds (a property, the event stays Order Refunded)', () => {
  /** One line, refunded whole, money matching it. */
  function wholeLineRefund() {
    const body = exactSample();
    body.refund_line_items = body.refund_line_items.slice(0, 1);
    body.transactions = [{ ...body.transactions[0], amount: '89.99' }];
    return body;
  }

  it('is not marked partial when the refund gives back what the refunded units were worth', () => {
    const track = refunded(wholeLineRefund());
    expect(track.event).toBe('Order Refunded');
    expect(track.properties).toMatchObject({ total: 89.99 });
    expect(track.properties).not.toHaveProperty('partial');
  });

  it('is partial when fewer units are refunded than the line had, with the refunded quantity on the product', () => {
    const body = wholeLineRefund();
    body.refund_line_items[0].line_item.quantity = 3;
    const track = refunded(body);
    expect(track.event).toBe('Order Refunded');
    expect(track.properties).toMatchObject({ partial: true, products: [{ sku: 'SKU2006-001', quantity: 1 }] });
  });
});

describe('mapOrderRefunded on bodies it cannot map', () => {
  it('names the field', () => {
    const { order_id: _orderId, ...withoutOrder } = exactSample();
    expect(mapOrderRefunded(withoutOrder, refunds)).toStrictEqual({ kind: 'unmappable', reason: 'order_id: missing' });
    const badAmount = exactSample();
    badAmount.transactions[1].amount = 'ten';
    expect(mapOrderRefunded(badAmount, refunds)).toStrictEqual({
      kind: 'unmappable',
      reason: 'transactions[1].amount: "ten" is not a decimal amount',
    });
    const noCurrency = { ...exactSample(), refund_line_items: [], total_duties_set: null, transactions: [] };
    expect(mapOrderRefunded(noCurrency, refunds)).toStrictEqual({
      kind: 'unmappable',
      reason: 'currency: the refund names none (no shop_money currency_code, no transaction currency)',
    });
  });

  it('never throws on bodies that are not refunds', () => {
    for (const body of [null, 'text', 42, [], {}, { id: {} }]) expect(mapOrderRefunded(body, refunds).kind).toBe('unmappable');
  });
});
