import { hash } from 'node:crypto';
import { exactShopifyId } from '../shopify/shopify-id.ts';
import { joined, lineItemProduct } from './line-item-products.ts';
import type { PreviousState } from './mapper.ts';
import type { OrderFacts } from './order-facts.ts';
import { idText, record, versionOf, type StateRule } from './resource-state.ts';

/** A line of the stored order: its quantity, unit price and product properties (for Post Purchase Upsell). */
export interface OrderLineState {
  quantity: number;
  price: number;
  product: Record<string, unknown>;
}

/**
 * What is kept of an order. `fields` are the values a merchant reports on; a change of one of them, or of a line's
 * quantity, is an Order Updated. The email is kept only as a SHA-256, enough to see it change.
 */
export interface OrderState {
  fields: Record<string, string | number | null>;
  lines: Record<string, OrderLineState>;
  currency: string;
  checkoutId?: string;
  userId?: string;
  anonymousId: string;
}

function sha256(value: string | null | undefined): string | null {
  return value ? hash('sha256', value.trim().toLowerCase(), 'hex') : null;
}

/** The reportable fields (documented in README, Order Updated): money, statuses, cancellation, tags, who, where. */
function reportableFields({ order, amounts }: OrderFacts): OrderState['fields'] {
  return {
    total: amounts.total,
    subtotal: amounts.subtotal ?? null,
    tax: amounts.tax,
    shipping: amounts.shipping,
    discount: amounts.discount,
    currency: order.currency,
    coupon: joined(order.discount_codes?.map((discount) => discount.code)) ?? null,
    financial_status: order.financial_status ?? null,
    fulfillment_status: order.fulfillment_status ?? null,
    cancelled_at: order.cancelled_at ?? null,
    cancel_reason: order.cancel_reason ?? null,
    tags: order.tags ?? null,
    email_sha256: sha256(order.email || order.customer?.email),
    shipping_country: order.shipping_address?.country_code ?? null,
    billing_country: order.billing_address?.country_code ?? null,
  };
}

/** `products`: the events' products of the same lines when already built (the mapper's hot path builds them once). */
function lineStates({ order, amounts }: OrderFacts, products?: readonly Record<string, unknown>[]): Record<string, OrderLineState> {
  const lines: Record<string, OrderLineState> = {};
  order.line_items.forEach((item, index) => {
    const id = exactShopifyId(item.id, item.admin_graphql_api_id, 'LineItem') ?? `index ${index}`;
    const price = amounts.linePrices[index] ?? 0;
    const { quantity: _q, position: _p, ...product } = products?.[index] ?? lineItemProduct(item, price, index);
    lines[id] = { quantity: item.quantity, price, product };
  });
  return lines;
}

export function orderStateOf(facts: OrderFacts, products?: readonly Record<string, unknown>[]): OrderState {
  const { order, identity } = facts;
  return {
    fields: reportableFields(facts),
    lines: lineStates(facts, products),
    currency: order.currency,
    ...(order.checkout_token || order.checkout_id ? { checkoutId: String(order.checkout_token || order.checkout_id) } : {}),
    ...(identity.userId === undefined ? {} : { userId: identity.userId }),
    anonymousId: identity.anonymousId,
  };
}

/** The stored state as an OrderState, or undefined when there is none or it has another shape. */
export function storedOrderState(previous: PreviousState | undefined): OrderState | undefined {
  const state = record(previous?.state);
  return state !== undefined && record(state.fields) !== undefined && record(state.lines) !== undefined ? (state as unknown as OrderState) : undefined;
}

/** The reportable fields that differ, with `line_items` when a line came, went or changed quantity. */
export function changedOrderFields(before: OrderState, after: OrderState): string[] {
  // In this order's field order: a stored state may come back with its keys reordered (PostgreSQL's jsonb).
  const names = [...new Set([...Object.keys(after.fields), ...Object.keys(before.fields)])];
  const changed = names.filter((name) => (before.fields[name] ?? null) !== (after.fields[name] ?? null));
  const quantities = (state: OrderState) => JSON.stringify(Object.entries(state.lines).map(([id, line]) => [id, line.quantity]).sort());
  return quantities(before) === quantities(after) ? changed : [...changed, 'line_items'];
}

/** Every order topic keeps the order's state (its mapper returns it); orders/updated's events are diffs against it. */
export function orderStateRule(diff: boolean): StateRule {
  return {
    kind: 'order',
    diff,
    keyOf(payload) {
      const body = record(payload);
      const id = exactShopifyId(idText(body?.id), idText(body?.admin_graphql_api_id), 'Order');
      return id === undefined ? undefined : { id, version: versionOf(body?.updated_at) };
    },
  };
}

/** refunds/create names its order (order_id): it reads the order's state, to tell a partial refund, never writes it. */
export const refundStateRule: StateRule = {
  kind: 'order',
  diff: false,
  keyOf(payload) {
    const id = idText(record(payload)?.order_id);
    return id === undefined ? undefined : { id, version: undefined };
  },
};

/** orders/edited names its order but carries no version: it reads the order's state, never writes it. */
export const orderEditStateRule: StateRule = {
  kind: 'order',
  diff: false,
  keyOf(payload) {
    const id = idText(record(record(payload)?.order_edit)?.order_id);
    return id === undefined ? undefined : { id, version: undefined };
  },
};
