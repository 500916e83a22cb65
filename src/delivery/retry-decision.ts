import type { SendOutcome } from '../destinations/destination.ts';

/** Every outcome except success: what the retry decision is asked about. */
export type FailedOutcome = Exclude<SendOutcome, { kind: 'delivered' }>;

export interface RetryPolicy {
  /** First backoff step; attempt n waits up to baseDelayMs × 2^(n-1), capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Full jitter spreads retries over [0, backoff]; equal jitter over [backoff/2, backoff] (never retries at once).
   * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
   */
  jitter: 'full' | 'equal';
  /** After this many failed attempts an event is dead-lettered with the last reason. */
  maxAttempts: number;
  /** …or once it is this old (ms since the webhook was received), whichever comes first. */
  maxAgeMs: number;
  /** A Retry-After longer than this is cut to it, so a bad header cannot park events for days. */
  maxRetryAfterMs: number;
  /** How long the destination pauses after its credentials were refused. */
  authPauseMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  baseDelayMs: 1000,
  maxDelayMs: 10 * 60_000,
  // Equal jitter keeps a floor under every wait, so a struggling API is never retried at once.
  jitter: 'equal',
  maxAttempts: 20,
  maxAgeMs: 24 * 60 * 60_000,
  maxRetryAfterMs: 10 * 60_000,
  authPauseMs: 5 * 60_000,
};

export type RetryDecision =
  | { kind: 'retry'; delayMs: number }
  | { kind: 'dead'; reason: string }
  | { kind: 'pause'; reason: string; delayMs: number };

/** The exponential backoff for this attempt (1-based) with the policy's jitter; `random` returns [0, 1). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 52);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const delay = policy.jitter === 'full' ? random() * ceiling : ceiling / 2 + (random() * ceiling) / 2;
  return Math.round(delay);
}

function giveUpReason(outcome: FailedOutcome, attempt: number, ageMs: number, policy: RetryPolicy): string | null {
  if (ageMs >= policy.maxAgeMs) {
    return `gave up after ${Math.round(ageMs / 60_000)} min (max age ${Math.round(policy.maxAgeMs / 60_000)} min): ${outcome.reason}`;
  }
  // A rate limit says nothing about the event itself, so it does not use up attempts.
  if (outcome.kind !== 'rate-limited' && attempt >= policy.maxAttempts) {
    return `gave up after ${attempt} attempts: ${outcome.reason}`;
  }
  return null;
}

/**
 * Pure: what to do with an event after a failed send. `attempt` counts sends so far including this one;
 * `ageMs` is how long ago the event's webhook was received.
 */
export function decideRetry(outcome: FailedOutcome, attempt: number, policy: RetryPolicy, random: () => number, ageMs = 0): RetryDecision {
  switch (outcome.kind) {
    case 'permanent':
    case 'batch-rejected':
      return { kind: 'dead', reason: outcome.reason };
    case 'auth-failed':
      return { kind: 'pause', reason: outcome.reason, delayMs: policy.authPauseMs };
    case 'rate-limited':
    case 'retryable': {
      const giveUp = giveUpReason(outcome, attempt, ageMs, policy);
      if (giveUp) return { kind: 'dead', reason: giveUp };
      const retryAfterMs = outcome.kind === 'rate-limited' ? outcome.retryAfterMs : undefined;
      const delayMs = retryAfterMs === undefined
        ? backoffDelay(attempt, policy, random)
        : Math.min(Math.max(retryAfterMs, 0), policy.maxRetryAfterMs);
      return { kind: 'retry', delayMs };
    }
  }
}
