/** Per-client token buckets: `perMinute` requests, refilled continuously, with a bounded number of clients. */
export interface RateLimiterOptions {
  perMinute: number;
  /** Most clients tracked at once; the least recently seen is forgotten first (default 10,000). */
  maxClients?: number;
  now: () => number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  take(client: string): RateDecision;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * In-memory token bucket per client. A forgotten client starts again with a full bucket, so the bound trades a
 * little leniency under a flood of distinct addresses for memory that cannot grow without limit.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const capacity = options.perMinute;
  const perMs = options.perMinute / 60_000;
  const maxClients = options.maxClients ?? 10_000;
  const buckets = new Map<string, Bucket>();

  function refreshed(client: string, now: number): Bucket {
    const bucket = buckets.get(client);
    buckets.delete(client); // re-inserted below, so Map order is least recently seen first
    if (!bucket) return { tokens: capacity, at: now };
    return { tokens: Math.min(capacity, bucket.tokens + (now - bucket.at) * perMs), at: now };
  }

  function remember(client: string, bucket: Bucket): void {
    buckets.set(client, bucket);
    if (buckets.size <= maxClients) return;
    const oldest = buckets.keys().next().value;
    if (oldest !== undefined) buckets.delete(oldest);
  }

  return {
    take(client) {
      const bucket = refreshed(client, options.now());
      const allowed = bucket.tokens >= 1;
      remember(client, allowed ? { ...bucket, tokens: bucket.tokens - 1 } : bucket);
      if (allowed) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
  };
}
