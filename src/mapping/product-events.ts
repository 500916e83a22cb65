import { deterministicUuid } from '../pipeline/message-id.ts';
import { parseDecimalAmount } from '../shopify/decimal-amount.ts';
import type { Parsed } from '../shopify/money.ts';
import { parseDeletedProduct, parseProduct, type ShopifyProduct, type ShopifyProductVariant } from '../shopify/product.ts';
import { exactShopifyId } from '../shopify/shopify-id.ts';
import { specEvents, type SpecEvent } from './event-names.ts';
import type { MapContext, Mapper, MapResult } from './mapper.ts';
import { trackMessage } from './track-message.ts';
import { compact, isoTimestamp, quoted } from './values.ts';

/**
 * Catalog events have no shopper. Segment needs userId or anonymousId, so each product gets a deterministic
 * anonymousId derived from shop + product id: stable across retries and replays, and one per product.
 */
export function productAnonymousId(shop: string, productId: string): string {
  return deterministicUuid(shop, 'product', productId);
}

interface ProductTopicRule {
  event: SpecEvent;
  at: 'created_at' | 'updated_at';
  /** A product is created once; each update is its own fact, versioned by updated_at. */
  perVersion: boolean;
}

/** products/* topic → event, in one place (products/delete has its own mapper: its body is the id alone). */
export const productTopicRules = {
  'products/create': { event: specEvents.productCreated, at: 'created_at', perVersion: false },
  'products/update': { event: specEvents.productUpdated, at: 'updated_at', perVersion: true },
} as const satisfies Record<string, ProductTopicRule>;

/** An optional amount, exact; wrong when present is a failure naming the field. */
function optionalAmount(path: string, amount: unknown): Parsed<number | undefined> {
  if (amount == null) return { ok: true, value: undefined };
  const parsed = parseDecimalAmount(amount);
  return parsed.ok ? parsed : { ok: false, reason: `${path}: ${parsed.reason}` };
}

function variantProperties(variant: ShopifyProductVariant, index: number): Parsed<Record<string, unknown>> {
  const price = optionalAmount(`variants[${index}].price`, variant.price);
  if (!price.ok) return price;
  const compareAt = optionalAmount(`variants[${index}].compare_at_price`, variant.compare_at_price);
  if (!compareAt.ok) return compareAt;
  return {
    ok: true,
    value: compact({
      shopify_variant_id: exactShopifyId(variant.id, variant.admin_graphql_api_id, 'ProductVariant'),
      sku: variant.sku,
      variant: variant.title,
      price: price.value,
      compare_at_price: compareAt.value,
      inventory_quantity: variant.inventory_quantity,
      position: variant.position,
    }),
  };
}

function variantsProperties(product: ShopifyProduct): Parsed<Record<string, unknown>[]> {
  const variants: Record<string, unknown>[] = [];
  for (const [index, variant] of (product.variants ?? []).entries()) {
    const read = variantProperties(variant, index);
    if (!read.ok) return read;
    variants.push(read.value);
  }
  return { ok: true, value: variants };
}

/**
 * Product properties (Segment's product fields plus the variants). Prices are in the shop's currency, which
 * product bodies do not name, so no `currency` is sent. `price` is the first variant's, Shopify's default.
 */
function productProperties(product: ShopifyProduct, productId: string, variants: Record<string, unknown>[], shop: string) {
  const published = product.published_at != null && product.handle;
  return compact({
    product_id: productId,
    shopify_product_id: productId,
    name: product.title,
    brand: product.vendor,
    category: product.product_type || 'all',
    price: variants[0]?.price,
    url: published ? `https://${shop}/products/${product.handle}` : undefined,
    image_url: product.image?.src,
    handle: product.handle,
    status: product.status,
    tags: product.tags,
    variants,
  });
}

function productMessages(product: ShopifyProduct, rule: ProductTopicRule, context: MapContext): MapResult {
  const timestamp = isoTimestamp(product[rule.at]) ?? isoTimestamp(product.updated_at);
  if (timestamp === undefined) return { kind: 'unmappable', reason: `${rule.at}: ${quoted(product[rule.at])} is not an ISO-8601 time` };
  const variants = variantsProperties(product);
  if (!variants.ok) return { kind: 'unmappable', reason: variants.reason };
  const productId = exactShopifyId(product.id, product.admin_graphql_api_id, 'Product') ?? product.id;
  const { shop } = context;
  const version = rule.perVersion ? (isoTimestamp(product.updated_at) ?? `webhook ${context.webhookId}`) : undefined;
  const properties = productProperties(product, productId, variants.value, shop);
  const anonymousId = productAnonymousId(shop, productId);
  return { kind: 'mapped', messages: [trackMessage({ event: rule.event, shop, resource: productId, version, timestamp, anonymousId, properties })] };
}

/** The mapper for products/create and products/update: Product Created / Product Updated. */
export function productTopicMapper(rule: ProductTopicRule): Mapper {
  return (payload, context) => {
    const parsed = parseProduct(payload);
    return parsed.ok ? productMessages(parsed.value, rule, context) : { kind: 'unmappable', reason: parsed.reason };
  };
}

export const mapProductCreated = productTopicMapper(productTopicRules['products/create']);
export const mapProductUpdated = productTopicMapper(productTopicRules['products/update']);

/**
 * products/delete → Product Deleted. The body is the id alone (no time, no gid), so the time is Shopify's
 * X-Shopify-Triggered-At header; without it the delivery is kept as unmappable rather than stamped with our clock.
 */
export const mapProductDeleted: Mapper = (payload, context) => {
  const parsed = parseDeletedProduct(payload);
  if (!parsed.ok) return { kind: 'unmappable', reason: parsed.reason };
  const timestamp = isoTimestamp(context.triggeredAt);
  if (timestamp === undefined) return { kind: 'unmappable', reason: 'products/delete carries no time and X-Shopify-Triggered-At is missing' };
  const productId = parsed.value.id;
  const properties = { product_id: productId, shopify_product_id: productId };
  const anonymousId = productAnonymousId(context.shop, productId);
  const track = trackMessage({ event: specEvents.productDeleted, shop: context.shop, resource: productId, timestamp, anonymousId, properties });
  return { kind: 'mapped', messages: [track] };
};
