import { describe, expect, it } from 'vitest';
import { backoffDelay, decideRetry, defaultRetryPolicy, type FailedOutcome, type RetryDecision, type RetryPolicy } from './retry-decision.ts';

const policy: RetryPolicy = {
  baseDelayMs: 1000, maxDelayMs: 5000, jitter: 'full', maxAttempts: 5,
  maxAgeMs: 3_600_000, maxRetryAfterMs: 120_000, authPauseMs: 300_000,
};
const half = () => 0.5;

describe('decideRetry: outcome matrix', () => {
  it.each<[string, FailedOutcome, number, RetryDecision]>([
    ['T01 500 on the first attempt → backoff 1 s × jitter', { kind: 'retryable', reason: 'HTTP 500', status: 500 }, 1, { kind: 'retry', delayMs: 500 }],
    ['T02 503 on the third attempt → backoff 4 s × jitter', { kind: 'retryable', reason: 'HTTP 503', status: 503 }, 3, { kind: 'retry', delayMs: 2000 }],
    ['T03 408 → retried like a 5xx', { kind: 'retryable', reason: 'HTTP 408', status: 408 }, 2, { kind: 'retry', delayMs: 1000 }],
    ['T04 network error → retried', { kind: 'retryable', reason: 'network error: ECONNRESET' }, 1, { kind: 'retry', delayMs: 500 }],
    ['T05 timeout → retried', { kind: 'retryable', reason: 'request timed out' }, 2, { kind: 'retry', delayMs: 1000 }],
    ['T06 backoff is capped at maxDelayMs', { kind: 'retryable', reason: 'HTTP 502', status: 502 }, 4, { kind: 'retry', delayMs: 2500 }],
    ['T07 5xx at maxAttempts → dead with the last reason', { kind: 'retryable', reason: 'HTTP 500', status: 500 }, 5, { kind: 'dead', reason: 'gave up after 5 attempts: HTTP 500' }],
    ['T08 429 with Retry-After 30 s → waits exactly that', { kind: 'rate-limited', reason: 'HTTP 429', status: 429, retryAfterMs: 30_000 }, 1, { kind: 'retry', delayMs: 30_000 }],
    ['T09 429 with a huge Retry-After → capped', { kind: 'rate-limited', reason: 'HTTP 429', status: 429, retryAfterMs: 86_400_000 }, 1, { kind: 'retry', delayMs: 120_000 }],
    ['T10 429 without Retry-After → backoff', { kind: 'rate-limited', reason: 'HTTP 429', status: 429 }, 2, { kind: 'retry', delayMs: 1000 }],
    ['T11 429 past maxAttempts → still retried (a rate limit is not the event\'s fault)', { kind: 'rate-limited', reason: 'HTTP 429', retryAfterMs: 1000 }, 50, { kind: 'retry', delayMs: 1000 }],
    ['T12 429 with Retry-After 0 → retried at once', { kind: 'rate-limited', reason: 'HTTP 429', retryAfterMs: 0 }, 1, { kind: 'retry', delayMs: 0 }],
    ['T13 400 for a single event → dead', { kind: 'batch-rejected', reason: 'HTTP 400: bad event', status: 400 }, 1, { kind: 'dead', reason: 'HTTP 400: bad event' }],
    ['T14 413 → dead', { kind: 'batch-rejected', reason: 'HTTP 413', status: 413 }, 1, { kind: 'dead', reason: 'HTTP 413' }],
    ['T15 404 (permanent) → dead on the first attempt', { kind: 'permanent', reason: 'HTTP 404', status: 404 }, 1, { kind: 'dead', reason: 'HTTP 404' }],
    ['T16 422 (permanent) → dead', { kind: 'permanent', reason: 'HTTP 422', status: 422 }, 3, { kind: 'dead', reason: 'HTTP 422' }],
    ['T17 401 → pause the destination', { kind: 'auth-failed', reason: 'HTTP 401', status: 401 }, 1, { kind: 'pause', reason: 'HTTP 401', delayMs: 300_000 }],
    ['T18 403 → pause, however many attempts', { kind: 'auth-failed', reason: 'HTTP 403', status: 403 }, 99, { kind: 'pause', reason: 'HTTP 403', delayMs: 300_000 }],
  ])('%s', (_name, outcome, attempt, expected) => {
    expect(decideRetry(outcome, attempt, policy, half)).toStrictEqual(expected);
  });

  it('T19 an event older than maxAgeMs is dead-lettered, even when rate-limited', () => {
    const decision = decideRetry({ kind: 'rate-limited', reason: 'HTTP 429', retryAfterMs: 1000 }, 1, policy, half, 3_600_000);
    expect(decision).toStrictEqual({ kind: 'dead', reason: 'gave up after 60 min (max age 60 min): HTTP 429' });
  });

  it('T20 a negative Retry-After (a date in the past) retries at once', () => {
    expect(decideRetry({ kind: 'rate-limited', reason: 'x', retryAfterMs: -5 }, 1, policy, half)).toStrictEqual({ kind: 'retry', delayMs: 0 });
  });
});

describe('backoffDelay: jitter bounds', () => {
  const zero = () => 0;
  const almostOne = () => 0.999_999;

  it.each([1, 2, 3, 6, 7, 30, 1000])('full jitter stays within [0, min(cap, base × 2^(n-1))] at attempt %i', (attempt) => {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    expect(backoffDelay(attempt, policy, zero)).toBe(0);
    expect(backoffDelay(attempt, policy, almostOne)).toBeLessThanOrEqual(ceiling);
    expect(backoffDelay(attempt, policy, almostOne)).toBeGreaterThan(ceiling * 0.99);
  });

  it.each([1, 2, 5, 40])('equal jitter never waits less than half the backoff at attempt %i', (attempt) => {
    const equal = { ...policy, jitter: 'equal' as const };
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    expect(backoffDelay(attempt, equal, zero)).toBe(ceiling / 2);
    expect(backoffDelay(attempt, equal, almostOne)).toBeLessThanOrEqual(ceiling);
  });

  it('the default policy backs off from about 1 s to at most 10 min and gives up after 20 attempts', () => {
    const delays = Array.from({ length: 19 }, (_, i) => decideRetry({ kind: 'retryable', reason: 'HTTP 500' }, i + 1, defaultRetryPolicy, almostOne));
    expect(delays[0]).toStrictEqual({ kind: 'retry', delayMs: 1000 });
    expect(delays.at(-1)).toStrictEqual({ kind: 'retry', delayMs: 600_000 });
    expect(decideRetry({ kind: 'retryable', reason: 'HTTP 500' }, 20, defaultRetryPolicy, almostOne).kind).toBe('dead');
  });
});
