import { z } from 'zod';
import { parsePayload, type ParsedPayload } from './parse-payload.ts';
import { shopifyId, text } from './schema-parts.ts';

/** The inventory_levels/update body: units of one inventory item (a variant's stock) available at one location. */
export const inventoryLevelSchema = z.object({
  inventory_item_id: shopifyId,
  location_id: shopifyId,
  /** null when the item is not tracked at the location. */
  available: z.number().int().nullish(),
  updated_at: text,
  admin_graphql_api_id: text,
});

export type ShopifyInventoryLevel = z.infer<typeof inventoryLevelSchema>;

export function parseInventoryLevel(payload: unknown): ParsedPayload<ShopifyInventoryLevel> {
  return parsePayload(inventoryLevelSchema, payload);
}
