import { cartStateRule, mapCartUpdated } from './cart-events.ts';
import { checkoutJobs, checkoutStateRule, orderCancelsAbandonment } from './checkout-abandoned.ts';
import { mapCheckoutStarted } from './checkout-started.ts';
import { mapCheckoutUpdated } from './checkout-updated.ts';
import { mapCustomerCreated, mapCustomerEnabled, mapCustomerUpdated } from './customer-events.ts';
import { specEvents, type SpecEventKey } from './event-names.ts';
import { mapFulfillmentCreated, mapFulfillmentUpdated } from './fulfillment-events.ts';
import { mapInventoryUpdated } from './inventory-updated.ts';
import type { Mapper } from './mapper.ts';
import { orderEditStateRule, orderStateRule, refundStateRule } from './order-state.ts';
import { mapPostPurchaseUpsell } from './post-purchase-upsell.ts';
import { mapOrderUpdated } from './order-updated.ts';
import type { StateRule, TopicJobs } from './resource-state.ts';
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

/** A topic's mapper and the track events it may send (besides Identify), now or from the jobs it schedules. */
export interface TopicEntry {
  mapper: Mapper;
  events: readonly SpecEventKey[];
  /** The resource state the topic reads and keeps (see resource-state.ts). */
  state?: StateRule;
  /** Jobs the topic schedules or cancels whatever its mapper says. */
  jobs?: TopicJobs;
}

const orderState = orderStateRule(false);

/**
 * Shopify topic → mapper → events, in one place. orders/create and orders/paid both send the placement event
 * (Order Completed / POS Order Placed) with the same messageId, so whichever arrives first is delivered and the
 * outbox refuses the other; likewise checkouts/create and checkouts/update for a Coupon Applied. Any order topic sends a Payment Failure for a failed transaction in its body.
 */
export const topicCatalog: ReadonlyMap<string, TopicEntry> = new Map<string, TopicEntry>([
  [
    'orders/create',
    { mapper: mapOrderCreated, events: ['orderCompleted', 'posOrderPlaced', 'paymentFailure'], state: orderState, jobs: orderCancelsAbandonment },
  ],
  [
    'orders/paid',
    {
      mapper: mapOrderPaid, events: ['orderCompleted', 'posOrderPlaced', 'orderPaid', 'paymentFailure'], state: orderState,
      jobs: orderCancelsAbandonment,
    },
  ],
  ['orders/cancelled', { mapper: mapOrderCancelled, events: ['orderCancelled', 'paymentFailure'], state: orderState }],
  ['orders/fulfilled', { mapper: mapOrderFulfilled, events: ['orderFulfilled', 'paymentFailure'], state: orderState }],
  [
    'orders/partially_fulfilled',
    { mapper: mapOrderPartiallyFulfilled, events: ['orderPartiallyFulfilled', 'paymentFailure'], state: orderState },
  ],
  ['orders/updated', { mapper: mapOrderUpdated, events: ['orderUpdated'], state: orderStateRule(true) }],
  ['orders/edited', { mapper: mapPostPurchaseUpsell, events: ['postPurchaseUpsell'], state: orderEditStateRule }],
  ['refunds/create', { mapper: mapOrderRefunded, events: ['orderRefunded'], state: refundStateRule }],
  ['customers/create', { mapper: mapCustomerCreated, events: ['customerCreated'] }],
  ['customers/update', { mapper: mapCustomerUpdated, events: ['customerUpdated'] }],
  ['customers/enable', { mapper: mapCustomerEnabled, events: ['customerEnabled'] }],
  ['fulfillments/create', { mapper: mapFulfillmentCreated, events: ['fulfillmentCreated'] }],
  ['fulfillments/update', { mapper: mapFulfillmentUpdated, events: ['fulfillmentUpdated'] }],
  // Checkout Abandoned is sent by the job checkouts/create schedules, unless an order cancels it first.
  [
    'checkouts/create',
    { mapper: mapCheckoutStarted, events: ['checkoutStarted', 'couponApplied', 'checkoutAbandoned'], state: checkoutStateRule, jobs: checkoutJobs },
  ],
  [
    'checkouts/update',
    {
      mapper: mapCheckoutUpdated, events: ['checkoutStepViewed', 'checkoutStepCompleted', 'paymentInfoEntered', 'couponApplied'],
      state: checkoutStateRule, jobs: checkoutJobs,
    },
  ],
  ['products/create', { mapper: mapProductCreated, events: ['productCreated'] }],
  ['products/update', { mapper: mapProductUpdated, events: ['productUpdated'] }],
  ['products/delete', { mapper: mapProductDeleted, events: ['productDeleted'] }],
  ['inventory_levels/update', { mapper: mapInventoryUpdated, events: ['inventoryUpdated'] }],
  // Product Added is sent by the debounce job these topics schedule (see product-added.ts).
  ['carts/create', { mapper: mapCartUpdated, events: ['productAdded', 'productRemoved'], state: cartStateRule }],
  ['carts/update', { mapper: mapCartUpdated, events: ['productAdded', 'productRemoved'], state: cartStateRule }],
  ...collectorTopicMappers,
  ...rechargeTopicMappers,
]);

/** Shopify topic → mapper (derived from topicCatalog). */
export const topicMappers: ReadonlyMap<string, Mapper> = new Map(
  [...topicCatalog].map(([topic, entry]) => [topic, entry.mapper] as const),
);

/** The state rule of a topic; undefined when it keeps no state. */
export function stateRuleFor(topic: string): StateRule | undefined {
  return topicCatalog.get(topic)?.state;
}

/** The jobs a topic schedules or cancels besides its mapper's; undefined when none. */
export function topicJobsFor(topic: string): TopicJobs | undefined {
  return topicCatalog.get(topic)?.jobs;
}

/** The mapper for a topic; undefined when there is none (the pipeline keeps such rows as ignored). */
export function mapperFor(topic: string): Mapper | undefined {
  return topicMappers.get(topic);
}

/** The event names a topic may send (for operators and tests); empty for a topic without a mapper. */
export function eventNamesFor(topic: string): string[] {
  return (topicCatalog.get(topic)?.events ?? []).map((key) => specEvents[key].name);
}
