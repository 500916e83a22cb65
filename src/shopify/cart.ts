import { z } from 'zod';
import { parsePayload, type ParsedPayload } from './parse-payload.ts';
import { moneyAmount, moneySet, shopifyId, text } from './schema-parts.ts';

/**
 * The part of the carts/create|update body the cart mappers read. A cart webhook has no currency of its own: each
 * line's price_set names it. Lines are per variant (a variant with line item properties may appear twice).
 */
const cartLineSchema = z.looseObject({
  variant_id: shopifyId,
  product_id: shopifyId.nullish(),
  quantity: z.number().int().nonnegative(),
  price: moneyAmount,
  price_set: moneySet.nullish(),
  sku: text,
  title: text,
  vendor: text,
});

export const cartSchema = z.looseObject({
  /** The cart's identity; orders and checkouts carry it as cart_token. */
  token: z.string().min(1),
  updated_at: z.string(),
  line_items: z.array(cartLineSchema),
});

export type ShopifyCart = z.infer<typeof cartSchema>;
export type ShopifyCartLine = z.infer<typeof cartLineSchema>;

export function parseCart(payload: unknown): ParsedPayload<ShopifyCart> {
  return parsePayload(cartSchema, payload);
}
