import { z } from 'zod';
import { orderLineItemSchema } from './order.ts';
import { parsePayload, type ParsedPayload } from './parse-payload.ts';
import { shopifyId, text } from './schema-parts.ts';

const strings = z.array(z.string()).nullish();

/** The part of the fulfillments/create|update body that mappers read. It names its order by id only. */
export const fulfillmentSchema = z.object({
  id: shopifyId,
  admin_graphql_api_id: text,
  order_id: shopifyId,
  name: text,
  /** pending, open, success, cancelled, error, failure */
  status: text,
  /** The carrier's latest status (in_transit, delivered, …) when the shipping integration reports it. */
  shipment_status: text,
  created_at: z.string(),
  updated_at: text,
  email: text,
  tracking_company: text,
  tracking_number: text,
  tracking_numbers: strings,
  tracking_url: text,
  tracking_urls: strings,
  line_items: z.array(orderLineItemSchema).nullish(),
});

export type ShopifyFulfillment = z.infer<typeof fulfillmentSchema>;

export function parseFulfillment(payload: unknown): ParsedPayload<ShopifyFulfillment> {
  return parsePayload(fulfillmentSchema, payload);
}
