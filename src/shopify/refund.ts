import { z } from 'zod';
import { orderLineItemSchema } from './order.ts';
import { parsePayload, type ParsedPayload } from './parse-payload.ts';
import { moneyAmount, moneySet, shopifyId, text } from './schema-parts.ts';
import { transactionSchema } from './transaction.ts';

/** One refunded line: how many units, their money, and the order line item as it was ordered. */
export const refundLineItemSchema = z.object({
  id: shopifyId.nullish(),
  quantity: z.number().int(),
  line_item_id: shopifyId.nullish(),
  /** Shopify writes these two as JSON numbers; the `_set` strings are preferred. */
  subtotal: moneyAmount.nullish(),
  total_tax: moneyAmount.nullish(),
  subtotal_set: moneySet.nullish(),
  total_tax_set: moneySet.nullish(),
  line_item: orderLineItemSchema,
});

/** The part of the refunds/create body that mappers read. It names its order by id only (no order gid). */
export const refundSchema = z.object({
  id: shopifyId,
  admin_graphql_api_id: text,
  order_id: shopifyId,
  created_at: z.string(),
  processed_at: text,
  note: text,
  refund_line_items: z.array(refundLineItemSchema).nullish(),
  transactions: z.array(transactionSchema).nullish(),
  total_duties_set: moneySet.nullish(),
});

export type ShopifyRefund = z.infer<typeof refundSchema>;
export type ShopifyRefundLineItem = z.infer<typeof refundLineItemSchema>;

export function parseRefund(payload: unknown): ParsedPayload<ShopifyRefund> {
  return parsePayload(refundSchema, payload);
}
