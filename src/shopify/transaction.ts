import { z } from 'zod';
import { moneyAmount, shopifyId, text } from './schema-parts.ts';

/**
 * A payment transaction as refunds/create (and order bodies that include them) carry it. Everything is optional:
 * an odd transaction must not make the refund or order around it unreadable; readers check what they use.
 */
export const transactionSchema = z.object({
  id: shopifyId.nullish(),
  admin_graphql_api_id: text,
  order_id: shopifyId.nullish(),
  /** sale, authorization, capture, refund, void, … */
  kind: text,
  /** success, failure, error, pending */
  status: text,
  amount: moneyAmount.nullish(),
  /** The transaction's currency; for multi-currency orders the customer's (presentment) currency. */
  currency: text,
  gateway: text,
  error_code: text,
  created_at: text,
  processed_at: text,
});

export type ShopifyTransaction = z.infer<typeof transactionSchema>;
