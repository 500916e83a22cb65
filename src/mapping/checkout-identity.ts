import { deterministicUuid } from '../pipeline/message-id.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { ShopifyCheckout } from '../shopify/checkout.ts';
import { exactShopifyId } from '../shopify/shopify-id.ts';
import { customerIdentify } from './customer-identify.ts';
import { integrationContext } from './message-context.ts';
import { cartAnonymousId } from './order-identity.ts';

/** Who is checking out: the customer (when logged in or known) and the cart's anonymousId. */
export interface CheckoutIdentity {
  userId: string | undefined;
  anonymousId: string;
}

/** The ids every checkout event carries (checkouts/create and checkouts/update alike, so they join). */
export function checkoutIdentity(checkout: ShopifyCheckout, shop: string): CheckoutIdentity {
  const customer = checkout.customer;
  const userId = customer == null ? undefined : exactShopifyId(customer.id, customer.admin_graphql_api_id, 'Customer');
  // The same chain as orders (storefront attribute → cart token → checkout token), so both events join.
  const trail = { note_attributes: checkout.note_attributes, cart_token: checkout.cart_token, checkout_token: checkout.token };
  return { userId, anonymousId: cartAnonymousId(trail, shop) ?? deterministicUuid(shop, 'checkout', checkout.token) };
}

/** An Identify for the checkout's customer, once per checkout (its messageId is versioned by the token). */
export function checkoutIdentify(checkout: ShopifyCheckout, identity: CheckoutIdentity, timestamp: string, shop: string): SegmentMessage[] {
  if (checkout.customer == null || identity.userId === undefined) return [];
  return [
    customerIdentify({
      shop,
      customer: checkout.customer,
      customerId: identity.userId,
      anonymousId: identity.anonymousId,
      fallback: { email: checkout.email, currency: checkout.currency },
      unversioned: { version: `checkout ${checkout.token}`, timestamp },
      context: integrationContext(),
    }),
  ];
}
