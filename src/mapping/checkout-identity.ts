import { deterministicUuid } from '../pipeline/message-id.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { ShopifyCheckout } from '../shopify/checkout.ts';
import { exactShopifyId } from '../shopify/shopify-id.ts';
import { browserAlias } from './alias-message.ts';
import { customerIdentify } from './customer-identify.ts';
import type { MapContext } from './mapper.ts';
import { integrationContext } from './message-context.ts';
import { cartAnonymousId, type CartTrail } from './order-identity.ts';

/** Who is checking out: the customer (when logged in or known) and the cart's anonymousId. */
export interface CheckoutIdentity {
  userId: string | undefined;
  anonymousId: string;
}

/** The ids every checkout event carries (checkouts/create and checkouts/update alike, so they join). */
export function checkoutIdentity(checkout: ShopifyCheckout, shop: string, linked?: string): CheckoutIdentity {
  const customer = checkout.customer;
  const userId = customer == null ? undefined : exactShopifyId(customer.id, customer.admin_graphql_api_id, 'Customer');
  // The same chain as orders (storefront attribute → cart token → checkout token), so both events join.
  const trail = checkoutTrail(checkout);
  return { userId, anonymousId: cartAnonymousId(trail, shop, linked) ?? deterministicUuid(shop, 'checkout', checkout.token) };
}

/** What a checkout knows about its cart, in the shape orders have. */
export function checkoutTrail(checkout: ShopifyCheckout): CartTrail {
  return { note_attributes: checkout.note_attributes, cart_token: checkout.cart_token, checkout_token: checkout.token };
}

/**
 * An Identify for the checkout's customer, once per checkout (its messageId is versioned by the token), after the
 * Alias of the browser's anonymousId to the customer when they first meet here.
 */
export function checkoutIdentify(checkout: ShopifyCheckout, identity: CheckoutIdentity, timestamp: string, context: Pick<MapContext, 'shop' | 'linkedAnonymousId' | 'profile' | 'ltvTiers'>): SegmentMessage[] {
  if (checkout.customer == null || identity.userId === undefined) return [];
  const { shop } = context;
  const alias = browserAlias({ shop, trail: checkoutTrail(checkout), linked: context.linkedAnonymousId, userId: identity.userId, timestamp });
  return [
    ...alias,
    customerIdentify({
      shop,
      customer: checkout.customer,
      customerId: identity.userId,
      anonymousId: identity.anonymousId,
      fallback: { email: checkout.email, currency: checkout.currency },
      unversioned: { version: `checkout ${checkout.token}`, timestamp },
      context: integrationContext(),
      profile: context.profile?.after,
      ltvTiers: context.ltvTiers,
    }),
  ];
}
