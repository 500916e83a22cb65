import type { ShopifyOrderLineItem } from '../shopify/order.ts';
import { compact } from './values.ts';

/** Shopify line items carry no product type; 'all' is the default category the paid connectors send. */
const defaultCategory = 'all';

/**
 * One Segment product from a line item (Ecommerce Spec v2 product properties plus Shopify's own ids). `quantity`
 * overrides the line's when the event is about part of it (a refund of 1 of 3 units); a price the caller could not
 * know (no currency) is left out.
 */
export function lineItemProduct(
  item: ShopifyOrderLineItem,
  price: number | undefined,
  index: number,
  quantity: number = item.quantity,
): Record<string, unknown> {
  return compact({
    product_id: item.product_id,
    shopify_product_id: item.product_id,
    shopify_variant_id: item.variant_id,
    sku: item.sku,
    name: item.title ?? item.name,
    variant: item.variant_title,
    brand: item.vendor,
    category: item.product_type || defaultCategory,
    price,
    quantity,
    position: index + 1,
  });
}

/** "a, b" from the non-empty values; undefined when there are none. */
export function joined(values: readonly (string | null | undefined)[] | null | undefined): string | undefined {
  const kept = (values ?? []).filter((value): value is string => value != null && value !== '');
  return kept.length > 0 ? kept.join(', ') : undefined;
}
