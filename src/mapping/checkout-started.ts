import { parseCheckout, type ShopifyCheckout } from '../shopify/checkout.ts';
import { checkoutIdentify, checkoutIdentity } from './checkout-identity.ts';
import { couponTracks } from './coupon-applied.ts';
import { specEvents } from './event-names.ts';
import { joined, lineItemProduct } from './line-item-products.ts';
import type { MapContext, Mapper, MapResult } from './mapper.ts';
import { readOrderAmounts, type OrderAmounts } from './order-amounts.ts';
import { trackMessage } from './track-message.ts';
import { compact, isoTimestamp, quoted } from './values.ts';

/** Checkout Started properties (Segment Ecommerce Spec v2); checkout_id is the token, as on Order Completed. */
function checkoutProperties(checkout: ShopifyCheckout, amounts: OrderAmounts): Record<string, unknown> {
  return compact({
    checkout_id: checkout.token,
    cart_id: checkout.cart_token,
    email: checkout.email || checkout.customer?.email,
    value: amounts.total,
    revenue: amounts.revenue,
    subtotal: amounts.subtotal,
    shipping: amounts.shipping,
    tax: amounts.tax,
    discount: amounts.discount,
    coupon: joined(checkout.discount_codes?.map((discount) => discount.code)),
    currency: checkout.currency,
    presentment_currency: amounts.presentmentCurrency,
    products: checkout.line_items.map((item, index) => lineItemProduct(item, amounts.linePrices[index] ?? 0, index)),
  });
}

function checkoutMessages(checkout: ShopifyCheckout, context: MapContext): MapResult {
  const timestamp = isoTimestamp(checkout.created_at);
  if (timestamp === undefined) return { kind: 'unmappable', reason: `created_at: ${quoted(checkout.created_at)} is not an ISO-8601 time` };
  const amounts = readOrderAmounts(checkout);
  if (!amounts.ok) return { kind: 'unmappable', reason: amounts.reason };
  const { shop } = context;
  const identity = checkoutIdentity(checkout, shop, context.linkedAnonymousId);
  const coupons = couponTracks(checkout, { shop, timestamp, identity });
  if (!coupons.ok) return { kind: 'unmappable', reason: coupons.reason };
  const properties = checkoutProperties(checkout, amounts.value);
  const started = trackMessage({ event: specEvents.checkoutStarted, shop, resource: checkout.token, timestamp, ...identity, properties });
  return { kind: 'mapped', messages: [...checkoutIdentify(checkout, identity, timestamp, context), started, ...coupons.value] };
}

/**
 * checkouts/create → Checkout Started (messageId: the checkout token), a Coupon Applied beside it for each
 * discount code, and an Identify when the checkout has a customer.
 */
export const mapCheckoutStarted: Mapper = (payload, context) => {
  const parsed = parseCheckout(payload);
  return parsed.ok ? checkoutMessages(parsed.value, context) : { kind: 'unmappable', reason: parsed.reason };
};
