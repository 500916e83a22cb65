import { z } from 'zod';
import { orderChannelDecision } from '../mapping/order-channels.ts';
import { readRefundMoney } from '../mapping/refund-money.ts';
import { parseMoney } from '../shopify/money.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import { parsePayload } from '../shopify/parse-payload.ts';
import { parseRefund } from '../shopify/refund.ts';
import { moneyAmount, shopifyId, text } from '../shopify/schema-parts.ts';
import { exactShopifyId } from '../shopify/shopify-id.ts';
import type { InboxStatus, ReceivedDelivery } from '../store/store.ts';

/** An amount in integer minor units of its currency. */
export interface Money {
  currency: string;
  minor: number;
}

/** Where cartstream's processing of the delivery stands, and the reason it kept (failure or "ignored" note). */
interface Processing {
  shop: string;
  webhookId: string;
  inboxStatus: InboxStatus;
  reason: string | null;
}

/** One orders/create delivery as Shopify sent it. */
export interface ShopifyOrder extends Processing {
  kind: 'order';
  orderId: string;
  sourceName: string | null;
  /** total_price in the shop's currency; null when it cannot be read exactly. */
  total: Money | null;
  /** Whether the channel rules make this order an Order Completed, and if not, the rule that says why. */
  expected: { orderCompleted: true } | { orderCompleted: false; rule: string };
}

/** One refunds/create delivery as Shopify sent it. */
export interface ShopifyRefund extends Processing {
  kind: 'refund';
  refundId: string;
  orderId: string;
  /** The money actually refunded, as Order Refunded reports it; null when it cannot be read. */
  total: Money | null;
}

/** A delivery whose body cannot be read as an order or refund at all. */
export interface UnreadableDelivery extends Processing {
  kind: 'unreadable';
  topic: string;
  why: string;
}

export type ShopifyFact = ShopifyOrder | ShopifyRefund | UnreadableDelivery;

/** Only what the report needs, so a body the mappers refuse for another field still counts as an order. */
const orderFields = z.looseObject({
  id: shopifyId,
  admin_graphql_api_id: text,
  source_name: text,
  total_price: moneyAmount.nullish(),
  currency: text,
});

function channelExpectation(sourceName: string | null): ShopifyOrder['expected'] {
  const decision = orderChannelDecision(sourceName);
  if (decision.kind === 'placed' && decision.event.name === 'Order Completed') return { orderCompleted: true };
  if (decision.kind === 'placed') return { orderCompleted: false, rule: `source_name ${sourceName}: sent as ${decision.event.name}` };
  return { orderCompleted: false, rule: decision.reason };
}

function orderFact(payload: unknown, processing: Processing): ShopifyOrder | UnreadableDelivery {
  const parsed = parsePayload(orderFields, payload);
  if (!parsed.ok) return { kind: 'unreadable', topic: 'orders/create', why: parsed.reason, ...processing };
  const order = parsed.value;
  const sourceName = order.source_name ?? null;
  const money = order.currency ? parseMoney(order.total_price ?? '0', order.currency) : null;
  const total = money?.ok ? { currency: order.currency as string, minor: money.value.minor } : null;
  const orderId = exactShopifyId(order.id, order.admin_graphql_api_id, 'Order') ?? order.id;
  return { kind: 'order', orderId, sourceName, total, expected: channelExpectation(sourceName), ...processing };
}

function refundFact(payload: unknown, processing: Processing): ShopifyRefund | UnreadableDelivery {
  const parsed = parseRefund(payload);
  if (!parsed.ok) return { kind: 'unreadable', topic: 'refunds/create', why: parsed.reason, ...processing };
  const refund = parsed.value;
  const money = readRefundMoney(refund);
  // readRefundMoney gives numbers made from exact minor units; parseMoney takes them back exactly.
  const minor = money.ok ? parseMoney(money.value.total, money.value.currency) : null;
  const total = money.ok && minor?.ok ? { currency: money.value.currency, minor: minor.value.minor } : null;
  const refundId = exactShopifyId(refund.id, refund.admin_graphql_api_id, 'Refund') ?? refund.id;
  return { kind: 'refund', refundId, orderId: refund.order_id, total, ...processing };
}

/** What Shopify said in one orders/create or refunds/create delivery, read from the stored raw body. */
export function shopifyFact(delivery: ReceivedDelivery): ShopifyFact {
  const processing: Processing = {
    shop: delivery.shop, webhookId: delivery.webhookId, inboxStatus: delivery.status, reason: delivery.reason,
  };
  let payload: unknown;
  try {
    payload = parseJsonExact(delivery.body);
  } catch (error) {
    return { kind: 'unreadable', topic: delivery.topic, why: (error as Error).message, ...processing };
  }
  return delivery.topic === 'refunds/create' ? refundFact(payload, processing) : orderFact(payload, processing);
}
