import { describe, expect, it } from 'vitest';
import { deterministicUuid, messageIdFor } from '../pipeline/message-id.ts';
import { checkoutAbandonedMapper, checkoutJobs, checkoutStateRule, orderCancelsAbandonment } from './checkout-abandoned.ts';
import type { MapContext, PreviousState } from './mapper.ts';
import { contextFor, integration, sampleBody, testShop } from './samples-for-tests.ts';

const token = '123123123';
const createdAt = Date.parse('2021-12-31T19:00:00-05:00');

function stored(body: unknown, previous?: PreviousState, context: MapContext = contextFor('checkouts/create')): PreviousState {
  return { version: createdAt, state: checkoutStateRule.next!(body, previous, context) };
}

function due(previous: PreviousState | undefined, dueAt = createdAt + 3_600_000) {
  return checkoutAbandonedMapper.map({ shop: testShop, key: token, payload: { checkout: token, abandonedAt: createdAt + 3_600_000 }, dueAt }, previous);
}

describe('Checkout Abandoned', () => {
  it('is scheduled by checkouts/create for created_at + the window (60 min by default, configurable)', () => {
    const body = sampleBody('checkouts_create.json');
    expect(checkoutJobs(body, contextFor('checkouts/create', { receivedAt: createdAt + 2_000 }))).toStrictEqual([
      { kind: 'checkout-abandoned', key: token, dueAt: createdAt + 2_000 + 3_600_000, payload: { checkout: token, abandonedAt: createdAt + 3_600_000 } },
    ]);
    const windows = { productAddedMs: 10_000, checkoutAbandonedMs: 30 * 60_000 };
    expect(checkoutJobs(body, contextFor('checkouts/create', { windows }))[0]!.dueAt).toBe(createdAt + 30 * 60_000);
    // A day late: its order gets the whole window to arrive too; the event keeps the business time.
    const late = checkoutJobs(body, contextFor('checkouts/create', { receivedAt: createdAt + 86_400_000 }))[0]!;
    expect([late.dueAt, (late.payload as { abandonedAt: number }).abandonedAt]).toStrictEqual([createdAt + 86_400_000 + 3_600_000, createdAt + 3_600_000]);
    expect(checkoutJobs(body, contextFor('checkouts/update'))).toStrictEqual([]);
  });

  it('sends one event with checkout_id, value, products and the recovery URL when no order came', () => {
    const result = due(stored(sampleBody('checkouts_create.json')));

    expect(result).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'track',
        event: 'Checkout Abandoned',
        messageId: messageIdFor({ shop: testShop, kind: 'checkout-abandoned', resource: token }),
        timestamp: '2022-01-01T01:00:00.000Z',
        userId: '603851970716743426',
        anonymousId: deterministicUuid(testShop, 'cart', 'eeafa272cebfd4b22385bc4b645e762c'),
        properties: {
          checkout_id: token,
          cart_id: 'eeafa272cebfd4b22385bc4b645e762c',
          email: 'example@email.com',
          value: 421.88,
          currency: 'USD',
          products: [
            {
              product_id: '632910392', shopify_product_id: '632910392', shopify_variant_id: '808950810', sku: 'IPOD2008PINK',
              name: 'IPod Nano - 8GB', variant: 'Pink', brand: 'Apple', category: 'all', price: 199, quantity: 1, position: 1,
            },
            {
              product_id: '632910392', shopify_product_id: '632910392', shopify_variant_id: '808950810', sku: 'IPOD2008PINK',
              name: 'IPod Nano - 8GB', variant: 'Pink', brand: 'Apple', category: 'all', price: 199, quantity: 1, position: 2,
            },
          ],
          abandoned_checkout_url: 'https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token',
        },
        context: integration,
      }],
    });
  });

  it('sends nothing for a completed checkout (completion sticks, even if an older update comes later)', () => {
    const completed = stored({ ...sampleBody('checkouts_update.json'), completed_at: '2021-12-31T19:30:00-05:00' });
    const reopened = stored(sampleBody('checkouts_update.json'), completed);

    expect(due(reopened)).toStrictEqual({ kind: 'ignored', reason: 'the checkout was completed' });
    expect(due(undefined)).toStrictEqual({ kind: 'ignored', reason: 'no stored state of the checkout' });
  });

  it('is cancelled by the order of the checkout and by a completed checkout, whichever arrives first', () => {
    const cancel = { kind: 'checkout-abandoned', key: token, dueAt: 0, payload: {}, cancel: true };
    expect(orderCancelsAbandonment({ ...sampleBody('orders_create.json'), checkout_token: token }, contextFor('orders/create'))).toStrictEqual([cancel]);
    expect(orderCancelsAbandonment(sampleBody('orders_create.json'), contextFor('orders/create'))).toStrictEqual([]);
    expect(checkoutJobs({ ...sampleBody('checkouts_update.json'), completed_at: '2022-01-01T00:10:00Z' }, contextFor('checkouts/update'))).toStrictEqual([cancel]);
  });
});
