import { currencyExponent, minorToNumber } from '../shopify/money.ts';
import { parseOrderEdit, type ShopifyOrderEdit } from '../shopify/order-edit.ts';
import { specEvents } from './event-names.ts';
import type { MapContext, Mapper, MapResult } from './mapper.ts';
import { storedOrderState, type OrderState } from './order-state.ts';
import { trackMessage } from './track-message.ts';
import { compact, isoTimestamp } from './values.ts';

type Addition = { id: string; delta: number };

/** The value of the additions, summed in minor units (the stored prices are exact at the currency's exponent). */
function additionsValue(state: OrderState, additions: readonly Addition[]): number {
  const exponent = currencyExponent(state.currency);
  const e = exponent.ok ? exponent.value : 2;
  const minor = additions.reduce((sum, add) => sum + Math.round((state.lines[add.id]?.price ?? 0) * 10 ** e) * add.delta, 0);
  return minorToNumber(minor, e);
}

function upsellMessage(edit: ShopifyOrderEdit, state: OrderState, additions: readonly Addition[], context: MapContext): MapResult {
  const timestamp = isoTimestamp(edit.committed_at) ?? isoTimestamp(edit.created_at);
  if (timestamp === undefined) return { kind: 'unmappable', reason: 'order_edit.committed_at: not an ISO-8601 time' };
  const products = additions.map((add, index) => ({ ...state.lines[add.id]!.product, quantity: add.delta, position: index + 1 }));
  const properties = compact({
    order_id: edit.order_id, order_edit_id: edit.id, checkout_id: state.checkoutId, currency: state.currency,
    value: additionsValue(state, additions), products,
  });
  const message = trackMessage({
    event: specEvents.postPurchaseUpsell, shop: context.shop, resource: edit.order_id, version: `edit ${edit.id}`, timestamp,
    ...(state.userId === undefined ? {} : { userId: state.userId }), anonymousId: state.anonymousId, properties,
  });
  return { kind: 'mapped', messages: [message] };
}

function upsell(edit: ShopifyOrderEdit, context: MapContext): MapResult {
  const additions = (edit.line_items.additions ?? []).filter((add) => add.delta > 0);
  if (additions.length === 0) return { kind: 'ignored', reason: 'the edit added no products' };
  const state = storedOrderState(context.previous);
  // Orders cartstream never kept: placed before it ran, or on a channel it does not report (POS, draft, apps).
  if (state === undefined) return { kind: 'ignored', reason: 'no stored state of the order (not a reported order, or placed before cartstream)' };
  const missing = additions.find((add) => state.lines[add.id] === undefined);
  // A new line is in the state once the orders/updated Shopify sends with the edit is processed.
  if (missing !== undefined) {
    return { kind: 'unmappable', reason: `line item ${missing.id} is not in the stored order yet: re-run after its orders/updated`, retry: true };
  }
  return upsellMessage(edit, state, additions, context);
}

/**
 * orders/edited → Post Purchase Upsell when the edit added products after purchase: the added lines (product
 * properties and price from the stored order) and the value of the additions. messageId: order id + edit id.
 */
export const mapPostPurchaseUpsell: Mapper = (payload, context) => {
  const parsed = parseOrderEdit(payload);
  return parsed.ok ? upsell(parsed.value, context) : { kind: 'unmappable', reason: parsed.reason };
};
