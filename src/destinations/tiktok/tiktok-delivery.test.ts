import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveryEngine } from '../../delivery/delivery-engine.ts';
import { createInMemoryOutbox } from '../../delivery/in-memory-outbox.ts';
import type { RetryPolicy } from '../../delivery/retry-decision.ts';
import { startTikTokSink, tiktokCodeFault, type TikTokSink, type TikTokSinkOptions } from '../../local-sink/tiktok-sink.ts';
import type { SegmentMessage } from '../../pipeline/segment-message.ts';
import type { OutboxMessage } from '../../store/store.ts';
import { createTikTokDestination, tiktokSettingsSchema, type TikTokSettingsInput } from './index.ts';
import { sampleOrderCompleted } from './order-completed.fixture.ts';

/** End to end over real HTTP on 127.0.0.1: outbox → delivery engine → TikTok destination → local TikTok sink. */

const accessToken = 'e2e-access-token';
const pixelCode = 'C9Q2MJ3C77U4P674RPG0';
const policy: RetryPolicy = {
  baseDelayMs: 1000, maxDelayMs: 60_000, jitter: 'equal', maxAttempts: 10,
  maxAgeMs: 86_400_000, maxRetryAfterMs: 600_000, authPauseMs: 300_000,
};
let sink: TikTokSink | null = null;

afterEach(async () => {
  await sink?.close();
  sink = null;
});

function orderCompleted(n: number): SegmentMessage {
  const sample = sampleOrderCompleted();
  return { ...sample, messageId: `order-${n}`, properties: { ...sample.properties, order_id: String(1000 + n) } };
}

function outboxRow(messageId: string, payload: string, receivedAt: number): OutboxMessage {
  return { destination: 'tiktok', messageId, shop: 'e2e.myshopify.com', inboxId: 1, eventName: 'Order Completed', payload, receivedAt };
}

async function setup(count: number, sinkOptions: Partial<TikTokSinkOptions> = {}, settings: Partial<TikTokSettingsInput> = {}) {
  sink = await startTikTokSink({ accessToken, pixelCode, ...sinkOptions });
  const destination = createTikTokDestination(tiktokSettingsSchema.parse({ accessToken, pixelCode, endpoint: sink.url, ...settings }));
  const clock = { t: 1_000_000, now() { return this.t; } };
  const outbox = createInMemoryOutbox();
  outbox.add(Array.from({ length: count }, (_, n) => {
    const wire = destination.transform(orderCompleted(n));
    if (wire.kind !== 'event') throw new Error(wire.reason);
    return outboxRow(`order-${n}`, wire.json, clock.t);
  }), clock.t);
  const engine = createDeliveryEngine({ store: outbox, destination, policy, clock, random: () => 0.5, worker: 'e2e' });
  return { sink, destination, clock, outbox, engine };
}

describe('tiktok delivery end to end', () => {
  it('delivers transformed events that pass TikTok\'s rules, each event_id once', async () => {
    const { sink, outbox, engine } = await setup(5, {}, { maxBatchEvents: 2 });
    expect(await engine.runOnce()).toBe(4);
    await engine.runOnce();
    expect(outbox.withStatus('delivered')).toHaveLength(5);
    expect([...sink.countsByEventId()].sort()).toStrictEqual([['order-0', 1], ['order-1', 1], ['order-2', 1], ['order-3', 1], ['order-4', 1]]);
    expect(sink.stats()).toMatchObject({ requests: 3, acceptedRequests: 3, rejectedByCode: {} });
    expect(sink.received()[0]?.body).toMatchObject({ event: 'CompletePayment', event_time: 1640995200, properties: { order_id: '1000', value: 394.95 } });
  });

  it('backs off after a rate-limit code (40100) and delivers once TikTok lets it through', async () => {
    const { sink, outbox, engine, clock } = await setup(3, { faults: { rules: [{ action: tiktokCodeFault(40100, 'Requests made too frequently.'), times: 1 }] } });
    await engine.runOnce();
    expect(outbox.withStatus('pending')).toHaveLength(3);
    expect(outbox.rows()[0]?.lastError).toBe('rate-limited: TikTok code 40100: Requests made too frequently. (request_id fault)');
    expect(engine.pausedUntil()).toBeGreaterThan(clock.t);
    expect(await engine.runOnce()).toBe(0); // the gate holds every batch until the backoff is over
    clock.t = engine.pausedUntil()!;
    await engine.runOnce();
    expect(outbox.withStatus('delivered')).toHaveLength(3);
    expect(sink.stats()).toMatchObject({ requests: 2, rejectedByCode: { 40100: 1 } });
    expect([...sink.countsByEventId().values()]).toStrictEqual([1, 1, 1]);
  });

  it('pauses on an auth code (40105) with nothing dead-lettered, and delivers once the token is fixed', async () => {
    const { sink, outbox, engine, clock } = await setup(3, {}, { accessToken: 'revoked-token' });
    await engine.runOnce();
    expect(sink.stats()).toMatchObject({ requests: 1, rejectedByCode: { 40105: 1 } });
    expect(outbox.withStatus('dead')).toHaveLength(0);
    expect(outbox.withStatus('pending')).toHaveLength(3);
    expect(engine.pausedUntil()).toBe(clock.t + policy.authPauseMs);
    clock.t += policy.authPauseMs;
    const fixed = createTikTokDestination(tiktokSettingsSchema.parse({ accessToken, pixelCode, endpoint: sink.url }));
    await createDeliveryEngine({ store: outbox, destination: fixed, policy, clock, random: () => 0.5, worker: 'e2e' }).runOnce();
    expect(outbox.withStatus('delivered')).toHaveLength(3);
  });

  it('isolates one bad event TikTok refuses (40002) by splitting the batch, and delivers the rest', async () => {
    const { sink, outbox, engine, clock } = await setup(4);
    // e.g. written by an older version that forgot to hash the email
    outbox.add([outboxRow('clear-email', '{"event":"CompletePayment","event_time":1640995200,"event_id":"clear-email","user":{"email":"jon@example.com"}}', clock.t)], clock.t);
    await engine.runOnce();
    expect([...sink.countsByEventId()].sort()).toStrictEqual([['order-0', 1], ['order-1', 1], ['order-2', 1], ['order-3', 1]]);
    expect(outbox.withStatus('delivered')).toHaveLength(4);
    expect(outbox.withStatus('dead').map((row) => [row.messageId, row.reason])).toStrictEqual([
      ['clear-email', expect.stringMatching(/^TikTok code 40002: data\[0\]\.user\.email: must be SHA-256 hashed \(64 lowercase hex digits\) \(request_id sink-\d+\)$/)],
    ]);
  });

  it('retries through 500s and a hang, and delivers each event exactly once', async () => {
    const { sink, outbox, engine, clock } = await setup(4, {
      faults: { rules: [{ action: { kind: 'status', status: 503 }, times: 1 }, { action: { kind: 'hang' }, times: 1 }] },
    }, { requestTimeoutMs: 100 });
    for (let round = 0; round < 5 && outbox.withStatus('delivered').length < 4; round += 1) {
      await engine.runOnce();
      clock.t += 60_000;
    }
    expect(outbox.withStatus('delivered')).toHaveLength(4);
    expect(sink.stats()).toMatchObject({ requests: 3, faults: 2, rejectedByStatus: { 503: 1 } });
    expect([...sink.countsByEventId().values()]).toStrictEqual([1, 1, 1, 1]);
  });
});
