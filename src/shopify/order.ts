import { z } from 'zod';
import { parsePayload } from './parse-payload.ts';
import { address, moneyAmount, moneySet, shopifyId, text } from './schema-parts.ts';
import { transactionSchema } from './transaction.ts';

/**
 * The part of Shopify's order webhook body (orders/create, orders/paid, …) that mappers read. Only these fields come
 * out (see schema-parts.ts for why), ids come out as strings and money stays as Shopify sent it.
 */

const discountAllocation = z.object({
  amount: moneyAmount,
  discount_application_index: z.number().int().nullish(),
});

export const orderLineItemSchema = z.object({
  id: shopifyId.nullish(),
  admin_graphql_api_id: text,
  product_id: shopifyId.nullish(),
  variant_id: shopifyId.nullish(),
  sku: text,
  title: text,
  name: text,
  variant_title: text,
  vendor: text,
  /** Not in webhook bodies (the product's type lives on the product); read when a caller enriched the item. */
  product_type: text,
  price: moneyAmount,
  price_set: moneySet.nullish(),
  quantity: z.number().int(),
  total_discount: moneyAmount.nullish(),
  discount_allocations: z.array(discountAllocation).nullish(),
  gift_card: z.boolean().nullish(),
});

export const orderCustomerSchema = z.object({
  id: shopifyId,
  admin_graphql_api_id: text,
  email: text,
  first_name: text,
  last_name: text,
  phone: text,
  created_at: text,
  updated_at: text,
  note: text,
  state: text,
  verified_email: z.boolean().nullish(),
  tags: text,
  currency: text,
  default_address: address.nullish(),
  email_marketing_consent: z.object({ state: text }).nullish(),
  /** Older API versions only. */
  orders_count: z.number().int().nullish(),
  total_spent: moneyAmount.nullish(),
});

const shippingLine = z.object({
  title: text,
  code: text,
  price: moneyAmount.nullish(),
  discounted_price: moneyAmount.nullish(),
});

export const orderSchema = z.object({
  id: shopifyId,
  admin_graphql_api_id: text,
  name: text,
  email: text,
  contact_email: text,
  phone: text,
  created_at: z.string(),
  processed_at: text,
  updated_at: text,
  cancelled_at: text,
  /** customer, fraud, inventory, declined, other, staff */
  cancel_reason: text,
  financial_status: text,
  fulfillment_status: text,
  test: z.boolean().nullish(),
  tags: text,
  /** The sales channel: web, pos, shopify_draft_order, iphone, android, or another app's id. */
  source_name: text,
  checkout_id: shopifyId.nullish(),
  checkout_token: text,
  cart_token: text,
  browser_ip: text,
  client_details: z.object({ browser_ip: text, user_agent: text, accept_language: text }).nullish(),
  currency: z.string(),
  presentment_currency: text,
  total_price: moneyAmount,
  total_price_set: moneySet.nullish(),
  subtotal_price: moneyAmount.nullish(),
  total_tax: moneyAmount.nullish(),
  total_discounts: moneyAmount.nullish(),
  total_shipping_price_set: moneySet.nullish(),
  shipping_lines: z.array(shippingLine).nullish(),
  discount_codes: z.array(z.object({ code: z.string(), amount: moneyAmount.nullish(), type: text })).nullish(),
  note_attributes: z.array(z.object({ name: z.string(), value: z.unknown() })).nullish(),
  payment_gateway_names: z.array(z.string()).nullish(),
  line_items: z.array(orderLineItemSchema),
  /** Not in every order body; when present, failed ones become Payment Failure. */
  transactions: z.array(transactionSchema).nullish(),
  customer: orderCustomerSchema.nullish(),
  billing_address: address.nullish(),
  shipping_address: address.nullish(),
});

export type ShopifyOrder = z.infer<typeof orderSchema>;
export type ShopifyOrderLineItem = z.infer<typeof orderLineItemSchema>;
export type ShopifyCustomer = z.infer<typeof orderCustomerSchema>;

/** Validates an order body; the failure names each wrong field path ("line_items[0].quantity: …"). */
export function parseOrder(payload: unknown): { ok: true; order: ShopifyOrder } | { ok: false; reason: string } {
  const parsed = parsePayload(orderSchema, payload);
  return parsed.ok ? { ok: true, order: parsed.value } : parsed;
}
