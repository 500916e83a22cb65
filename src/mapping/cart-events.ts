import { parseCart, type ShopifyCart } from '../shopify/cart.ts';
import { cartChanges, cartProducts, storedCartState, type CartState, type LineChange } from './cart-state.ts';
import { specEvents } from './event-names.ts';
import { defaultEventWindows, type MapContext, type Mapper, type MapResult, type ScheduledWork } from './mapper.ts';
import { cartAnonymousId } from './order-identity.ts';
import { tokenKeyOf, versionOf, type StateRule } from './resource-state.ts';
import { trackMessage } from './track-message.ts';
import { compact, isoTimestamp } from './values.ts';

/** The job that sends a Product Added once the debounce is over (see product-added.ts). */
export const productAddedJob = 'product-added';

/** What the Product Added job carries: the addition and who made it, as known when the cart changed. */
export interface ProductAddedWork {
  cart: string;
  variant: string;
  version: number;
  /** The version of the stored cart the addition was seen against (null: none), which names the event. */
  base: number | null;
  from: number;
  to: number;
  timestamp: string;
  anonymousId: string;
  product: Record<string, unknown>;
}

/** The cart events' properties: the changed product at the top level, the whole cart in `products`. */
export function cartEventProperties(token: string, state: CartState, product: Record<string, unknown>, quantity: number): Record<string, unknown> {
  return compact({ ...product, quantity, cart_id: token, currency: state.currency, products: cartProducts(state) });
}

/**
 * The messageId's version of a cart event: the variant and the version of the stored cart the change was seen
 * against. Deliveries applied one after another each have their own; two processes that diff two deliveries
 * against the same stored cart at the same moment name the same change, so the outbox keeps one.
 */
export function cartEventVersion(variant: string, base: number | null): string {
  return JSON.stringify([variant, base]);
}

/** The cart version a delivery is diffed against, and its own version and time. */
interface CartMoment {
  base: number | null;
  version: number;
  timestamp: string;
}

function removedMessage(cart: ShopifyCart, state: CartState, change: LineChange, at: CartMoment, context: MapContext) {
  const anonymousId = cartAnonymousId({ cart_token: cart.token }, context.shop, context.linkedAnonymousId);
  return trackMessage({
    event: specEvents.productRemoved, shop: context.shop, resource: cart.token, version: cartEventVersion(change.variant, at.base),
    timestamp: at.timestamp, anonymousId, properties: cartEventProperties(cart.token, state, change.line.product, change.removed),
  });
}

function addedWork(cart: ShopifyCart, change: LineChange, at: CartMoment, due: number, context: MapContext): ScheduledWork {
  const payload: ProductAddedWork = {
    cart: cart.token, variant: change.variant, version: at.version, base: at.base, from: change.before, to: change.after, timestamp: at.timestamp,
    anonymousId: cartAnonymousId({ cart_token: cart.token }, context.shop, context.linkedAnonymousId) ?? '',
    product: change.line.product,
  };
  return { kind: productAddedJob, key: JSON.stringify([cart.token, change.variant, at.base]), dueAt: due, payload };
}

function cartMessages(cart: ShopifyCart, context: MapContext): MapResult {
  const version = versionOf(cart.updated_at);
  const timestamp = isoTimestamp(cart.updated_at);
  if (version === undefined || timestamp === undefined) return { kind: 'unmappable', reason: 'updated_at: not an ISO-8601 time' };
  const at = context.receivedAt ?? version;
  const due = at + (context.windows ?? defaultEventWindows).productAddedMs;
  const { state, changes } = cartChanges(cart, storedCartState(context.previous), version, at, due);
  const moment = { base: context.previous?.version ?? null, version, timestamp };
  const messages = changes.filter((c) => c.removed > 0).map((c) => removedMessage(cart, state, c, moment, context));
  const jobs = changes.filter((c) => c.after > c.before).map((c) => addedWork(cart, c, moment, due, context));
  if (messages.length > 0) return { kind: 'mapped', messages, jobs, state };
  return { kind: 'ignored', reason: jobs.length > 0 ? `${jobs.length} addition(s) wait for the debounce` : 'no quantity change', jobs, state };
}

/**
 * carts/create|update → Product Removed at once for a decrease of units that had been reported as added, and a
 * Product Added job per increase: the addition is sent only if it is still in the cart when the debounce is over
 * (units taken back within it are neither added nor removed). Diffs per variant against the stored cart.
 */
export const mapCartUpdated: Mapper = (payload, context) => {
  const parsed = parseCart(payload);
  return parsed.ok ? cartMessages(parsed.value, context) : { kind: 'unmappable', reason: parsed.reason };
};

/** Carts are keyed by token and versioned by updated_at; their events are diffs, so a stale delivery maps to nothing. */
export const cartStateRule: StateRule = {
  kind: 'cart',
  diff: true,
  keyOf: tokenKeyOf,
};
