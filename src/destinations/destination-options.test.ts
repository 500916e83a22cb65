import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mapOrderCreated } from '../mapping/order-topics.ts';
import { mapOrderRefunded } from '../mapping/order-refunded.ts';
import { contextFor, mappedMessages, sampleBody, sampleResponseText } from '../mapping/samples-for-tests.ts';
import { processDelivery } from '../pipeline/process-delivery.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import type { InboxRow, OutboxMessage } from '../store/store.ts';
import { orderExclusion } from './apply-options.ts';
import type { Destination } from './destination.ts';
import { orderOptionsSchema } from './destination-options.ts';
import { createSegmentDestination, segmentSettingsSchema } from './segment/index.ts';
import { createTikTokDestination, tiktokSettingsSchema } from './tiktok/index.ts';
import { createWarehouseDestination, warehouseSettingsSchema } from './warehouse/index.ts';

const library = { name: 'cartstream', version: '0.1.0' };
const customerId = '115310627314723954';
/** MD5 of the sample customer's email, john@example.com (the order's own email is jon@example.com). */
const emailMd5 = 'd4c74594d841139328695756648b6bd6';
const externalIds = [{ id: customerId, type: 'shopify_customer_id', collection: 'users', encoding: 'none' }];

function row(topic: string, body: string): InboxRow {
  return {
    id: 1, attempts: 1, shop: 'demo.myshopify.com', source: 'shopify', topic, webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    eventId: null, triggeredAt: null, apiVersion: '2026-04', headers: {}, body: Buffer.from(body), receivedAt: 1_000,
  };
}

function outbox(topic: string, body: string, destination: Destination): OutboxMessage[] {
  const { outcome } = processDelivery(row(topic, body), [destination]);
  if (outcome.status !== 'done') throw new Error(`expected done, got ${outcome.reason}`);
  return outcome.messages;
}

const segment = (options: object) => createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'k', ...options }));
const sent = (rows: OutboxMessage[]) => rows.map((r) => (r.initial ? r.initial : JSON.parse(r.payload)));
const orderBody = sampleResponseText('orders_create.json');
const [identify, orderCompleted] = mappedMessages(mapOrderCreated(sampleBody('orders_create.json'), contextFor('orders/create'))) as [SegmentMessage, SegmentMessage];

/** The spec message as Segment's wire event, with the userId and context the options give it. */
function wire(message: SegmentMessage, userId: string | undefined): Record<string, unknown> {
  const { userId: _customerId, ...rest } = message;
  return { ...rest, ...(userId === undefined ? {} : { userId }), context: { ...message.context, externalIds, library } };
}

describe('orders options', () => {
  const options = (input: object) => orderOptionsSchema.parse(input);
  const order = { sourceName: 'web', tags: ['VIP', 'Wholesale'], gateways: ['shopify_payments', 'Manual'] };

  it.each([
    ['a web order by default', order, {}, null],
    ['a draft order by default', { ...order, sourceName: 'shopify_draft_order' }, {}, 'orders.channels (web): source_name shopify_draft_order (a draft order created in the Shopify admin)'],
    ['a draft order when draft orders are listed', { ...order, sourceName: 'shopify_draft_order' }, { channels: ['web', 'shopify_draft_order'] }, null],
    ['a POS sale, always', { ...order, sourceName: 'pos' }, {}, null],
    ['an app channel by default', { ...order, sourceName: '1354745' }, {}, 'orders.channels (web): source_name 1354745 (another sales channel or app)'],
    ['an order with none of the included tags', order, { includeTags: ['b2b', 'staff'] }, 'orders.includeTags ("b2b", "staff"): the order has none of them'],
    ['an order with an included tag, in any case', order, { includeTags: ['vip'] }, null],
    ['an order with an excluded tag, in any case', order, { excludeTags: ['test', 'wholesale'] }, 'orders.excludeTags: the order is tagged "wholesale"'],
    ['an order paid through an excluded gateway', order, { excludeGateways: ['manual'] }, 'orders.excludeGateways: paid through "Manual"'],
  ])('decides %s', (_what, facets, input, rule) => {
    expect(orderExclusion(facets, options(input))).toBe(rule);
  });
});

describe('per-destination options on the outbound body', () => {
  it('sends the Shopify customer id as userId by default, and always in context.externalIds', () => {
    expect(sent(outbox('orders/create', orderBody, segment({})))).toStrictEqual([wire(identify, customerId), wire(orderCompleted, customerId)]);
  });

  it('sends the MD5 of the customer’s lower-cased email as userId when chosen, the same for every message of the order', () => {
    const upper = orderBody.replace('"john@example.com"', '"John@Example.com"');
    expect(upper).not.toBe(orderBody);
    const rows = outbox('orders/create', upper, segment({ userId: 'email_md5' }));
    const [identifyUpper, completedUpper] = mappedMessages(mapOrderCreated(parseJsonExact(upper), contextFor('orders/create'))) as [SegmentMessage, SegmentMessage];
    expect(sent(rows)).toStrictEqual([wire(identifyUpper, emailMd5), wire(completedUpper, emailMd5)]);
  });

  it('sends no userId when chosen, keeping the customer id in context.externalIds', () => {
    expect(sent(outbox('orders/create', orderBody, segment({ userId: 'none' })))).toStrictEqual([wire(identify, undefined), wire(orderCompleted, undefined)]);
  });

  it('hashes the chosen userId for TikTok’s external_id', () => {
    const tiktok = createTikTokDestination(tiktokSettingsSchema.parse({ accessToken: 't', pixelCode: 'P1', userId: 'email_md5' }));
    const [, completed] = outbox('orders/create', orderBody, tiktok);
    expect(JSON.parse(completed!.payload).user.external_id).toBe(createHash('sha256').update(emailMd5).digest('hex'));
  });

  it('sends Order Refunded with a negative total and revenue when negativeRefunds is on, and as Shopify says otherwise', () => {
    const body = sampleResponseText('refunds_create.json');
    const [refunded] = mappedMessages(mapOrderRefunded(parseJsonExact(body), contextFor('refunds/create'))) as [SegmentMessage];
    const asShopifySays = { ...refunded, context: { ...refunded.context, library } };
    expect(sent(outbox('refunds/create', body, segment({})))).toStrictEqual([asShopifySays]);
    expect(refunded.properties?.total).toBe(85);
    expect(sent(outbox('refunds/create', body, segment({ negativeRefunds: true })))).toStrictEqual([
      { ...asShopifySays, properties: { ...refunded.properties, total: -85, revenue: -85 } },
    ]);
  });

  it('leaves out every message of an order a destination’s options exclude, with the rule, while another destination gets it', () => {
    const draft = orderBody.replace('"source_name": "web"', '"source_name": "shopify_draft_order"');
    expect(draft).not.toBe(orderBody);
    const reason = 'excluded by option orders.channels (web): source_name shopify_draft_order (a draft order created in the Shopify admin)';
    expect(sent(outbox('orders/create', draft, segment({})))).toStrictEqual([{ status: 'skipped', reason }, { status: 'skipped', reason }]);
    expect(sent(outbox('orders/create', draft, segment({ orders: { channels: ['web', 'shopify_draft_order'] } }))))
      .toStrictEqual([wire(identify, customerId), wire(orderCompleted, customerId)]);
    const warehouse = createWarehouseDestination({ ...warehouseSettingsSchema.parse({ orders: { excludeTags: ['TAG2'] } }), db: ':memory:' });
    const tagged = 'excluded by option orders.excludeTags: the order is tagged "TAG2"';
    expect(outbox('orders/create', orderBody, warehouse).map((r) => r.initial)).toStrictEqual([{ status: 'skipped', reason: tagged }, { status: 'skipped', reason: tagged }]);
  });
});
