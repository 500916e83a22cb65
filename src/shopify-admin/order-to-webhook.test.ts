import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MapContext, MapResult } from '../mapping/mapper.ts';
import { anonymousIdNoteAttribute } from '../mapping/order-identity.ts';
import { topicCatalog } from '../mapping/topic-mappers.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import { orderNode, refundNode, type OrderNode, type RefundNode } from './order-nodes.ts';
import { orderWebhookPayload, refundWebhookPayload } from './order-to-webhook.ts';

const shop = 'golden.myshopify.com';
const samples = new URL('../../../shared/fixtures/shopify/samples/', import.meta.url);

/**
 * The Admin GraphQL answers for Shopify's own orders/create and refunds/create samples (same order, same refund),
 * written out as the API returns them: gids, UTC times, upper-case enums, Decimal strings like "10.0".
 */
const sampleOrder: OrderNode = orderNode.parse(JSON.parse(readFileSync(new URL('fixtures/orders-create-sample.order-node.json', import.meta.url), 'utf8')));
const sampleRefund: RefundNode = refundNode.parse(JSON.parse(readFileSync(new URL('fixtures/refunds-create-sample.refund-node.json', import.meta.url), 'utf8')));

/** A sample's webhook body, read as the pipeline reads a stored delivery (exact ids). */
function sampleBody(file: string, fix: (text: string) => string = (text) => text): unknown {
  const whole = parseJsonExact(fix(readFileSync(new URL(file, samples), 'utf8'))) as { response: unknown };
  return whole.response;
}

/** What the pipeline does with a body: exact JSON parse of the stored bytes, then the topic's mapper. */
function mapped(topic: string, payload: unknown, webhookId: string): SegmentMessage[] {
  const body = parseJsonExact(Buffer.from(JSON.stringify(payload)));
  const context: MapContext = { shop, topic, webhookId, apiVersion: '2026-07', triggeredAt: null };
  const result: MapResult = topicCatalog.get(topic)!.mapper(body, context);
  if (result.kind !== 'mapped') throw new Error(`${topic} not mapped: ${result.kind} ${result.reason}`);
  return result.messages;
}

function track(messages: SegmentMessage[], event: string): SegmentMessage {
  const found = messages.find((message) => message.type === 'track' && message.event === event);
  if (found === undefined) throw new Error(`no ${event} in ${messages.map((m) => m.event ?? m.type).join(', ')}`);
  return found;
}

describe('Admin GraphQL order → orders/create webhook body', () => {
  it('maps to the same Order Completed as the live webhook of the same order, messageId included', () => {
    const live = mapped('orders/create', sampleBody('orders_create.json'), 'live-webhook-id');
    const backfilled = mapped('orders/create', orderWebhookPayload(sampleOrder), 'backfill:820982911946154508');
    expect(track(backfilled, 'Order Completed')).toStrictEqual(track(live, 'Order Completed'));
    expect(track(backfilled, 'Order Completed').properties).toMatchObject({ order_id: '820982911946154508', total: 404.95, shipping: 10, products: expect.any(Array) });
  });

  it('identifies the same customer with the same traits (the messageId follows the customer version the API reports)', () => {
    const identifyOf = (messages: SegmentMessage[]) => messages.find((message) => message.type === 'identify')!;
    const live = identifyOf(mapped('orders/create', sampleBody('orders_create.json'), 'live'));
    const backfilled = identifyOf(mapped('orders/create', orderWebhookPayload(sampleOrder), 'backfill'));
    expect(backfilled.userId).toBe('115310627314723954');
    expect(backfilled.userId).toBe(live.userId);
    expect(backfilled.anonymousId).toBe(live.anonymousId);
    // The sample's customer has no created_at; the API always reports one.
    const { createdAt, ...traits } = backfilled.traits ?? {};
    expect(createdAt).toBe('2021-06-01T10:00:00.000Z');
    expect(traits).toStrictEqual(live.traits);
  });

  it('maps a refund to the same Order Refunded as the live refunds/create webhook', () => {
    // The sample's order_id went through a lossy JSON.parse (…154500); a live webhook carries the exact id.
    const exactOrderId = (text: string) => text.replaceAll('820982911946154500', '820982911946154508');
    const live = mapped('refunds/create', sampleBody('refunds_create.json', exactOrderId), 'live');
    const backfilled = mapped('refunds/create', refundWebhookPayload(sampleRefund), 'backfill:refund:890088186047892319');
    expect(backfilled).toStrictEqual(live);
    expect(track(backfilled, 'Order Refunded').properties).toMatchObject({ order_id: '820982911946154508', total: 85, partial: true });
  });

  it('keeps ids exact, money as strings and enums in the REST spelling', () => {
    const payload = orderWebhookPayload(sampleOrder);
    expect(payload).toMatchObject({
      id: '820982911946154508', total_price: '404.95', cancel_reason: 'customer', financial_status: 'voided', fulfillment_status: null,
      tags: 'tag1, tag2', shipping_lines: [{ title: 'Generic Shipping', price: '10.0' }],
    });
    expect((payload.customer as Record<string, unknown>).state).toBe('disabled');
    expect((payload.line_items as Record<string, unknown>[])[0]).toMatchObject({ id: '487817672276298554', price: '89.99', product_id: '788032119674292900', quantity: 1 });
  });

  it('carries the storefront anonymousId, cart token and sales channel through to the events', () => {
    const order: OrderNode = {
      ...sampleOrder, sourceName: 'pos', cartToken: 'cart-1',
      customAttributes: [{ key: anonymousIdNoteAttribute, value: 'browser-anon-1' }],
    };
    const messages = mapped('orders/create', orderWebhookPayload(order), 'backfill');
    expect(track(messages, 'POS Order Placed').anonymousId).toBe('browser-anon-1');
    expect(messages.some((message) => message.event === 'Order Completed')).toBe(false);
  });

  it('turns a failed transaction into a Payment Failure in the customer’s currency, as REST transactions are', () => {
    const order: OrderNode = {
      ...sampleOrder,
      transactions: [{
        id: 'gid://shopify/OrderTransaction/900000000000000001', kind: 'SALE', status: 'FAILURE', gateway: 'shopify_payments',
        errorCode: 'CARD_DECLINED', createdAt: '2022-01-01T00:00:05Z', processedAt: null,
        amountSet: { shopMoney: { amount: '404.95', currencyCode: 'USD' }, presentmentMoney: { amount: '540.0', currencyCode: 'CAD' } },
      }],
    };
    const failure = track(mapped('orders/create', orderWebhookPayload(order), 'backfill'), 'Payment Failure');
    expect(failure.properties).toMatchObject({
      transaction_id: '900000000000000001', error_code: 'card_declined', transaction_amount: 540, transaction_currency: 'CAD',
    });
  });

  it('uses every line item it is given, not only the first page', () => {
    const extra = { ...sampleOrder.lineItems.nodes[0]!, id: 'gid://shopify/LineItem/123', title: 'Extra' };
    const payload = orderWebhookPayload(sampleOrder, [...sampleOrder.lineItems.nodes, extra]);
    expect((payload.line_items as unknown[]).length).toBe(6);
  });
});
