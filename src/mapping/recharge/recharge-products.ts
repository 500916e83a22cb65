import type { Parsed } from '../../shopify/money.ts';
import type { RechargeLineItem, RechargeSubscription } from '../../recharge/payloads.ts';
import { compact } from '../values.ts';
import { externalOr, rechargeAmount } from './recharge-values.ts';

/** ReCharge sends no product type; 'all' is the default category the paid connectors send. */
const defaultCategory = 'all';

/** One Segment product (Ecommerce Spec v2 product properties plus the Shopify and ReCharge ids). */
function product(fields: {
  productId: string | undefined; variantId: string | undefined; subscriptionId: string | null | undefined; sku: string | null | undefined;
  name: string | null | undefined; variant: string | null | undefined; price: number | undefined; quantity: number; position?: number;
}): Record<string, unknown> {
  return compact({
    product_id: fields.productId,
    shopify_product_id: fields.productId,
    shopify_variant_id: fields.variantId,
    subscription_id: fields.subscriptionId,
    sku: fields.sku,
    name: fields.name,
    variant: fields.variant,
    category: defaultCategory,
    price: fields.price,
    quantity: fields.quantity,
    position: fields.position,
  });
}

/** The product a subscription is for, priced in `currency` when known. */
export function subscriptionProduct(subscription: RechargeSubscription): Parsed<Record<string, unknown>> {
  const price = rechargeAmount(subscription.price, subscription.presentment_currency, 'subscription.price');
  if (!price.ok) return price;
  return {
    ok: true,
    value: product({
      productId: externalOr(subscription.external_product_id, subscription.shopify_product_id),
      variantId: externalOr(subscription.external_variant_id, subscription.shopify_variant_id),
      subscriptionId: subscription.id, sku: subscription.sku, name: subscription.product_title,
      variant: subscription.variant_title, price: price.value, quantity: subscription.quantity,
    }),
  };
}

/** The products of a charge's or order's line items (unit prices in the record's currency). */
export function lineItemProducts(items: readonly RechargeLineItem[], currency: string | null | undefined, where: string): Parsed<Record<string, unknown>[]> {
  const products: Record<string, unknown>[] = [];
  for (const [index, item] of items.entries()) {
    const price = rechargeAmount(item.unit_price ?? item.price, currency, `${where}.line_items[${index}].unit_price`);
    if (!price.ok) return price;
    products.push(product({
      productId: externalOr(item.external_product_id, item.shopify_product_id),
      variantId: externalOr(item.external_variant_id, item.shopify_variant_id),
      subscriptionId: item.purchase_item_id ?? item.subscription_id, sku: item.sku, name: item.title ?? item.product_title,
      variant: item.variant_title, price: price.value, quantity: item.quantity, position: index + 1,
    }));
  }
  return { ok: true, value: products };
}
