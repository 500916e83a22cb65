import type { FullOrder } from '../shopify-admin/fetch-orders.ts';
import { orderWebhookPayload, refundWebhookPayload } from '../shopify-admin/order-to-webhook.ts';
import { idFromGid } from '../shopify/shopify-id.ts';
import type { InboxDelivery } from '../store/store.ts';

export interface DeliveryContext {
  shop: string;
  apiVersion: string;
  receivedAt: number;
}

/**
 * The webhook id of a backfilled delivery: deterministic from the resource, so backfilling a period again stores
 * nothing new (the inbox dedupes on shop + webhook id). A live webhook of the same order has another webhook id
 * and is stored too, but maps to the same messageIds, so nothing reaches a destination twice.
 */
export function backfillWebhookId(kind: 'order' | 'refund', gid: string): string {
  const type = kind === 'order' ? 'Order' : 'Refund';
  const id = idFromGid(gid, type) ?? gid;
  return kind === 'order' ? `backfill:${id}` : `backfill:refund:${id}`;
}

function delivery(topic: string, webhookId: string, payload: unknown, context: DeliveryContext): InboxDelivery {
  return {
    shop: context.shop,
    source: 'shopify',
    topic,
    webhookId,
    eventId: null,
    triggeredAt: null,
    apiVersion: context.apiVersion,
    headers: {
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': context.shop,
      'x-shopify-webhook-id': webhookId,
      'x-shopify-api-version': context.apiVersion,
    },
    body: Buffer.from(JSON.stringify(payload)),
    receivedAt: context.receivedAt,
  };
}

/** An order as an orders/create delivery, and each of its refunds as a refunds/create delivery. */
export function backfillDeliveries(full: FullOrder, context: DeliveryContext): InboxDelivery[] {
  const order = delivery('orders/create', backfillWebhookId('order', full.order.id), orderWebhookPayload(full.order, full.lineItems), context);
  const refunds = full.refunds.map(({ refund, lines }) =>
    delivery('refunds/create', backfillWebhookId('refund', refund.id), refundWebhookPayload(refund, lines), context));
  return [order, ...refunds];
}
