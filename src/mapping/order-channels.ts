import { specEvents, type SpecEvent } from './event-names.ts';
import { quoted } from './values.ts';

/** What an order from one sales channel (Shopify's `source_name`) becomes. */
export type OrderChannelRule = { kind: 'placed'; event: SpecEvent } | { kind: 'ignored'; why: string };

/**
 * Sales channel → the event that says the order was placed, in one place. Web (online store checkout) orders are
 * Order Completed and POS sales POS Order Placed, as in the paid connectors; orders from the other channels are
 * left out. The rule covers every order topic (paid, cancelled, fulfilled, …): a destination never hears of an
 * order's later life when it was not told the order was placed.
 */
export const orderChannelRules: ReadonlyMap<string, OrderChannelRule> = new Map<string, OrderChannelRule>([
  ['web', { kind: 'placed', event: specEvents.orderCompleted }],
  ['pos', { kind: 'placed', event: specEvents.posOrderPlaced }],
  ['shopify_draft_order', { kind: 'ignored', why: 'a draft order created in the Shopify admin' }],
  ['iphone', { kind: 'ignored', why: 'placed in the Shopify iPhone app' }],
  ['android', { kind: 'ignored', why: 'placed in the Shopify Android app' }],
]);

/** Any other source_name is another app's channel (an app id or handle). */
const otherChannel: OrderChannelRule = { kind: 'ignored', why: 'another sales channel or app' };

export type OrderChannelDecision =
  | { kind: 'placed'; event: SpecEvent }
  | { kind: 'ignored'; reason: string }
  | { kind: 'unmappable'; reason: string };

/** Decides from the order's source_name which placement event it is, or why it is left out. */
export function orderChannelDecision(sourceName: string | null | undefined): OrderChannelDecision {
  if (sourceName == null || sourceName === '') {
    return { kind: 'unmappable', reason: 'source_name: missing, so the sales channel is unknown' };
  }
  const rule = orderChannelRules.get(sourceName) ?? otherChannel;
  if (rule.kind === 'placed') return rule;
  const name = /^[\w.-]{1,40}$/.test(sourceName) ? sourceName : quoted(sourceName);
  return { kind: 'ignored', reason: `source_name ${name} is not a web or POS order (${rule.why})` };
}
