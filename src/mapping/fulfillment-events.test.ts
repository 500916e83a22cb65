import { describe, expect, it } from 'vitest';
import { deterministicUuid, messageIdFor } from '../pipeline/message-id.ts';
import { mapFulfillmentCreated, mapFulfillmentUpdated } from './fulfillment-events.ts';
import { mapOrderRefunded } from './order-refunded.ts';
import { contextFor, editedSampleBody, integration, mappedMessages, sampleBody, testShop, expectedProduct } from './samples-for-tests.ts';

const orderId = '820982911946154508';
/** The sample's JSON.parse rounded order_id; a live body (through parseJsonExact) has it exact. */
const exactSample = (file: string) =>
  editedSampleBody(file, (text) => text.replace('"order_id": 820982911946154500,', `"order_id": ${orderId},`));

const shipped = expectedProduct;

const sampleProperties = {
  fulfillment_id: '123456',
  order_id: orderId,
  email: 'jon@example.com',
  status: 'pending',
  tracking_company: 'UPS',
  tracking_numbers: ['1z827wk74630'],
  tracking_urls: ['https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630'],
  products: [
    shipped('SKU2006-001', 'Aviator sunglasses', 89.99, 1, '788032119674292900'),
    shipped('LENS-PROTECT-2YR', 'Lens Protection Plan (2 Year)', 19.99, 2),
    shipped('CASE-LEATHER-PREM', 'Premium Leather Case', 24.99, 3),
    shipped('SKU2006-020', 'Mid-century lounger', 159.99, 4, '788032119674292900'),
    shipped('SKU2006-035', 'Coffee table', 119.99, 5, '788032119674292900'),
  ],
};

describe('fulfillments/create and fulfillments/update', () => {
  it('send Fulfillment Created with status, tracking and the shipped products', () => {
    expect(mapFulfillmentCreated(exactSample('fulfillments_create.json'), contextFor('fulfillments/create'))).toStrictEqual({
      kind: 'mapped',
      messages: [
        {
          type: 'track',
          event: 'Fulfillment Created',
          messageId: messageIdFor({ shop: testShop, kind: 'fulfillment-created', resource: '123456' }),
          timestamp: '2022-01-01T00:00:00.000Z',
          anonymousId: deterministicUuid(testShop, 'order', orderId),
          properties: sampleProperties,
          context: integration,
        },
      ],
    });
  });

  it('send one Fulfillment Updated per fulfillment version, timed by updated_at', () => {
    const update = (updatedAt: string, shipmentStatus: string) => {
      const body = { ...exactSample('fulfillments_update.json'), updated_at: updatedAt, shipment_status: shipmentStatus };
      return mappedMessages(mapFulfillmentUpdated(body, contextFor('fulfillments/update')))[0]!;
    };
    const inTransit = update('2022-01-02T12:00:00-05:00', 'in_transit');
    expect(inTransit).toStrictEqual({
      type: 'track',
      event: 'Fulfillment Updated',
      messageId: messageIdFor({ shop: testShop, kind: 'fulfillment-updated', resource: '123456', version: '2022-01-02T17:00:00.000Z' }),
      timestamp: '2022-01-02T17:00:00.000Z',
      anonymousId: deterministicUuid(testShop, 'order', orderId),
      properties: { ...sampleProperties, shipment_status: 'in_transit' },
      context: integration,
    });
    expect(update('2022-01-04T09:00:00Z', 'delivered').messageId).not.toBe(inTransit.messageId);
  });

  it('shares the anonymousId of the order refunds, which name no customer either', () => {
    const [fulfillment] = mappedMessages(mapFulfillmentCreated(exactSample('fulfillments_create.json'), contextFor('fulfillments/create')));
    const [refund] = mappedMessages(mapOrderRefunded(exactSample('refunds_create.json'), contextFor('refunds/create')));
    expect(fulfillment?.anonymousId).toBe(refund?.anonymousId);
  });

  it('reads older bodies that carry one tracking_number and tracking_url, and lines without a currency', () => {
    const body: Record<string, any> = { ...exactSample('fulfillments_create.json'), tracking_numbers: null, tracking_urls: null };
    body.line_items = [{ ...body.line_items[0], price_set: null }];
    const [track] = mappedMessages(mapFulfillmentCreated(body, contextFor('fulfillments/create')));
    expect(track?.properties).toMatchObject({
      tracking_numbers: ['1z827wk74630'],
      tracking_urls: ['https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630'],
    });
    expect(track?.properties?.products).toStrictEqual([
      { product_id: '788032119674292900', shopify_product_id: '788032119674292900', sku: 'SKU2006-001', name: 'Aviator sunglasses', category: 'all', quantity: 1, position: 1 },
    ]);
  });

  it('names what it cannot read', () => {
    const body = sampleBody('fulfillments_create.json');
    expect(mapFulfillmentCreated({ ...body, order_id: null }, contextFor('fulfillments/create'))).toStrictEqual({
      kind: 'unmappable',
      reason: 'order_id: expected a numeric id',
    });
    body.line_items[1].price = 'free';
    expect(mapFulfillmentCreated(body, contextFor('fulfillments/create'))).toStrictEqual({
      kind: 'unmappable',
      reason: 'line_items[1].price: "free" is not a decimal amount',
    });
    expect(mapFulfillmentUpdated({ ...sampleBody('fulfillments_update.json'), created_at: 'soon', updated_at: null }, contextFor('fulfillments/update'))).toStrictEqual({
      kind: 'unmappable',
      reason: 'updated_at: null is not an ISO-8601 time',
    });
  });
});
