import { specEvents, type SpecEvent } from './event-names.ts';
import { quoted } from './values.ts';

/** What an order from one sales channel (Shopify's `source_name`) is, and where it comes from. */
export interface OrderChannelRule {
  event: SpecEvent;
  why: string;
}

/**
 * Sales channel → the event that says the order was placed, in one place. POS sales are POS Order Placed, every
 * other channel's orders Order Completed, as in the paid connectors. Which channels' Order Completed a destination
 * gets is its `orders.channels` option (web only by default; see destinations/destination-options.ts), so orders of
 * every channel are mapped and each destination's options leave out what it does not want, with the rule.
 */
export const orderChannelRules: ReadonlyMap<string, OrderChannelRule> = new Map<string, OrderChannelRule>([
  ['web', { event: specEvents.orderCompleted, why: 'the online store' }],
  ['pos', { event: specEvents.posOrderPlaced, why: 'Shopify POS' }],
  ['shopify_draft_order', { event: specEvents.orderCompleted, why: 'a draft order created in the Shopify admin' }],
  ['iphone', { event: specEvents.orderCompleted, why: 'placed in the Shopify iPhone app' }],
  ['android', { event: specEvents.orderCompleted, why: 'placed in the Shopify Android app' }],
]);

/** Any other source_name is another app's channel (an app id or handle). */
const otherChannel: OrderChannelRule = { event: specEvents.orderCompleted, why: 'another sales channel or app' };

/** The channel that sends POS Order Placed, whatever a destination's options say about Order Completed. */
export const posChannel = 'pos';

export type OrderChannelDecision = { kind: 'placed'; event: SpecEvent } | { kind: 'unmappable'; reason: string };

/** Decides from the order's source_name which placement event it is. */
export function orderChannelDecision(sourceName: string | null | undefined): OrderChannelDecision {
  if (sourceName == null || sourceName === '') {
    return { kind: 'unmappable', reason: 'source_name: missing, so the sales channel is unknown' };
  }
  return { kind: 'placed', event: (orderChannelRules.get(sourceName) ?? otherChannel).event };
}

/** "source_name shopify_draft_order (a draft order created in the Shopify admin)", quoting odd names. */
export function describeChannel(sourceName: string): string {
  const name = /^[\w.-]{1,40}$/.test(sourceName) ? sourceName : quoted(sourceName);
  return `source_name ${name} (${(orderChannelRules.get(sourceName) ?? otherChannel).why})`;
}
