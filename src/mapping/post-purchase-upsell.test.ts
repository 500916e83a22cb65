import { describe, expect, it } from 'vitest';
import { deterministicUuid, messageIdFor } from '../pipeline/message-id.ts';
import type { PreviousState } from './mapper.ts';
import { mapOrderCreated } from './order-topics.ts';
import { mapPostPurchaseUpsell } from './post-purchase-upsell.ts';
import { contextFor, expectedProduct, integration, sampleBody, testShop } from './samples-for-tests.ts';

const orderId = '820982911946154508';
const sunglasses = '487817672276298554';

function storedOrder(): PreviousState {
  const created = mapOrderCreated({ ...sampleBody('orders_create.json'), checkout_token: 'ck-1' }, contextFor('orders/create'));
  if (created.kind === 'unmappable') throw new Error(created.reason);
  return { version: 1, state: created.state };
}

/** The orders/edited sample (ids exact, as live bodies carry them) adding `additions`. */
function edit(additions: { id: string; delta: number }[]): Record<string, unknown> {
  const body = sampleBody('orders_edited.json');
  return { order_edit: { ...body.order_edit, id: '78912328793123782', order_id: orderId, line_items: { additions, removals: [] } } };
}

describe('orders/edited → Post Purchase Upsell', () => {
  it('sends the added products with the value of the additions, keyed by order id + edit id', () => {
    const result = mapPostPurchaseUpsell(edit([{ id: sunglasses, delta: 3 }]), contextFor('orders/edited', { previous: storedOrder() }));

    expect(result).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'track',
        event: 'Post Purchase Upsell',
        messageId: messageIdFor({ shop: testShop, kind: 'post-purchase-upsell', resource: orderId, version: 'edit 78912328793123782' }),
        timestamp: '2022-01-01T00:00:00.000Z',
        userId: '115310627314723954',
        // The order's, as kept: derived from its checkout token (no cart token, no browser link).
        anonymousId: deterministicUuid(testShop, 'checkout', 'ck-1'),
        properties: {
          order_id: orderId,
          order_edit_id: '78912328793123782',
          checkout_id: 'ck-1',
          currency: 'USD',
          // 3 × 89.99 in cents: no float drift (269.96999… as a float product).
          value: 269.97,
          products: [{ ...expectedProduct('SKU2006-001', 'Aviator sunglasses', 89.99, 1, '788032119674292900'), quantity: 3 }],
        },
        context: integration,
      }],
    });
  });

  it('sends nothing for an edit that only removes, or for an order it never kept; keeps an unknown added line', () => {
    const previous = storedOrder();
    expect(mapPostPurchaseUpsell(edit([]), contextFor('orders/edited', { previous }))).toStrictEqual({ kind: 'ignored', reason: 'the edit added no products' });
    expect(mapPostPurchaseUpsell(edit([{ id: sunglasses, delta: 1 }]), contextFor('orders/edited'))).toMatchObject({ kind: 'ignored' });
    expect(mapPostPurchaseUpsell(edit([{ id: '1', delta: 1 }]), contextFor('orders/edited', { previous }))).toStrictEqual({
      kind: 'unmappable', reason: 'line item 1 is not in the stored order yet: re-run after its orders/updated', retry: true,
    });
  });
});
