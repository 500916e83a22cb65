import { currencyExponent, minorToNumber, parseMinorUnits } from '../shopify/money.ts';
import type { ShopifyCart, ShopifyCartLine } from '../shopify/cart.ts';
import type { ShopifyOrderLineItem } from '../shopify/order.ts';
import { lineItemProduct } from './line-item-products.ts';
import type { PreviousState } from './mapper.ts';
import { record } from './resource-state.ts';

/**
 * An added quantity of one variant waiting out the debounce (Product Added): the units [from, to) of the line,
 * added at cart version `version`, due when the job runs. A decrease before `due` takes the units back: the range
 * shrinks (maybe to nothing), so the job reports only what stayed.
 */
export interface PendingAdd {
  version: number;
  from: number;
  to: number;
  due: number;
}

export interface CartLineState {
  /** The cart version the line first appeared in: the cart's order of lines (a stored state's keys may come back reordered). */
  since: number;
  quantity: number;
  product: Record<string, unknown>;
  pending: PendingAdd[];
}

/** What is kept of a cart: per variant its quantity, product properties and pending additions. */
export interface CartState {
  currency?: string;
  lines: Record<string, CartLineState>;
}

/** Pending additions this long past due are dropped: their job has run. */
const keepPendingMs = 60 * 60_000;

/** A cart webhook names its currency only in each line's price_set. */
export function cartCurrency(cart: ShopifyCart): string | undefined {
  const line = cart.line_items[0];
  return line?.price_set?.shop_money?.currency_code ?? undefined;
}

function unitPrice(line: ShopifyCartLine, currency: string | undefined): number | undefined {
  const exponent = currencyExponent(currency);
  const minor = exponent.ok ? parseMinorUnits(line.price, exponent.value) : undefined;
  return exponent.ok && minor?.ok ? minorToNumber(minor.value, exponent.value) : undefined;
}

/** The product properties of a cart line (the spec's, as on order lines), without quantity and position. */
function cartProduct(line: ShopifyCartLine, currency: string | undefined): Record<string, unknown> {
  const { quantity: _quantity, position: _position, ...product } = lineItemProduct(line as ShopifyOrderLineItem, unitPrice(line, currency), 0);
  return product;
}

/** The cart's lines per variant (a variant with line item properties may come as two lines: their sum). */
export function cartLines(cart: ShopifyCart): Map<string, { quantity: number; product: Record<string, unknown> }> {
  const currency = cartCurrency(cart);
  const lines = new Map<string, { quantity: number; product: Record<string, unknown> }>();
  for (const line of cart.line_items) {
    const kept = lines.get(line.variant_id);
    lines.set(line.variant_id, { quantity: (kept?.quantity ?? 0) + line.quantity, product: kept?.product ?? cartProduct(line, currency) });
  }
  return lines;
}

export function storedCartState(previous: PreviousState | undefined): CartState | undefined {
  const state = record(previous?.state);
  return state !== undefined && record(state.lines) !== undefined ? (state as unknown as CartState) : undefined;
}

/** A variant's change between the stored cart and this delivery. */
export interface LineChange {
  variant: string;
  before: number;
  after: number;
  /** Units reported as added before (not waiting any more) that are now gone: Product Removed. */
  removed: number;
  line: CartLineState;
}

/** Pending additions after a delivery at `at` with `after` units: the waiting ones shrink to what is left. */
function shrinkPending(pending: readonly PendingAdd[], after: number, at: number): PendingAdd[] {
  return pending
    .filter((add) => add.due + keepPendingMs > at)
    .map((add) => (add.due > at ? { ...add, from: Math.min(add.from, after), to: Math.min(add.to, after) } : add));
}

/** The units of a decrease that had been reported as added: what stays below every addition still waiting. */
function removedUnits(before: number, after: number, pending: readonly PendingAdd[], at: number): number {
  const waitingFrom = pending.filter((add) => add.due > at).map((add) => add.from);
  return Math.max(0, Math.min(before, ...waitingFrom) - after);
}

/** What a delivery at cart version `version`, received at `at`, does to one variant; an increase waits until `due`. */
interface LineDelivery {
  old: CartLineState | undefined;
  now: { quantity: number; product: Record<string, unknown> } | undefined;
  version: number;
  at: number;
  due: number;
}

function nextLine({ old, now, version, at, due }: LineDelivery): CartLineState {
  const before = old?.quantity ?? 0;
  const after = now?.quantity ?? 0;
  const pending = shrinkPending(old?.pending ?? [], after, at);
  if (after > before) pending.push({ version, from: before, to: after, due });
  // An emptied addition stays while it waits, so its job finds it and sends nothing.
  const product = now?.product ?? old?.product ?? {};
  return { since: old?.since ?? version, quantity: after, product, pending: pending.filter((add) => add.to > add.from || add.due > at) };
}

/** The cart's next state and each variant's change (see LineDelivery). */
export function cartChanges(cart: ShopifyCart, stored: CartState | undefined, version: number, at: number, due: number): { state: CartState; changes: LineChange[] } {
  const current = cartLines(cart);
  const lines: Record<string, CartLineState> = {};
  const changes: LineChange[] = [];
  for (const variant of new Set([...Object.keys(stored?.lines ?? {}), ...current.keys()])) {
    const old = stored?.lines[variant];
    const line = nextLine({ old, now: current.get(variant), version, at, due });
    const before = old?.quantity ?? 0;
    if (line.quantity > 0 || line.pending.length > 0) lines[variant] = line;
    if (line.quantity === before) continue;
    const removed = line.quantity < before ? removedUnits(before, line.quantity, old?.pending ?? [], at) : 0;
    changes.push({ variant, before, after: line.quantity, removed, line });
  }
  const currency = cartCurrency(cart) ?? stored?.currency;
  return { state: { ...(currency === undefined ? {} : { currency }), lines }, changes };
}

/** The whole cart as spec products (Product Added / Removed carry it in `products`). */
export function cartProducts(state: CartState): Record<string, unknown>[] {
  return Object.entries(state.lines)
    .filter(([, line]) => line.quantity > 0)
    .sort(([a, lineA], [b, lineB]) => (lineA.since ?? 0) - (lineB.since ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([, line], index) => ({ ...line.product, quantity: line.quantity, position: index + 1 }));
}
