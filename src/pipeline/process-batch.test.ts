import { describe, expect, it } from 'vitest';
import { createSegmentDestination } from '../destinations/segment/index.ts';
import { segmentSettingsSchema } from '../destinations/segment/settings.ts';
import { sampleBody, testShop } from '../mapping/samples-for-tests.ts';
import type { IdentityLink, InboxRow, LinkKey, ProfileQuery, ProfileRecords } from '../store/store.ts';
import { processBatch, type ProcessedRow } from './process-batch.ts';
import type { SegmentMessage } from './segment-message.ts';

const destination = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'k', endpoint: 'http://127.0.0.1:9' }));
const browserId = '5a0d1d0e-6c1f-4f7e-9d0e-2b4b1b9f0c11';
const customerId = '115310627314723954';
const sampleOrderId = '820982911946154508';

let nextId = 1;
function row(source: InboxRow['source'], topic: string, body: unknown): InboxRow {
  const id = nextId++;
  return {
    id, shop: testShop, source, topic, webhookId: `w${id}`, eventId: null, triggeredAt: null, apiVersion: '2025-04',
    headers: {}, body: Buffer.from(JSON.stringify(body)), receivedAt: 1_000 + id, attempts: 1,
  };
}

/** A web order for the cart, without the storefront's cart attribute (the theme embed never wrote it). */
function orderFor(cartToken: string): Record<string, unknown> {
  return { ...sampleBody('orders_create.json'), source_name: 'web', cart_token: cartToken, checkout_token: null, note_attributes: [] };
}

function productAdded(cartToken: string, anonymousId = browserId): Record<string, unknown> {
  return { type: 'track', event: 'Product Added', anonymousId, messageId: `m-${cartToken}`, timestamp: '2025-06-15T15:00:00.000Z', properties: { cart_id: cartToken } };
}

function messagesOf(processed: ProcessedRow): SegmentMessage[] {
  const { outcome } = processed.result;
  if (outcome.status !== 'done') throw new Error(outcome.reason);
  return outcome.messages.map((m) => JSON.parse(m.payload) as SegmentMessage);
}

function orderCompleted(processed: ProcessedRow): SegmentMessage {
  const message = messagesOf(processed).find((m) => m.type === 'track' && m.event === 'Order Completed');
  if (!message) throw new Error('no Order Completed');
  return message;
}

/** A store lookup over fixed links that records what it was asked. */
function storeWith(links: IdentityLink[]) {
  const asked: LinkKey[][] = [];
  const find = async (keys: readonly LinkKey[]) => {
    asked.push([...keys]);
    return links.filter((l) => keys.some((k) => k.shop === l.shop && k.kind === l.kind && k.token === l.token));
  };
  return { find, asked };
}

/** The settled rows of a batch that waits for nothing. */
async function processedRows(...args: Parameters<typeof processBatch>): Promise<ProcessedRow[]> {
  const { processed, deferred } = await processBatch(...args);
  expect(deferred).toEqual([]);
  return processed;
}

describe('processBatch', () => {
  it("gives an order the browser's anonymousId through a link recorded earlier in the same batch", async () => {
    const lookup = storeWith([]);
    const [browser, order] = await processedRows(
      [row('collector', 'collector/track', productAdded('cart-a')), row('shopify', 'orders/create', orderFor('cart-a'))],
      [destination], lookup.find,
    );

    expect(browser!.result.outcome).toMatchObject({ status: 'done', links: [{ shop: testShop, kind: 'cart', token: 'cart-a', anonymousId: browserId }] });
    expect(orderCompleted(order!).anonymousId).toBe(browserId);
    expect(lookup.asked).toHaveLength(1);
  });

  it('finds a link stored by an earlier batch, and aliases the browser id to the customer once per pair', async () => {
    const lookup = storeWith([{ shop: testShop, kind: 'cart', token: 'cart-b', anonymousId: browserId, linkedAt: 1 }]);
    const [create, paid] = await processedRows(
      [row('shopify', 'orders/create', orderFor('cart-b')), row('shopify', 'orders/paid', orderFor('cart-b'))],
      [destination], lookup.find,
    );

    const completed = orderCompleted(create!);
    expect(completed.anonymousId).toBe(browserId);
    const aliases = [create!, paid!].map((p) => messagesOf(p).find((m) => m.type === 'alias'));
    expect(aliases[0]).toMatchObject({ previousId: browserId, userId: completed.userId });
    // Both deliveries name the same pair: the same messageId, so the outbox keeps one.
    expect(aliases[1]!.messageId).toBe(aliases[0]!.messageId);
  });

  it('keeps the first link of a cart: a later browser with another id does not take the order', async () => {
    const lookup = storeWith([{ shop: testShop, kind: 'cart', token: 'cart-c', anonymousId: browserId, linkedAt: 1 }]);
    const [browser, order] = await processedRows(
      [row('collector', 'collector/track', productAdded('cart-c', 'someone-else')), row('shopify', 'orders/create', orderFor('cart-c'))],
      [destination], lookup.find,
    );

    expect(browser!.result.outcome).not.toHaveProperty('links');
    expect(orderCompleted(order!).anonymousId).toBe(browserId);
  });

  it('prefers the cart attribute the storefront wrote over a link, and derives an id when there is neither', async () => {
    const lookup = storeWith([{ shop: testShop, kind: 'cart', token: 'cart-d', anonymousId: browserId, linkedAt: 1 }]);
    const withAttribute = { ...orderFor('cart-d'), note_attributes: [{ name: '_cartstream_anonymous_id', value: 'from-attribute' }] };
    const [attributed, unlinked] = await processedRows(
      [row('shopify', 'orders/create', withAttribute), row('shopify', 'orders/create', { ...orderFor('cart-e'), id: 1, admin_graphql_api_id: 'gid://shopify/Order/1' })],
      [destination], lookup.find,
    );

    expect(orderCompleted(attributed!).anonymousId).toBe('from-attribute');
    expect(orderCompleted(unlinked!).anonymousId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-/);
    expect(orderCompleted(unlinked!).anonymousId).not.toBe(browserId);
  });

  it('does not ask the store when no row names a token, and keeps an unparseable row as failed', async () => {
    const lookup = storeWith([]);
    const broken = { ...row('shopify', 'orders/create', {}), body: Buffer.from('{"id": 1,') };
    const [result] = await processedRows([broken], [destination], lookup.find);

    expect(result!.result.outcome).toMatchObject({ status: 'failed', reason: expect.stringMatching(/JSON/) });
    expect(lookup.asked).toEqual([]);
  });

  describe('an order that arrives before the browser event naming its cart', () => {
    const wait = (now: number) => ({ ms: 10_000, now });

    it('waits, within the wait, for the link; a storefront attribute, a link or a POS order never waits', async () => {
      const lookup = storeWith([{ shop: testShop, kind: 'cart', token: 'cart-linked', anonymousId: browserId, linkedAt: 1 }]);
      const early = row('shopify', 'orders/create', orderFor('cart-early'));
      const attributed = row('shopify', 'orders/create', { ...orderFor('cart-x'), note_attributes: [{ name: '_cartstream_anonymous_id', value: 'a' }] });
      const linked = row('shopify', 'orders/create', orderFor('cart-linked'));
      const pos = row('shopify', 'orders/create', { ...orderFor('cart-pos'), cart_token: null });
      const refund = row('shopify', 'refunds/create', sampleBody('refunds_create.json'));

      const { processed, deferred } = await processBatch([early, attributed, linked, pos, refund], [destination], lookup.find, { wait: wait(early.receivedAt + 3_000) });

      // Looked at again in a second, as long as the wait lasts.
      expect(deferred).toEqual([{ row: early, until: early.receivedAt + 4_000 }]);
      expect(processed.map((p) => p.row.id)).toEqual([attributed.id, linked.id, pos.id, refund.id]);
    });

    it('is mapped with the link once the browser event has come, or as it is once the wait is over', async () => {
      const order = row('shopify', 'orders/create', orderFor('cart-late'));
      const linkedNow = storeWith([{ shop: testShop, kind: 'cart', token: 'cart-late', anonymousId: browserId, linkedAt: 2 }]);
      const stitched = await processBatch([order], [destination], linkedNow.find, { wait: wait(order.receivedAt + 4_000) });
      expect(orderCompleted(stitched.processed[0]!).anonymousId).toBe(browserId);

      const expired = await processBatch([order], [destination], storeWith([]).find, { wait: wait(order.receivedAt + 10_000) });
      expect(expired.deferred).toEqual([]);
      expect(orderCompleted(expired.processed[0]!).anonymousId).not.toBe(browserId);
    });
  });

  describe('customer profiles', () => {
    it("looks profiles up once per batch, and maps a refund with the customer of an order earlier in the same batch", async () => {
      const asked: ProfileQuery[] = [];
      const find = async (query: ProfileQuery): Promise<ProfileRecords> => {
        asked.push(query);
        return { traits: [], orders: [], refunds: [], anonymousIds: [] };
      };
      const order = row('shopify', 'orders/create', orderFor('cart-p'));
      const refund = row('shopify', 'refunds/create', { ...sampleBody('refunds_create.json'), order_id: sampleOrderId });
      const [placed, refunded] = await processedRows([order, refund], [destination], storeWith([]).find, { profiles: { find } });

      expect(asked).toStrictEqual([{ customers: [{ shop: testShop, customerId }], orders: [{ shop: testShop, orderId: sampleOrderId }] }]);
      expect(placed!.result.outcome).toMatchObject({ status: 'done', profile: { orders: [{ orderId: sampleOrderId, totalMinor: 40_495 }] } });
      const [identify, track] = messagesOf(refunded!);
      expect(identify).toMatchObject({ type: 'identify', userId: customerId, traits: { customerLifetimeValue: 319.95, purchaseCount: 1, ltvTier: 'medium' } });
      expect(track).toMatchObject({ event: 'Order Refunded', userId: customerId });
    });
  });
});
