import { deterministicUuid } from '../pipeline/message-id.ts';
import type { ShopifyOrder } from '../shopify/order.ts';
import { exactShopifyId } from '../shopify/shopify-id.ts';

/** The cart attribute our theme app embed writes the storefront's anonymousId into (arrives as a note attribute). */
export const anonymousIdNoteAttribute = '_cartstream_anonymous_id';

/** Who placed an order, as Segment ids. */
export interface OrderIdentity {
  /** The Shopify customer id (exact); absent for guest orders without a customer. */
  userId: string | undefined;
  anonymousId: string;
}

/** The order's exact id (the REST id may have been rounded; see shopify-id.ts). */
export function orderIdOf(order: ShopifyOrder): string {
  return exactShopifyId(order.id, order.admin_graphql_api_id, 'Order') ?? order.id;
}

export function customerIdOf(order: ShopifyOrder): string | undefined {
  const customer = order.customer;
  return customer == null ? undefined : exactShopifyId(customer.id, customer.admin_graphql_api_id, 'Customer');
}

/** What an order or a checkout knows about the cart it came from. */
export type CartTrail = Pick<ShopifyOrder, 'note_attributes' | 'cart_token' | 'checkout_token'>;

function storefrontAnonymousId(order: CartTrail): string | undefined {
  const attribute = order.note_attributes?.find((note) => note.name === anonymousIdNoteAttribute);
  const value = attribute?.value;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The anonymousId the shopper's browser uses, when known: the cart attribute the storefront wrote, else the link a
 * storefront event recorded for the cart or checkout token (`linked`).
 */
export function browserAnonymousId(trail: CartTrail, linked: string | undefined): string | undefined {
  return storefrontAnonymousId(trail) ?? linked;
}

/**
 * The anonymousId of a cart's shopper, never random: the browser's (see browserAnonymousId), else a value derived
 * from the cart token, else from the checkout token. Checkouts and orders share it, so Checkout Started and Order
 * Completed of one journey carry the same anonymousId.
 */
export function cartAnonymousId(trail: CartTrail, shop: string, linked?: string): string | undefined {
  const fromBrowser = browserAnonymousId(trail, linked);
  if (fromBrowser !== undefined) return fromBrowser;
  if (trail.cart_token) return deterministicUuid(shop, 'cart', trail.cart_token);
  if (trail.checkout_token) return deterministicUuid(shop, 'checkout', trail.checkout_token);
  return undefined;
}

/**
 * The anonymousId for events about an order known only by its id (refunds, fulfillments): the value an order
 * without a cart gets below. Deterministic, so every event of one order shares it.
 */
export function orderOnlyAnonymousId(orderId: string, shop: string): string {
  return deterministicUuid(shop, 'order', orderId);
}

/**
 * The anonymousId: the cart's (see cartAnonymousId), else a value derived from the order id. Never random: a
 * retried or replayed webhook must give the same id, and Segment needs userId or anonymousId on every call.
 */
export function anonymousIdOf(order: ShopifyOrder, shop: string, linked?: string): string {
  return cartAnonymousId(order, shop, linked) ?? orderOnlyAnonymousId(orderIdOf(order), shop);
}

export function orderIdentity(order: ShopifyOrder, shop: string, linked?: string): OrderIdentity {
  return { userId: customerIdOf(order), anonymousId: anonymousIdOf(order, shop, linked) };
}
