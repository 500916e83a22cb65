import { z } from 'zod';
import { currencyCodes } from './money.ts';

const share = z.number().min(0).max(1);

/** Options of createStoreSimulator; every share is a probability in [0, 1]. */
export const storeSimulatorOptionsSchema = z.object({
  /** The shop's *.myshopify.com domain (used in URLs inside payloads). */
  shop: z.string().min(1),
  seed: z.number().int(),
  /** Simulated time of the first event; every timestamp derives from it (no clock is read). */
  startTime: z.union([z.date(), z.number(), z.string()]).transform((t, ctx) => {
    const ms = new Date(t).getTime();
    if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: `startTime is not a time: ${String(t)}` });
    return ms;
  }),
  /** Share of orders placed on the online store (the rest: pos, shopify_draft_order, iphone). */
  webOrderShare: share.default(0.8),
  /** Stop after this many webhooks; endless when absent. */
  count: z.number().int().nonnegative().optional(),
  apiVersion: z.string().default('2026-04'),
  /** Mean simulated seconds between two shoppers arriving. */
  meanArrivalSeconds: z.number().positive().default(20),
  /** Share of web shoppers who reach checkout, and of checkouts that become orders. */
  checkoutShare: share.default(0.55),
  orderShare: share.default(0.6),
  returningCustomerShare: share.default(0.3),
  discountShare: share.default(0.25),
  /** Share of paid orders refunded later (partly or fully). */
  refundShare: share.default(0.1),
  fullRefundShare: share.default(0.4),
  refundDelayMinutes: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).default([2, 30]),
  /** Share of orders whose payment stays pending (no orders/paid). */
  pendingPaymentShare: share.default(0.08),
  /** Share of orders/create events that Shopify delivers twice (new webhook id, same event id and body). */
  duplicateDeliveryShare: share.default(0.02),
  /** Share of web shoppers whose storefront wrote no anonymousId into the cart (ad blockers, no theme embed). */
  missingAnonymousIdShare: share.default(0),
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(-300),
  currencyWeights: z.partialRecord(z.enum(currencyCodes), z.number().nonnegative()).default({ USD: 55, EUR: 20, GBP: 15, JPY: 10 }),
});

export type StoreSimulatorOptions = z.input<typeof storeSimulatorOptionsSchema>;
export type SimulatorSettings = z.output<typeof storeSimulatorOptionsSchema>;
