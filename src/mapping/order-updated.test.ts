import { describe, expect, it } from 'vitest';
import { messageIdFor } from '../pipeline/message-id.ts';
import type { MapContext, MapResult } from './mapper.ts';
import { mapOrderCreated } from './order-topics.ts';
import { mapOrderUpdated } from './order-updated.ts';
import { contextFor, integration, mappedMessages, sampleBody, testShop } from './samples-for-tests.ts';

const orderId = '820982911946154508';

/** The state orders/create kept of the sample order. */
function createdState(): MapContext['previous'] {
  const created = mapOrderCreated(sampleBody('orders_create.json'), contextFor('orders/create'));
  if (created.kind === 'unmappable') throw new Error(created.reason);
  return { version: Date.parse('2021-12-31T19:00:00-05:00'), state: created.state };
}

/** The sample order, paid, tagged vip and with 2 sunglasses instead of 1, at a later updated_at. */
function editedOrder(): Record<string, any> {
  const body: Record<string, any> = { ...sampleBody('orders_updated.json'), updated_at: '2022-01-01T10:00:00-05:00', financial_status: 'paid', tags: 'tag1, tag2, vip' };
  body.line_items[0].quantity = 2;
  return body;
}

function updated(body: unknown, previous: MapContext['previous']): MapResult {
  return mapOrderUpdated(body, contextFor('orders/updated', { previous }));
}

describe('orders/updated → Order Updated', () => {
  it('sends the order properties and the reportable fields that changed, keyed by order id + updated_at', () => {
    const result = updated(editedOrder(), createdState());
    const completed = mappedMessages(mapOrderCreated(sampleBody('orders_create.json'), contextFor('orders/create'))).find((m) => m.event === 'Order Completed')!;

    expect(result.kind === 'mapped' && result.messages).toStrictEqual([{
      type: 'track',
      event: 'Order Updated',
      messageId: messageIdFor({ shop: testShop, kind: 'order-updated', resource: orderId, version: '2022-01-01T15:00:00.000Z' }),
      timestamp: '2022-01-01T15:00:00.000Z',
      userId: '115310627314723954',
      anonymousId: 'a72e8ae4-1c6a-8af2-88d8-103fbc74ef4d',
      // The properties of the other order events (Order Completed's, golden-tested in order-completed.test.ts).
      properties: {
        ...completed.properties,
        products: [{ ...(completed.properties!.products as object[])[0], quantity: 2 }, ...(completed.properties!.products as object[]).slice(1)],
        changed_fields: ['financial_status', 'tags', 'line_items'],
      },
      context: integration,
    }]);
  });

  it('sends nothing when nothing reportable changed, and nothing on the first sighting; both keep the state', () => {
    const unchanged = { ...sampleBody('orders_updated.json'), updated_at: '2022-01-01T10:00:00-05:00', note: 'a note is not reported' };
    const same = updated(unchanged, createdState());
    const first = updated(editedOrder(), undefined);

    expect(same).toMatchObject({ kind: 'ignored', reason: 'no reportable change' });
    expect(first).toMatchObject({ kind: 'ignored', reason: 'first sighting of the order: nothing to compare with' });
    expect(first.kind === 'ignored' && first.state).toMatchObject({ fields: { financial_status: 'paid', tags: 'tag1, tag2, vip' } });
  });

  it('sees a change of email, shipping country or cancellation, and keeps only a hash of the email', () => {
    const body: Record<string, any> = { ...sampleBody('orders_updated.json'), email: 'new@example.com', cancelled_at: null };
    body.shipping_address.country_code = 'CA';
    const result = updated(body, createdState());

    expect(result.kind === 'mapped' && result.messages[0]!.properties!.changed_fields).toStrictEqual(['cancelled_at', 'email_sha256', 'shipping_country']);
    expect(JSON.stringify(result.kind === 'mapped' && result.state)).not.toContain('new@example.com');
  });
});
