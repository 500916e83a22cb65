import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.ts';

describe('createRateLimiter', () => {
  it('refills continuously and says how long to wait for the next token', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 6, now: () => now });
    for (let i = 0; i < 6; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toStrictEqual({ allowed: false, retryAfterSeconds: 10 });
    now += 4_000;
    expect(limiter.take('a')).toStrictEqual({ allowed: false, retryAfterSeconds: 6 });
    now += 6_000;
    expect(limiter.take('a')).toStrictEqual({ allowed: true });
  });

  it('tracks at most maxClients, forgetting the least recently seen first', () => {
    const limiter = createRateLimiter({ perMinute: 1, maxClients: 2, now: () => 0 });
    limiter.take('a');
    limiter.take('b');
    expect(limiter.take('a').allowed).toBe(false); // a is now the most recently seen
    limiter.take('c'); // evicts b
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true); // forgotten, so a full bucket again (evicts c)
    expect(limiter.take('a').allowed).toBe(false);
  });
});
