import { messageIdFor } from '../pipeline/message-id.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { parseRefund } from '../shopify/refund.ts';
import { profileValueTraits } from './customer-identify.ts';
import { integrationContext } from './message-context.ts';
import { exactShopifyId } from '../shopify/shopify-id.ts';
import { specEvents } from './event-names.ts';
import type { MapContext, Mapper, MapResult } from './mapper.ts';
import { orderOnlyAnonymousId } from './order-identity.ts';
import { storedOrderState } from './order-state.ts';
import { readRefundMoney, type RefundMoney } from './refund-money.ts';
import { parseMoney } from '../shopify/money.ts';
import { trackMessage } from './track-message.ts';
import { compact, isoTimestamp, quoted } from './values.ts';

/**
 * refunds/create → Order Refunded: the original order_id, the money actually refunded as `total`, the refunded
 * products with their refunded quantities, `currency` and `refund_id`. messageId: the refund id.
 *
 * A partial refund stays **Order Refunded** with `partial: true` rather than becoming a separate "Order Partially
 * Refunded" event: Segment's spec has one refund event, and destinations and warehouse models that net revenue
 * by "Order Refunded" would silently miss every partial refund under a second name. `partial` is set only when the
 * refund alone proves it (see refund-money.ts); the body carries no order total, so its absence means "not shown
 * partial", not "full".
 *
 * The refund body names no customer and no cart: the anonymousId is derived from shop + order id (what an order
 * without a cart gets too), so every event about one order without a known customer shares it. When the profile
 * store knows the order's customer, the event carries their userId too, and an Identify (messageId: customer and
 * refund) gives their lifetime value net of this refund.
 */
/**
 * Partial: the refund alone proves it (fewer units, less money than the units), or the stored order (its state,
 * see order-state.ts) shows the refund is less than the order's total — a refund of whole lines while others are
 * kept looks whole on its own.
 */
function isPartial(money: RefundMoney, context: MapContext): boolean {
  if (money.partial) return true;
  const order = storedOrderState(context.previous);
  const orderTotal = order?.currency === money.currency ? parseMoney(String(order.fields.total), money.currency) : undefined;
  const refunded = parseMoney(String(money.total), money.currency);
  return orderTotal?.ok === true && refunded.ok && refunded.value.minor < orderTotal.value.minor;
}

export const mapOrderRefunded: Mapper = (payload: unknown, context: MapContext): MapResult => {
  const parsed = parseRefund(payload);
  if (!parsed.ok) return { kind: 'unmappable', reason: parsed.reason };
  const refund = parsed.value;
  const timestamp = isoTimestamp(refund.processed_at) ?? isoTimestamp(refund.created_at);
  if (timestamp === undefined) {
    return { kind: 'unmappable', reason: `created_at: ${quoted(refund.created_at)} is not an ISO-8601 time` };
  }
  const money = readRefundMoney(refund);
  if (!money.ok) return { kind: 'unmappable', reason: money.reason };
  const refundId = exactShopifyId(refund.id, refund.admin_graphql_api_id, 'Refund') ?? refund.id;
  // The refund names its order by REST id only; parseJsonExact keeps it exact in live bodies.
  const orderId = refund.order_id;
  const properties = compact({
    order_id: orderId,
    refund_id: refundId,
    total: money.value.total,
    currency: money.value.currency,
    presentment_currency: money.value.presentmentCurrency,
    presentment_total: money.value.presentmentTotal,
    partial: isPartial(money.value, context) ? true : undefined,
    products: money.value.products,
  });
  const anonymousId = orderOnlyAnonymousId(orderId, context.shop);
  const userId = context.profile?.after.customerId;
  const track = trackMessage({ event: specEvents.orderRefunded, shop: context.shop, resource: refundId, timestamp, userId, anonymousId, properties });
  return { kind: 'mapped', messages: [...refundIdentify(context, refundId, timestamp), track] };
};

/**
 * The Identify with the lifetime value net of this refund, when the profile store knows the order's customer; with
 * their email when known, which destinations that key people by email (Klaviyo, Iterable) need on every call.
 */
function refundIdentify(context: MapContext, refundId: string, timestamp: string): SegmentMessage[] {
  const profile = context.profile?.after;
  if (profile === undefined) return [];
  const email = profile.traits?.traits.email;
  return [{
    type: 'identify',
    messageId: messageIdFor({ shop: context.shop, kind: 'identify', resource: profile.customerId, version: `refund ${refundId}` }),
    timestamp,
    userId: profile.customerId,
    traits: { ...(typeof email === 'string' ? { email } : {}), ...profileValueTraits(profile, context.ltvTiers) },
    context: integrationContext(),
  }];
}
