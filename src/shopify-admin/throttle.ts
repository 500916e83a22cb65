import { z } from 'zod';

/**
 * Shopify's GraphQL Admin API limits by calculated query cost with a leaky bucket per app and shop: a query runs
 * only when the bucket holds its requested cost; the bucket refills at `restoreRate` points per second up to
 * `maximumAvailable`; afterwards the difference between requested and actual cost is refunded. Every answer
 * reports the bucket under `extensions.cost.throttleStatus`, and a refused query gets the error code THROTTLED.
 * (shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits)
 */
export const throttleStatusSchema = z.looseObject({
  maximumAvailable: z.number().positive(),
  currentlyAvailable: z.number().nonnegative(),
  restoreRate: z.number().positive(),
});

export const queryCostSchema = z.looseObject({
  requestedQueryCost: z.number().nonnegative().nullish(),
  actualQueryCost: z.number().nonnegative().nullish(),
  throttleStatus: throttleStatusSchema,
});

export type ThrottleStatus = z.infer<typeof throttleStatusSchema>;
export type QueryCost = z.infer<typeof queryCostSchema>;

/** The cost report of a GraphQL answer's `extensions`, when it has a readable one. */
export function queryCostOf(extensions: unknown): QueryCost | undefined {
  const cost = (extensions as { cost?: unknown } | null | undefined)?.cost;
  const parsed = queryCostSchema.safeParse(cost);
  return parsed.success ? parsed.data : undefined;
}

/** Points in the bucket at `now`, given the status Shopify reported at `seenAt` (epoch ms). */
export function pointsAvailable(status: ThrottleStatus, seenAt: number, now: number): number {
  const refilled = (Math.max(0, now - seenAt) / 1000) * status.restoreRate;
  return Math.min(status.maximumAvailable, status.currentlyAvailable + refilled);
}

/** Milliseconds to wait until the bucket holds `cost` points (0 when it already does). */
export function waitForPoints(status: ThrottleStatus, seenAt: number, now: number, cost: number): number {
  const missing = Math.min(cost, status.maximumAvailable) - pointsAvailable(status, seenAt, now);
  return missing <= 0 ? 0 : Math.ceil((missing / status.restoreRate) * 1000);
}
