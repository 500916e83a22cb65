import { deterministicUuid } from '../pipeline/message-id.ts';
import { parseInventoryLevel } from '../shopify/inventory-level.ts';
import { specEvents } from './event-names.ts';
import type { Mapper } from './mapper.ts';
import { trackMessage } from './track-message.ts';
import { compact, isoTimestamp } from './values.ts';

/**
 * inventory_levels/update → Inventory Updated: units of one inventory item available at one location. One
 * message per level version (updated_at; else the webhook, whose retries share its id). No shopper: the
 * anonymousId is derived from shop + inventory item, so all stock events of one item share it.
 */
export const mapInventoryUpdated: Mapper = (payload, context) => {
  const parsed = parseInventoryLevel(payload);
  if (!parsed.ok) return { kind: 'unmappable', reason: parsed.reason };
  const level = parsed.value;
  const updatedAt = isoTimestamp(level.updated_at);
  const timestamp = updatedAt ?? isoTimestamp(context.triggeredAt);
  if (timestamp === undefined) return { kind: 'unmappable', reason: 'updated_at: missing, and X-Shopify-Triggered-At too' };
  const properties = compact({
    inventory_item_id: level.inventory_item_id,
    location_id: level.location_id,
    available: level.available,
  });
  const track = trackMessage({
    event: specEvents.inventoryUpdated,
    shop: context.shop,
    resource: `inventory item ${level.inventory_item_id} at location ${level.location_id}`,
    version: updatedAt ?? `webhook ${context.webhookId}`,
    timestamp,
    anonymousId: deterministicUuid(context.shop, 'inventory_item', level.inventory_item_id),
    properties,
  });
  return { kind: 'mapped', messages: [track] };
};
