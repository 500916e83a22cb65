import { afterEach, describe, expect, it } from 'vitest';
import { createSegmentDestination, segmentSettingsSchema } from '../destinations/segment/index.ts';
import type { SegmentSettingsInput } from '../destinations/segment/settings.ts';
import { startSegmentSink, type SegmentSink, type SegmentSinkOptions } from '../local-sink/segment-sink.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { OutboxMessage } from '../store/store.ts';
import { createDeliveryEngine, type DeliveryEngineOptions } from './delivery-engine.ts';
import { createInMemoryOutbox } from './in-memory-outbox.ts';
import type { RetryPolicy } from './retry-decision.ts';

/** End to end over real HTTP on 127.0.0.1: outbox → delivery engine → Segment destination → local Segment sink. */

const writeKey = 'e2e-write-key';
const policy: RetryPolicy = {
  baseDelayMs: 1000, maxDelayMs: 60_000, jitter: 'equal', maxAttempts: 10,
  maxAgeMs: 86_400_000, maxRetryAfterMs: 600_000, authPauseMs: 300_000,
};
let sink: SegmentSink | null = null;

afterEach(async () => {
  await sink?.close();
  sink = null;
});

function orderCompleted(n: number): SegmentMessage {
  return {
    type: 'track', messageId: `order-${n}`, timestamp: '2024-05-01T10:00:00.000Z', anonymousId: `anon-${n}`,
    event: 'Order Completed', properties: { order_id: String(1000 + n), total: 19.99, currency: 'EUR' },
  };
}

async function setup(count: number, sinkOptions: SegmentSinkOptions = {}, settings: Partial<SegmentSettingsInput> = {}, engine: Partial<DeliveryEngineOptions> = {}) {
  sink = await startSegmentSink({ writeKey, ...sinkOptions });
  const destination = createSegmentDestination(segmentSettingsSchema.parse({ writeKey, endpoint: sink.url, ...settings }));
  const clock = { t: 1_000_000, now() { return this.t; } };
  const receivedAt = (engine.clock ?? clock).now();
  const outbox = createInMemoryOutbox();
  const messages = Array.from({ length: count }, (_, n): OutboxMessage => {
    const wire = destination.transform(orderCompleted(n));
    if (wire.kind !== 'event') throw new Error(wire.reason);
    return { destination: 'segment', messageId: `order-${n}`, shop: 'e2e.myshopify.com', inboxId: n, eventName: 'Order Completed', payload: wire.json, receivedAt };
  });
  outbox.add(messages, clock.t);
  const deliveryEngine = createDeliveryEngine({ store: outbox, destination, policy, clock, random: () => 0.5, worker: 'e2e', ...engine });
  return { sink, destination, clock, outbox, engine: deliveryEngine };
}

describe('segment delivery end to end', () => {
  it('delivers the rest of a batch when Segment rejects it for one bad event, and dead-letters only that one', async () => {
    const { sink, outbox, engine, clock } = await setup(4);
    // e.g. written by an older version, before transform learned to skip calls without an identifier
    outbox.add([{ destination: 'segment', messageId: 'no-ids', shop: 'e2e.myshopify.com', inboxId: 9, eventName: 'Order Completed',
      payload: '{"type":"track","messageId":"no-ids","event":"Order Completed","properties":{}}', receivedAt: clock.t }], clock.t);
    await engine.runOnce();
    expect([...sink.countsByMessageId()].sort()).toStrictEqual([['order-0', 1], ['order-1', 1], ['order-2', 1], ['order-3', 1]]);
    expect(outbox.withStatus('delivered')).toHaveLength(4);
    expect(outbox.withStatus('dead').map((row) => [row.messageId, row.reason])).toStrictEqual([
      ['no-ids', 'HTTP 400: {"success":false,"code":"no_user_anon_id","message":"batch[0]: userId or anonymousId must be set"}'],
    ]);
  });

  it('retries through 500s and delivers each event exactly once when Segment recovers', async () => {
    const { sink, outbox, engine, clock } = await setup(10, { faults: { rules: [{ action: { kind: 'status', status: 500 }, times: 2 }] } });
    for (let round = 0; round < 5 && outbox.withStatus('delivered').length < 10; round += 1) {
      await engine.runOnce();
      clock.t += 60_000;
    }
    expect(sink.stats()).toMatchObject({ requests: 3, rejectedByStatus: { 500: 2 }, acceptedEvents: 10 });
    expect([...sink.countsByMessageId().values()]).toStrictEqual(Array(10).fill(1));
    expect(outbox.rows().map((row) => row.attempts)).toStrictEqual(Array(10).fill(3));
  });

  it('waits out a 429\'s Retry-After before sending again', async () => {
    const { sink, outbox, engine, clock } = await setup(3, { faults: { rules: [{ action: { kind: 'status', status: 429, retryAfter: '20' }, times: 1 }] } });
    await engine.runOnce();
    clock.t += 19_999;
    expect(await engine.runOnce()).toBe(0);
    expect(sink.stats().requests).toBe(1);
    clock.t += 1;
    expect(await engine.runOnce()).toBe(3);
    expect(outbox.withStatus('delivered')).toHaveLength(3);
    expect(sink.stats().requests).toBe(2);
  });

  it('pauses on 401 with nothing dead-lettered, and delivers once the write key is fixed', async () => {
    const { sink, outbox, engine, clock } = await setup(3, {}, { writeKey: 'revoked-key' });
    await engine.runOnce();
    expect(sink.stats()).toMatchObject({ requests: 1, rejectedByStatus: { 401: 1 } });
    expect(outbox.withStatus('dead')).toHaveLength(0);
    expect(outbox.withStatus('pending')).toHaveLength(3);
    expect(engine.pausedUntil()).toBe(clock.t + 300_000);
    clock.t += 300_000;
    const fixed = createSegmentDestination(segmentSettingsSchema.parse({ writeKey, endpoint: sink.url }));
    await createDeliveryEngine({ store: outbox, destination: fixed, policy, clock, random: () => 0.5, worker: 'e2e' }).runOnce();
    expect(outbox.withStatus('delivered')).toHaveLength(3);
  });

  it('treats a request that hangs past the timeout as retryable', async () => {
    const { sink, outbox, engine, clock } = await setup(2, { faults: { rules: [{ action: { kind: 'hang' }, times: 1 }] } }, { requestTimeoutMs: 100 });
    await engine.runOnce();
    expect(outbox.rows().map((row) => row.lastError)).toStrictEqual(['retryable: request timed out', 'retryable: request timed out']);
    clock.t += 60_000;
    await engine.runOnce();
    expect([...sink.countsByMessageId().values()]).toStrictEqual([1, 1]);
  });

  it('sends again after a slow answer the client gave up on: the sink sees the messageId twice (Segment dedupes it)', async () => {
    const { sink, outbox, engine, clock } = await setup(1, { faults: { rules: [{ action: { kind: 'hang', ms: 150 }, times: 1 }] } }, { requestTimeoutMs: 50 });
    await engine.runOnce();
    clock.t += 60_000;
    await engine.runOnce();
    await expect.poll(() => sink.countsByMessageId().get('order-0')).toBe(2);
    expect(outbox.withStatus('delivered')).toHaveLength(1);
  });

  it('start() delivers a stream through random 500s and stop() returns with nothing lost', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const fast: RetryPolicy = { ...policy, baseDelayMs: 5, maxDelayMs: 20 };
    const { sink, outbox, engine } = await setup(600, { faults: { random, rules: [{ action: { kind: 'status', status: 500 }, rate: 0.3 }] } },
      { maxBatchEvents: 50 }, { clock: { now: Date.now }, policy: fast, concurrency: 4, batchLimit: 50, idleDelayMs: 5 });
    engine.start();
    await expect.poll(() => outbox.withStatus('delivered').length, { timeout: 10_000 }).toBe(600);
    await engine.stop();
    expect(sink.countsByMessageId().size).toBe(600);
    expect([...sink.countsByMessageId().values()].every((count) => count === 1)).toBe(true);
    expect(sink.stats().rejectedByStatus[500]).toBeGreaterThan(0);
  });
});
