import { z } from 'zod';
import { posChannel } from '../mapping/order-channels.ts';

const name = z.string().trim().min(1, 'must not be empty');

/** Which orders a destination hears of: every message of an order it leaves out is skipped, with the rule. */
export const orderOptionsSchema = z.strictObject({
  /**
   * The sales channels (source_name) whose orders are sent as Order Completed: `web` by default; add
   * `shopify_draft_order`, `iphone`, `android` or an app's channel to include them. POS sales are always POS Order
   * Placed and are not listed here.
   */
  channels: z.array(name).default(['web']).refine((channels) => !channels.includes(posChannel), 'pos orders are sent as POS Order Placed; leave pos out'),
  /** When not empty, only orders with at least one of these tags (case-insensitive). */
  includeTags: z.array(name).default([]),
  /** Orders with any of these tags are left out (case-insensitive). */
  excludeTags: z.array(name).default([]),
  /** Orders paid through any of these gateways (payment_gateway_names, e.g. `manual`) are left out. */
  excludeGateways: z.array(name).default([]),
});

/** The userId a destination gets for a known Shopify customer. */
export const userIdChoices = ['shopify_customer_id', 'email_md5', 'none'] as const;

/**
 * Options every destination's settings take (spread into its zod schema), applied when its outbox row is made: the
 * spec message is mapped once, and each destination's options filter or adjust it.
 */
export const destinationOptionsShape = {
  orders: orderOptionsSchema.prefault({}),
  /** Shopify customer id (default), MD5 of the lower-cased email, or none; the id is always in context.externalIds. */
  userId: z.enum(userIdChoices).default('shopify_customer_id'),
  /** Order Refunded's total (and revenue) as negative numbers, so revenue summed downstream is net of refunds. */
  negativeRefunds: z.boolean().default(false),
};

export const destinationOptionsSchema = z.strictObject(destinationOptionsShape);
export type DestinationOptions = z.infer<typeof destinationOptionsSchema>;

export const defaultDestinationOptions: DestinationOptions = destinationOptionsSchema.parse({});

/** The options out of a destination's parsed settings; those it does not take keep their defaults. */
export function destinationOptionsOf(settings: Partial<DestinationOptions>): DestinationOptions {
  const { orders, userId, negativeRefunds } = { ...defaultDestinationOptions, ...settings };
  return { orders, userId, negativeRefunds };
}
