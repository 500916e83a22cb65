import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { ShopifyOrder } from '../shopify/order.ts';
import { browserAlias } from './alias-message.ts';
import { specEvents, type SpecEvent } from './event-names.ts';
import type { MapContext, Mapper, MapResult, OrderFacets } from './mapper.ts';
import { orderCustomerIdentify, readOrderFacts, type OrderFacts } from './order-facts.ts';
import { orderContext, orderProperties } from './order-properties.ts';
import { orderStateOf } from './order-state.ts';
import { paymentFailureTracks } from './payment-failure.ts';
import { trackMessage } from './track-message.ts';
import { compact, isoTimestamp } from './values.ts';

/** The event an order topic adds about the order's later life. */
interface LifecycleEvent {
  event: SpecEvent;
  /** The order field that says when it happened; falls back to updated_at, then created_at. */
  at: 'updated_at' | 'cancelled_at';
  /**
   * Whether each version of the order (updated_at) is its own fact. An order is paid, cancelled or fully
   * fulfilled once, so those are keyed by order id alone; it can be partially fulfilled several times.
   */
  perVersion: boolean;
  /** Properties this event adds to the order properties. */
  extra?: (order: ShopifyOrder) => Record<string, unknown>;
}

/** What one order topic sends, besides the customer's Identify and any Payment Failure. */
export interface OrderTopicRule {
  /**
   * Whether the topic also sends the placement event (Order Completed / POS Order Placed). Its messageId is the
   * order id alone, so orders/create and orders/paid of one order give it once, whichever arrives first.
   */
  placement: boolean;
  lifecycle?: LifecycleEvent;
}

/** Order topic → what it sends, in one place (topic-mappers.ts routes the topics here). */
export const orderTopicRules = {
  'orders/create': { placement: true },
  'orders/paid': { placement: true, lifecycle: { event: specEvents.orderPaid, at: 'updated_at', perVersion: false } },
  'orders/cancelled': {
    placement: false,
    lifecycle: {
      event: specEvents.orderCancelled,
      at: 'cancelled_at',
      perVersion: false,
      extra: (order) => compact({ cancel_reason: order.cancel_reason }),
    },
  },
  'orders/fulfilled': {
    placement: false,
    lifecycle: { event: specEvents.orderFulfilled, at: 'updated_at', perVersion: false },
  },
  'orders/partially_fulfilled': {
    placement: false,
    lifecycle: { event: specEvents.orderPartiallyFulfilled, at: 'updated_at', perVersion: true },
  },
} as const satisfies Record<string, OrderTopicRule>;

/** When an order event happened, and its version when each version is its own fact. */
export interface EventTime {
  timestamp: string;
  version?: string | undefined;
}

/** An order event with the order's ids and browser context. */
export function orderTrack(facts: OrderFacts, event: SpecEvent, properties: Record<string, unknown>, shop: string, at: EventTime): SegmentMessage {
  const { userId, anonymousId } = facts.identity;
  const context = orderContext(facts.order);
  return trackMessage({ event, shop, resource: facts.orderId, ...at, userId, anonymousId, properties, context });
}

function lifecycleTrack(facts: OrderFacts, rule: LifecycleEvent, properties: Record<string, unknown>, context: MapContext): SegmentMessage {
  const { order } = facts;
  const updatedAt = isoTimestamp(order.updated_at);
  const timestamp = isoTimestamp(order[rule.at]) ?? updatedAt ?? facts.createdAt;
  // Without updated_at, the webhook id still tells one delivery (and its retries) from the next.
  const version = rule.perVersion ? (updatedAt ?? `webhook ${context.webhookId}`) : undefined;
  const extra = rule.extra?.(order) ?? {};
  return orderTrack(facts, rule.event, { ...properties, ...extra }, context.shop, { timestamp, version });
}

/** The messages of one order topic: Identify, the placement event, the topic's own event, Payment Failures. */
function orderTopicMessages(facts: OrderFacts, rule: OrderTopicRule, context: MapContext): MapResult {
  const properties = orderProperties(facts.order, facts.amounts);
  const failures = paymentFailureTracks(facts, properties, context.shop);
  if (!failures.ok) return { kind: 'unmappable', reason: failures.reason };
  const alias = rule.placement
    ? browserAlias({ shop: context.shop, trail: facts.order, linked: context.linkedAnonymousId, userId: facts.identity.userId, timestamp: facts.createdAt })
    : [];
  const messages = [...alias, ...orderCustomerIdentify(facts, context)];
  // No version in the placement id: orders/create and orders/paid of one order are the same Order Completed.
  if (rule.placement) messages.push(orderTrack(facts, facts.placement, properties, context.shop, { timestamp: facts.createdAt }));
  if (rule.lifecycle) messages.push(lifecycleTrack(facts, rule.lifecycle, properties, context));
  const state = orderStateOf(facts, properties.products as Record<string, unknown>[] | undefined);
  return { kind: 'mapped', messages: [...messages, ...failures.value], state, order: orderFacets(facts.order) };
}

/** Shopify's tags are one comma-separated string. */
function tagList(tags: string | null | undefined): string[] {
  return (tags ?? '').split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
}

function orderFacets(order: ShopifyOrder): OrderFacets {
  const gateways = (order.payment_gateway_names ?? []).filter((name) => name !== '');
  const email = order.customer?.email || order.email || undefined;
  return { sourceName: order.source_name ?? '', tags: tagList(order.tags), gateways, ...(email === undefined ? {} : { email }) };
}

/** The mapper for one order topic. Pure: never throws, never reads a clock. */
export function orderTopicMapper(rule: OrderTopicRule): Mapper {
  return (payload, context) => {
    const read = readOrderFacts(payload, context.shop, context.linkedAnonymousId);
    return read.ok ? orderTopicMessages(read.facts, rule, context) : read.result;
  };
}

/** orders/create → Identify + Order Completed (web) or POS Order Placed (pos). */
export const mapOrderCreated = orderTopicMapper(orderTopicRules['orders/create']);
/** orders/paid → the same Identify and placement event (same messageIds) + Order Paid. */
export const mapOrderPaid = orderTopicMapper(orderTopicRules['orders/paid']);
/** orders/cancelled → Identify + Order Cancelled with cancel_reason. */
export const mapOrderCancelled = orderTopicMapper(orderTopicRules['orders/cancelled']);
/** orders/fulfilled → Identify + Order Fulfilled. */
export const mapOrderFulfilled = orderTopicMapper(orderTopicRules['orders/fulfilled']);
/** orders/partially_fulfilled → Identify + Order Partially Fulfilled (one per order version). */
export const mapOrderPartiallyFulfilled = orderTopicMapper(orderTopicRules['orders/partially_fulfilled']);
