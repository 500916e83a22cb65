import { z } from 'zod';
import { moneyAmount, shopifyId, text } from '../shopify/schema-parts.ts';

/**
 * ReCharge webhook bodies: the REST resource wrapped in its name ({"subscription": {…}}), identical to the API's
 * GET answer for the API version the webhook was created with. Both current versions are read: 2021-11 (external
 * ids as {"ecommerce": "…"}) and 2021-01 (shopify_* ids). Objects are loose; ids come out as strings.
 */

/** 2021-11's `{"ecommerce": "123"}` external id. */
const externalId = z.looseObject({ ecommerce: shopifyId.nullish() }).nullish();
const count = z.union([z.number(), z.string()]).nullish();

const lineItemSchema = z.looseObject({
  purchase_item_id: shopifyId.nullish(),
  subscription_id: shopifyId.nullish(),
  external_product_id: externalId,
  external_variant_id: externalId,
  shopify_product_id: shopifyId.nullish(),
  shopify_variant_id: shopifyId.nullish(),
  sku: text,
  title: text,
  product_title: text,
  variant_title: text,
  quantity: z.number().int().nonnegative(),
  unit_price: moneyAmount.nullish(),
  price: moneyAmount.nullish(),
});

/** The customer an order or a charge embeds (2021-11), or a subscription's `included_objects` customer. */
const embeddedCustomerSchema = z.looseObject({
  id: shopifyId.nullish(),
  email: text,
  external_customer_id: externalId,
  shopify_customer_id: shopifyId.nullish(),
});

const shippingLineSchema = z.looseObject({ price: moneyAmount.nullish(), title: text, code: text });
const discountSchema = z.looseObject({ code: text });

export const rechargeSubscriptionSchema = z.looseObject({
  id: shopifyId,
  customer_id: shopifyId.nullish(),
  email: text,
  status: z.string(),
  created_at: text,
  updated_at: text,
  cancelled_at: text,
  cancellation_reason: text,
  external_product_id: externalId,
  external_variant_id: externalId,
  shopify_product_id: shopifyId.nullish(),
  shopify_variant_id: shopifyId.nullish(),
  product_title: text,
  variant_title: text,
  sku: text,
  price: moneyAmount.nullish(),
  presentment_currency: text,
  quantity: z.number().int().nonnegative(),
  order_interval_frequency: count,
  order_interval_unit: text,
  charge_interval_frequency: count,
  next_charge_scheduled_at: text,
  is_prepaid: z.boolean().nullish(),
});

/** Charges and orders share their money and line-item shape. */
const billedSchema = {
  id: shopifyId,
  customer_id: shopifyId.nullish(),
  customer: embeddedCustomerSchema.nullish(),
  email: text,
  shopify_customer_id: shopifyId.nullish(),
  currency: text,
  created_at: text,
  updated_at: text,
  processed_at: text,
  status: text,
  type: text,
  line_items: z.array(lineItemSchema),
  discounts: z.array(discountSchema).nullish(),
  discount_codes: z.array(discountSchema).nullish(),
  shipping_lines: z.array(shippingLineSchema).nullish(),
  subtotal_price: moneyAmount.nullish(),
  total_discounts: moneyAmount.nullish(),
  total_tax: moneyAmount.nullish(),
  total_price: moneyAmount.nullish(),
};

export const rechargeChargeSchema = z.looseObject({
  ...billedSchema,
  error: text,
  error_type: text,
  charge_attempts: z.number().int().nullish(),
  number_times_tried: z.number().int().nullish(),
  retry_date: text,
  payment_processor: text,
  processor_name: text,
});

export const rechargeOrderSchema = z.looseObject({
  ...billedSchema,
  charge: z.looseObject({ id: shopifyId.nullish() }).nullish(),
  charge_id: shopifyId.nullish(),
  external_order_id: externalId,
  shopify_order_id: shopifyId.nullish(),
  external_order_number: externalId,
  shopify_order_number: shopifyId.nullish(),
});

export const rechargeCustomerSchema = z.looseObject({
  id: shopifyId,
  email: text,
  first_name: text,
  last_name: text,
  phone: text,
  billing_phone: text,
  created_at: text,
  updated_at: text,
  external_customer_id: externalId,
  shopify_customer_id: shopifyId.nullish(),
  has_valid_payment_method: z.boolean().nullish(),
  has_payment_method_in_dunning: z.boolean().nullish(),
  has_card_error_in_dunning: z.boolean().nullish(),
  subscriptions_active_count: z.number().int().nullish(),
  number_active_subscriptions: z.number().int().nullish(),
  processor_type: text,
});

export type RechargeSubscription = z.infer<typeof rechargeSubscriptionSchema>;
export type RechargeCharge = z.infer<typeof rechargeChargeSchema>;
export type RechargeOrder = z.infer<typeof rechargeOrderSchema>;
export type RechargeCustomer = z.infer<typeof rechargeCustomerSchema>;
export type RechargeEmbeddedCustomer = z.infer<typeof embeddedCustomerSchema>;
export type RechargeLineItem = z.infer<typeof lineItemSchema>;
export type RechargeBilled = RechargeCharge | RechargeOrder;

/** Each topic's body: the resource under its name, plus a subscription's optional `customer` (included_objects). */
export const rechargeBodies = {
  subscription: z.looseObject({ subscription: rechargeSubscriptionSchema, customer: embeddedCustomerSchema.nullish() }),
  charge: z.looseObject({ charge: rechargeChargeSchema }),
  order: z.looseObject({ order: rechargeOrderSchema }),
  customer: z.looseObject({ customer: rechargeCustomerSchema }),
};
