import type { ShopifyCheckout } from '../shopify/checkout.ts';
import { joined } from './line-item-products.ts';

/** Shopify's checkout steps, numbered as Segment's `step`: 1 contact, 2 shipping, 3 payment. */
export type CheckoutStep = 1 | 2 | 3;

const filled = (value: string | null | undefined): boolean => value != null && value.trim() !== '';

function hasShippingAddress(checkout: ShopifyCheckout): boolean {
  const address = checkout.shipping_address;
  return address != null && [address.address1, address.city, address.zip, address.country, address.country_code].some(filled);
}

/** How a shipping choice is named (the rate's title, else its code), comma-joined as on Order Completed. */
export function shippingMethod(checkout: ShopifyCheckout): string | undefined {
  return joined(checkout.shipping_lines?.map((line) => line.title || line.code));
}

/** The gateway the buyer chose (payment_gateway_names in newer bodies), comma-joined as on Order Completed. */
export function paymentMethod(checkout: ShopifyCheckout): string | undefined {
  return filled(checkout.gateway) ? checkout.gateway! : joined(checkout.payment_gateway_names);
}

/**
 * The furthest step the checkout's own fields prove the buyer reached; 0 when none. A later step implies the
 * earlier ones (Shopify does not let a buyer skip them), so the steps reached are 1 … this.
 */
export function furthestCheckoutStep(checkout: ShopifyCheckout): CheckoutStep | 0 {
  if (paymentMethod(checkout) !== undefined) return 3;
  if (hasShippingAddress(checkout) && shippingMethod(checkout) !== undefined) return 2;
  if (filled(checkout.email) || filled(checkout.phone)) return 1;
  return 0;
}
