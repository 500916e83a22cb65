import { z } from 'zod';
import { orderCustomerSchema, orderLineItemSchema, orderSchema } from './order.ts';
import { parsePayload, type ParsedPayload } from './parse-payload.ts';
import { address, shopifyId, text } from './schema-parts.ts';

/** Checkout bodies may carry `[]` for an address not entered yet (an empty PHP hash): read it as none. */
function emptyListAsNull<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (Array.isArray(value) && value.length === 0 ? null : value), schema);
}

/** A checkout line's id is a hash key (a string), not an order line's numeric id. */
const checkoutLineItemSchema = orderLineItemSchema.extend({ id: z.union([z.string(), z.number()]).transform(String).nullish() });

/**
 * The part of the checkouts/create|update body that mappers read. Its money, line items, discount codes and
 * customer have the order's shapes, so the order schema's pieces are reused and order code can read a checkout.
 */
export const checkoutSchema = z.object({
  ...orderSchema
    .pick({
      email: true,
      phone: true,
      updated_at: true,
      source_name: true,
      cart_token: true,
      currency: true,
      presentment_currency: true,
      total_price: true,
      subtotal_price: true,
      total_tax: true,
      total_discounts: true,
      shipping_lines: true,
      discount_codes: true,
      note_attributes: true,
      payment_gateway_names: true,
    }).shape,
  line_items: z.array(checkoutLineItemSchema),
  billing_address: emptyListAsNull(address.nullish()),
  shipping_address: emptyListAsNull(address.nullish()),
  id: shopifyId.nullish(),
  /** The checkout's identity in every API version; orders carry it as checkout_token. */
  token: z.string().min(1),
  created_at: z.string(),
  completed_at: text,
  /** The payment gateway the buyer chose; set once they reach the payment step. */
  gateway: text,
  abandoned_checkout_url: text,
  customer: orderCustomerSchema.nullish(),
});

export type ShopifyCheckout = z.infer<typeof checkoutSchema>;

export function parseCheckout(payload: unknown): ParsedPayload<ShopifyCheckout> {
  return parsePayload(checkoutSchema, payload);
}
