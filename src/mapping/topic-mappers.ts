import { mapCheckoutStarted } from './checkout-started.ts';
import { mapCheckoutUpdated } from './checkout-updated.ts';
import { mapCustomerCreated, mapCustomerEnabled, mapCustomerUpdated } from './customer-events.ts';
import { specEvents, type SpecEventKey } from './event-names.ts';
import { mapFulfillmentCreated, mapFulfillmentUpdated } from './fulfillment-events.ts';
import { mapInventoryUpdated } from './inventory-updated.ts';
import type { Mapper } from './mapper.ts';
import { mapOrderRefunded } from './order-refunded.ts';
import {
  mapOrderCancelled,
  mapOrderCreated,
  mapOrderFulfilled,
  mapOrderPaid,
  mapOrderPartiallyFulfilled,
} from './order-topics.ts';
import { mapProductCreated, mapProductDeleted, mapProductUpdated } from './product-events.ts';
import { collectorTopicMappers } from './collector-events.ts';
import { rechargeTopicMappers } from './recharge/recharge-topics.ts';

/** A topic's mapper and the track events it may send (besides Identify). */
export interface TopicEntry {
  mapper: Mapper;
  events: readonly SpecEventKey[];
}

/**
 * Shopify topic → mapper → events, in one place. orders/create and orders/paid both send the placement event
 * (Order Completed / POS Order Placed) with the same messageId, so whichever arrives first is delivered and the
 * outbox refuses the other; likewise checkouts/create and checkouts/update for a Coupon Applied. Any order topic sends a Payment Failure for a failed transaction in its body.
 */
export const topicCatalog: ReadonlyMap<string, TopicEntry> = new Map<string, TopicEntry>([
  ['orders/create', { mapper: mapOrderCreated, events: ['orderCompleted', 'posOrderPlaced', 'paymentFailure'] }],
  ['orders/paid', { mapper: mapOrderPaid, events: ['orderCompleted', 'posOrderPlaced', 'orderPaid', 'paymentFailure'] }],
  ['orders/cancelled', { mapper: mapOrderCancelled, events: ['orderCancelled', 'paymentFailure'] }],
  ['orders/fulfilled', { mapper: mapOrderFulfilled, events: ['orderFulfilled', 'paymentFailure'] }],
  ['orders/partially_fulfilled', { mapper: mapOrderPartiallyFulfilled, events: ['orderPartiallyFulfilled', 'paymentFailure'] }],
  ['refunds/create', { mapper: mapOrderRefunded, events: ['orderRefunded'] }],
  ['customers/create', { mapper: mapCustomerCreated, events: ['customerCreated'] }],
  ['customers/update', { mapper: mapCustomerUpdated, events: ['customerUpdated'] }],
  ['customers/enable', { mapper: mapCustomerEnabled, events: ['customerEnabled'] }],
  ['fulfillments/create', { mapper: mapFulfillmentCreated, events: ['fulfillmentCreated'] }],
  ['fulfillments/update', { mapper: mapFulfillmentUpdated, events: ['fulfillmentUpdated'] }],
  ['checkouts/create', { mapper: mapCheckoutStarted, events: ['checkoutStarted', 'couponApplied'] }],
  [
    'checkouts/update',
    { mapper: mapCheckoutUpdated, events: ['checkoutStepViewed', 'checkoutStepCompleted', 'paymentInfoEntered', 'couponApplied'] },
  ],
  ['products/create', { mapper: mapProductCreated, events: ['productCreated'] }],
  ['products/update', { mapper: mapProductUpdated, events: ['productUpdated'] }],
  ['products/delete', { mapper: mapProductDeleted, events: ['productDeleted'] }],
  ['inventory_levels/update', { mapper: mapInventoryUpdated, events: ['inventoryUpdated'] }],
  ...collectorTopicMappers,
  ...rechargeTopicMappers,
]);

/** Shopify topic → mapper (derived from topicCatalog). */
export const topicMappers: ReadonlyMap<string, Mapper> = new Map(
  [...topicCatalog].map(([topic, entry]) => [topic, entry.mapper] as const),
);

/** The mapper for a topic; undefined when there is none (the pipeline keeps such rows as ignored). */
export function mapperFor(topic: string): Mapper | undefined {
  return topicMappers.get(topic);
}

/** The event names a topic may send (for operators and tests); empty for a topic without a mapper. */
export function eventNamesFor(topic: string): string[] {
  return (topicCatalog.get(topic)?.events ?? []).map((key) => specEvents[key].name);
}
