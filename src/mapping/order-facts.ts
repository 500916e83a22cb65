import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { parseOrder, type ShopifyOrder } from '../shopify/order.ts';
import { customerIdentify } from './customer-identify.ts';
import type { SpecEvent } from './event-names.ts';
import type { MapContext, MapResult } from './mapper.ts';
import { integrationContext } from './message-context.ts';
import { readOrderAmounts, type OrderAmounts } from './order-amounts.ts';
import { orderChannelDecision } from './order-channels.ts';
import { customerIdOf, orderIdentity, orderIdOf, type OrderIdentity } from './order-identity.ts';
import { isoTimestamp, quoted } from './values.ts';

/** What every order-topic mapper reads from an order body, checked once. */
export interface OrderFacts {
  order: ShopifyOrder;
  orderId: string;
  amounts: OrderAmounts;
  identity: OrderIdentity;
  /** Order Completed or POS Order Placed, from the sales channel. */
  placement: SpecEvent;
  /** When the order was placed (created_at, UTC). */
  createdAt: string;
}

type NotMapped = Exclude<MapResult, { kind: 'mapped' }>;

/**
 * Parses and checks an order body; a channel left out is `ignored`, a body that cannot be read `unmappable`.
 * `linked` is the browser anonymousId a storefront event linked to the order's cart or checkout.
 */
export function readOrderFacts(payload: unknown, shop: string, linked?: string): { ok: true; facts: OrderFacts } | { ok: false; result: NotMapped } {
  const parsed = parseOrder(payload);
  if (!parsed.ok) return { ok: false, result: { kind: 'unmappable', reason: parsed.reason } };
  const order = parsed.order;
  const channel = orderChannelDecision(order.source_name);
  if (channel.kind !== 'placed') return { ok: false, result: channel };
  const createdAt = isoTimestamp(order.created_at);
  if (createdAt === undefined) {
    const reason = `created_at: ${quoted(order.created_at)} is not an ISO-8601 time`;
    return { ok: false, result: { kind: 'unmappable', reason } };
  }
  const amounts = readOrderAmounts(order);
  if (!amounts.ok) return { ok: false, result: { kind: 'unmappable', reason: amounts.reason } };
  const identity = orderIdentity(order, shop, linked);
  const facts = { order, orderId: orderIdOf(order), amounts: amounts.value, identity, placement: channel.event, createdAt };
  return { ok: true, facts };
}

/** An Identify for the order's customer, when there is one (none for guest orders). */
export function orderCustomerIdentify(facts: OrderFacts, context: Pick<MapContext, 'shop' | 'profile' | 'ltvTiers'>): SegmentMessage[] {
  const { order } = facts;
  const customerId = customerIdOf(order);
  if (order.customer == null || customerId === undefined) return [];
  const identify = customerIdentify({
    shop: context.shop,
    customer: order.customer,
    customerId,
    anonymousId: facts.identity.anonymousId,
    fallback: { email: order.email || order.contact_email, currency: order.currency },
    unversioned: { version: `order ${facts.orderId}`, timestamp: facts.createdAt },
    context: integrationContext(),
    profile: context.profile?.after,
    ltvTiers: context.ltvTiers,
  });
  return [identify];
}
