import { z } from 'zod';

/**
 * Lifetime value tiers: a customer's tier is the last one whose `from` their lifetime value (net of refunds, in the
 * shop's currency, major units) reaches. Sent as the `ltvTier` Identify trait, so CRM and ad audiences can target
 * high-value customers without a warehouse query.
 */
export const ltvTiersSchema = z
  .array(z.strictObject({ name: z.string().min(1, 'must not be empty'), from: z.number().min(0) }))
  .min(1, 'needs at least one tier')
  .refine((tiers) => tiers.every((tier, i) => i === 0 || tier.from > tiers[i - 1]!.from), 'tiers must be in increasing order of `from`');

export type LtvTiers = z.infer<typeof ltvTiersSchema>;

/** The default thresholds: no spend yet, then 0.01, 100, 500 and 2000 in the shop's currency. */
export const defaultLtvTiers: LtvTiers = [
  { name: 'none', from: 0 },
  { name: 'low', from: 0.01 },
  { name: 'medium', from: 100 },
  { name: 'high', from: 500 },
  { name: 'vip', from: 2000 },
];

/** The tier of a lifetime value; undefined below the first tier (more refunded than cartstream saw bought). */
export function ltvTier(lifetimeValue: number, tiers: LtvTiers = defaultLtvTiers): string | undefined {
  let tier: string | undefined;
  for (const candidate of tiers) if (lifetimeValue >= candidate.from) tier = candidate.name;
  return tier;
}
