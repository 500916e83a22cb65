import { describe, expect, it } from 'vitest';
import type { Destination, SendOutcome, SendResult } from '../destinations/destination.ts';
import type { OutboxMessage, OutboxRow } from '../store/store.ts';
import { createDeliveryEngine, type DeliveryEngineOptions, type DeliveryLogger } from './delivery-engine.ts';
import { createInMemoryOutbox, type InMemoryOutbox } from './in-memory-outbox.ts';
import type { RetryDecision, RetryPolicy } from './retry-decision.ts';

const policy: RetryPolicy = {
  baseDelayMs: 1000, maxDelayMs: 60_000, jitter: 'equal', maxAttempts: 3,
  maxAgeMs: 86_400_000, maxRetryAfterMs: 120_000, authPauseMs: 300_000,
};

type Answer = (events: string[]) => SendResult | Promise<SendResult>;

/** A destination whose answers the test scripts; it records every request. */
function fakeDestination(answer: Answer, limits = { maxBatchEvents: 3, maxBatchBytes: 10_000, maxEventBytes: 1000 }) {
  const requests: string[][] = [];
  const destination: Destination = {
    name: 'fake', limits,
    transform: () => ({ kind: 'skip', reason: 'unused' }),
    async send(events) {
      requests.push(events.map((event) => JSON.parse(event).messageId));
      return answer(events);
    },
  };
  return { destination, requests };
}

const batch = (outcome: SendOutcome): SendResult => ({ scope: 'batch', outcome });
const delivered = () => batch({ kind: 'delivered' });

function message(messageId: string, payload?: string): OutboxMessage {
  return { destination: 'fake', messageId, shop: 's.myshopify.com', inboxId: 1, eventName: 'Order Completed', payload: payload ?? JSON.stringify({ messageId }), receivedAt: 0 };
}

function setup(answer: Answer, extra: Partial<DeliveryEngineOptions> = {}, count = 5) {
  const clock = { t: 10_000, now() { return this.t; } };
  const outbox: InMemoryOutbox = createInMemoryOutbox();
  outbox.add(Array.from({ length: count }, (_, i) => message(`m${i}`)), clock.t);
  const fake = fakeDestination(answer);
  const deliveredRows: OutboxRow[] = [];
  const failures: [string, RetryDecision][] = [];
  const engine = createDeliveryEngine({
    store: outbox, destination: fake.destination, policy, clock, random: () => 0, worker: 'w1',
    onDelivered: (rows) => deliveredRows.push(...rows),
    onFailed: (row, decision) => failures.push([row.messageId, decision]),
    ...extra,
  });
  const statusOf = () => Object.fromEntries(outbox.rows().map((row) => [row.messageId, row.status]));
  return { clock, outbox, engine, requests: fake.requests, deliveredRows, failures, statusOf };
}

describe('delivery engine: runOnce', () => {
  it('sends due rows in batches within the destination limits and settles each as delivered', async () => {
    const { engine, requests, statusOf, deliveredRows } = setup(delivered);
    expect(await engine.runOnce()).toBe(5);
    expect(requests).toStrictEqual([['m0', 'm1', 'm2'], ['m3', 'm4']]);
    expect(Object.values(statusOf())).toStrictEqual(Array(5).fill('delivered'));
    expect(deliveredRows.map((row) => row.messageId)).toStrictEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(await engine.runOnce()).toBe(0);
  });

  it('dead-letters an event over the size limit without sending it, and delivers the others', async () => {
    const { engine, outbox, requests } = setup(delivered, {}, 2);
    outbox.add([message('huge', JSON.stringify({ messageId: 'huge', pad: 'x'.repeat(2000) }))], 10_000);
    await engine.runOnce();
    expect(requests.flat()).toStrictEqual(['m0', 'm1']);
    expect(outbox.withStatus('dead').map((row) => [row.messageId, row.reason])).toStrictEqual([
      ['huge', "event is 2029 bytes, over fake's 1000 bytes limit per event"],
    ]);
  });

  it('splits a rejected batch until the bad event is alone, dead-letters it and delivers the rest', async () => {
    const answer: Answer = (events) => events.some((event) => event.includes('m1'))
      ? batch({ kind: 'batch-rejected', reason: 'HTTP 400: userId or anonymousId must be set', status: 400 })
      : delivered();
    const { engine, outbox, requests, statusOf } = setup(answer, {}, 3);
    await engine.runOnce();
    expect(requests).toStrictEqual([['m0', 'm1', 'm2'], ['m0', 'm1'], ['m0'], ['m1'], ['m2']]);
    expect(statusOf()).toStrictEqual({ m0: 'delivered', m1: 'dead', m2: 'delivered' });
    expect(outbox.withStatus('dead')[0]?.reason).toBe('HTTP 400: userId or anonymousId must be set');
  });

  it('retries a failed batch after the backoff and delivers it once the API recovers', async () => {
    let failing = true;
    const { engine, clock, outbox, statusOf, failures } = setup(() => (failing ? batch({ kind: 'retryable', reason: 'HTTP 503', status: 503 }) : delivered()), {}, 2);
    await engine.runOnce();
    // equal jitter with random() = 0 → half of the 1 s first backoff
    expect(outbox.rows().map((row) => [row.status, row.nextAttemptAt, row.lastError])).toStrictEqual([
      ['pending', 10_500, 'retryable: HTTP 503'], ['pending', 10_500, 'retryable: HTTP 503'],
    ]);
    expect(failures).toStrictEqual([['m0', { kind: 'retry', delayMs: 500 }], ['m1', { kind: 'retry', delayMs: 500 }]]);
    clock.t = 10_499;
    expect(await engine.runOnce()).toBe(0);
    failing = false;
    clock.t = 10_500;
    expect(await engine.runOnce()).toBe(2);
    expect(statusOf()).toStrictEqual({ m0: 'delivered', m1: 'delivered' });
  });

  it('after an outage, the first delivered batch makes the rows backing off due at once, so the backlog drains', async () => {
    let failing = true;
    const { engine, clock, outbox, statusOf } = setup(() => (failing ? batch({ kind: 'retryable', reason: 'HTTP 503', status: 503 }) : delivered()), {}, 3);
    await engine.runOnce();
    // m0–m2 back off (the first, 500 ms); a second failure doubles it for what is sent again.
    clock.t = 10_500;
    await engine.runOnce();
    expect(outbox.rows().map((row) => row.nextAttemptAt)).toStrictEqual([11_500, 11_500, 11_500]);
    // The API answers again: a new order is delivered at once, and the backlog is due with it, not at 11,500.
    failing = false;
    outbox.add([message('new')], clock.t);
    expect(await engine.runOnce()).toBe(1);
    expect(outbox.rows().map((row) => row.nextAttemptAt)).toStrictEqual([10_500, 10_500, 10_500, 10_500]);
    expect(await engine.runOnce()).toBe(3);
    expect(statusOf()).toStrictEqual({ m0: 'delivered', m1: 'delivered', m2: 'delivered', new: 'delivered' });
  });

  it('leaves the backoff of a row a destination refused alone while the rest of its batches are delivered', async () => {
    const answer: Answer = (events) => ({
      scope: 'per-event',
      outcomes: events.map((event) => (event.includes('m1') ? { kind: 'retryable', reason: 'HTTP 500' } : { kind: 'delivered' })),
    });
    const { engine, clock, outbox } = setup(answer, {}, 3);
    await engine.runOnce(); // the start-up check: nothing was backing off
    expect(outbox.rows().find((row) => row.messageId === 'm1')?.nextAttemptAt).toBe(10_500);
    outbox.add([message('m9')], clock.t);
    await engine.runOnce();
    expect(outbox.rows().find((row) => row.messageId === 'm1')?.nextAttemptAt).toBe(10_500);
  });

  it('dead-letters with the last reason after maxAttempts', async () => {
    const { engine, clock, outbox } = setup(() => batch({ kind: 'retryable', reason: 'HTTP 500', status: 500 }), {}, 1);
    for (let i = 0; i < 3; i += 1) {
      await engine.runOnce();
      clock.t += 60_000;
    }
    expect(outbox.rows()[0]).toMatchObject({ status: 'dead', attempts: 3, reason: 'gave up after 3 attempts: HTTP 500' });
  });

  it('on 429 waits out Retry-After for the whole destination, holding the other batches unsent', async () => {
    let limited = true;
    const { engine, clock, outbox, requests, failures } = setup(() => (limited ? batch({ kind: 'rate-limited', reason: 'HTTP 429', retryAfterMs: 30_000 }) : delivered()));
    await engine.runOnce();
    expect(requests).toStrictEqual([['m0', 'm1', 'm2']]);
    expect(outbox.rows().map((row) => row.nextAttemptAt)).toStrictEqual(Array(5).fill(40_000));
    expect(failures.map(([id]) => id)).toStrictEqual(['m0', 'm1', 'm2']);
    expect(engine.pausedUntil()).toBe(40_000);
    clock.t = 39_999;
    expect(await engine.runOnce()).toBe(0);
    limited = false;
    clock.t = 40_000;
    expect(await engine.runOnce()).toBe(5);
    expect(outbox.withStatus('delivered')).toHaveLength(5);
  });

  it('on 401 pauses the destination, keeps every row pending and dead-letters nothing', async () => {
    const { engine, clock, outbox, requests } = setup(() => batch({ kind: 'auth-failed', reason: 'HTTP 401: Invalid write key', status: 401 }));
    await engine.runOnce();
    expect(requests).toHaveLength(1);
    expect(outbox.withStatus('pending')).toHaveLength(5);
    expect(outbox.withStatus('dead')).toHaveLength(0);
    expect(engine.pausedUntil()).toBe(310_000);
    clock.t = 200_000;
    expect(await engine.runOnce()).toBe(0);
    expect(requests).toHaveLength(1);
  });

  it('settles per-event results one by one', async () => {
    const answer: Answer = (events) => ({
      scope: 'per-event',
      outcomes: events.map((event): SendOutcome => (event.includes('m1') ? { kind: 'permanent', reason: 'invalid email' } : { kind: 'delivered' })),
    });
    const { engine, statusOf, outbox } = setup(answer, {}, 3);
    await engine.runOnce();
    expect(statusOf()).toStrictEqual({ m0: 'delivered', m1: 'dead', m2: 'delivered' });
    expect(outbox.withStatus('dead')[0]?.reason).toBe('invalid email');
  });

  it('keeps events for a retry when a destination throws instead of classifying', async () => {
    const { engine, outbox } = setup(() => { throw new Error('boom'); }, {}, 1);
    await engine.runOnce();
    expect(outbox.rows()[0]).toMatchObject({ status: 'pending', lastError: 'retryable: send threw: boom' });
  });
});

describe('delivery engine: start and stop', () => {
  function quietLogger() {
    const errors: string[] = [];
    const logger: DeliveryLogger = { info() {}, warn() {}, error: (_fields, message) => errors.push(message) };
    return { logger, errors };
  }

  it('delivers everything with several loops, and stop() waits for the send in flight', async () => {
    let release: () => void = () => {};
    let sends = 0;
    const answer: Answer = () => {
      sends += 1;
      if (sends === 1) return new Promise((resolve) => { release = () => resolve(delivered()); });
      return delivered();
    };
    const { engine, outbox } = setup(answer, { concurrency: 2, batchLimit: 3, idleDelayMs: 5, clock: { now: Date.now } }, 9);
    engine.start();
    await expect.poll(() => outbox.withStatus('delivered').length).toBe(6);
    const stopped = engine.stop();
    release();
    await stopped;
    expect(outbox.withStatus('delivered')).toHaveLength(9);
  });

  it('never throws out of the loop: a store error is logged and the work is retried', async () => {
    const { logger, errors } = quietLogger();
    const { engine, outbox } = setup(delivered, { logger, idleDelayMs: 5, errorDelayMs: 5, clock: { now: Date.now } }, 2);
    const claim = outbox.claimOutbox;
    let calls = 0;
    outbox.claimOutbox = (destination, options) => (calls++ === 0 ? Promise.reject(new Error('database is locked')) : claim(destination, options));
    engine.start();
    await expect.poll(() => outbox.withStatus('delivered').length).toBe(2);
    await engine.stop();
    expect(errors).toStrictEqual(['delivery run failed; retrying']);
  });

  it('wake() ends an idle wait at once', async () => {
    const { engine, outbox } = setup(delivered, { idleDelayMs: 60_000, concurrency: 1, clock: { now: Date.now } }, 0);
    engine.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    outbox.add([message('late')], Date.now());
    engine.wake();
    await expect.poll(() => outbox.withStatus('delivered').length, { timeout: 1000 }).toBe(1);
    await engine.stop();
  });
});
