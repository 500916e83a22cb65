import type { SegmentMessage } from '../../pipeline/segment-message.ts';
import { bagOf, firstNumber, firstText, nonEmpty, numberOf, textOf, type Bag } from './read-values.ts';

/** What the paid connection sends when an order belongs to no Shopify Market. */
export const unassignedMarket = { handle: 'unassigned_market', id: '0' } as const;

/** One TikTok `contents[]` item from a Segment product; the SKU first, as TikTok's catalog matching wants. */
function contentOf(product: Bag): Bag | undefined {
  return nonEmpty({
    content_id: firstText(product.sku, product.product_id),
    content_name: textOf(product.name),
    content_category: textOf(product.category),
    price: numberOf(product.price),
    quantity: numberOf(product.quantity),
    brand: textOf(product.brand),
  });
}

/**
 * The product at the top level (Product Viewed / Added; a server-side Product Added also lists the whole cart in
 * `products[]`, which is not what was added), else `products[]` (order and checkout events).
 */
function contentsOf(properties: Bag): Bag[] {
  if (firstText(properties.sku, properties.product_id, properties.name) !== undefined) {
    const content = contentOf(properties);
    return content === undefined ? [] : [content];
  }
  if (!Array.isArray(properties.products)) return [];
  return properties.products.flatMap((product) => {
    const content = contentOf(bagOf(product) ?? {});
    return content === undefined ? [] : [content];
  });
}

function itemCount(contents: Bag[]): number | undefined {
  if (contents.length === 0) return undefined;
  return contents.reduce((sum, content) => sum + (numberOf(content.quantity) ?? 1), 0);
}

/** TikTok's `properties`: contents, value and currency, the order id, and the Shopify Market on every event. */
export function tiktokProperties(message: SegmentMessage): Bag {
  const properties = bagOf(message.properties) ?? {};
  const contents = contentsOf(properties);
  return {
    contents,
    content_type: 'product',
    currency: textOf(properties.currency),
    value: firstNumber(properties.revenue, properties.total, properties.value, properties.price),
    order_id: textOf(properties.order_id),
    num_items: itemCount(contents),
    market_handle: firstText(properties.market_handle) ?? unassignedMarket.handle,
    market_id: firstText(properties.market_id) ?? unassignedMarket.id,
  };
}

/** TikTok's `page` from the spec's context.page, or undefined when there is none. */
export function tiktokPage(message: SegmentMessage): Bag | undefined {
  const page = bagOf(bagOf(message.context)?.page) ?? {};
  return nonEmpty({ url: textOf(page.url), referrer: textOf(page.referrer) });
}
