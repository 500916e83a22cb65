import { z } from 'zod';
import { parsePayload, type ParsedPayload } from './parse-payload.ts';
import { moneyAmount, shopifyId, text } from './schema-parts.ts';

export const productVariantSchema = z.object({
  id: shopifyId.nullish(),
  admin_graphql_api_id: text,
  title: text,
  sku: text,
  /** In the shop's currency, which product bodies do not name. */
  price: moneyAmount.nullish(),
  compare_at_price: moneyAmount.nullish(),
  position: z.number().int().nullish(),
  inventory_item_id: shopifyId.nullish(),
  inventory_quantity: z.number().int().nullish(),
});

/** The part of the products/create|update body that mappers read. */
export const productSchema = z.object({
  id: shopifyId,
  admin_graphql_api_id: text,
  title: text,
  handle: text,
  vendor: text,
  product_type: text,
  status: text,
  tags: text,
  created_at: text,
  updated_at: text,
  published_at: text,
  image: z.object({ src: text }).nullish(),
  variants: z.array(productVariantSchema).nullish(),
});

/** products/delete carries the id alone. */
export const deletedProductSchema = z.object({ id: shopifyId });

export type ShopifyProduct = z.infer<typeof productSchema>;
export type ShopifyProductVariant = z.infer<typeof productVariantSchema>;

export function parseProduct(payload: unknown): ParsedPayload<ShopifyProduct> {
  return parsePayload(productSchema, payload);
}

export function parseDeletedProduct(payload: unknown): ParsedPayload<z.infer<typeof deletedProductSchema>> {
  return parsePayload(deletedProductSchema, payload);
}
