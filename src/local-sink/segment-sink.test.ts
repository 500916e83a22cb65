import { afterEach, describe, expect, it } from 'vitest';
import { startSegmentSink, type SegmentSink, type SegmentSinkOptions } from './segment-sink.ts';

const writeKey = 'sink-test-key';
const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
let sink: SegmentSink | null = null;

async function start(options: SegmentSinkOptions = {}): Promise<SegmentSink> {
  sink = await startSegmentSink({ writeKey, ...options });
  return sink;
}

afterEach(async () => {
  await sink?.close();
  sink = null;
});

function track(messageId: string, extra: Record<string, unknown> = {}) {
  return { type: 'track', messageId, event: 'Order Completed', anonymousId: 'anon-1', properties: { total: 10 }, ...extra };
}

async function post(path: string, body: unknown, headers: Record<string, string> = { authorization: auth }) {
  const response = await fetch(`${sink!.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() as Record<string, unknown> };
}

describe('segment sink: accepting events', () => {
  it('accepts a valid batch, records each event with its arrival time and counts messageIds', async () => {
    let clock = 1_000;
    await start({ now: () => clock });
    clock = 5_000;
    const response = await post('/v1/batch', { batch: [track('m1'), track('m2')], sentAt: new Date().toISOString() });
    expect(response).toMatchObject({ status: 200, body: { success: true } });
    expect(sink!.received().map((event) => [event.messageId, event.type, event.receivedAt])).toStrictEqual([
      ['m1', 'track', 5_000], ['m2', 'track', 5_000],
    ]);
    await post('/v1/batch', { batch: [track('m1')] });
    expect(sink!.countsByMessageId()).toStrictEqual(new Map([['m1', 2], ['m2', 1]]));
    expect(sink!.stats()).toMatchObject({ requests: 2, acceptedRequests: 2, acceptedEvents: 3 });
  });

  it.each([
    ['/v1/track', { messageId: 't1', event: 'Product Viewed', userId: 'u1' }, 'track'],
    ['/v1/identify', { messageId: 'i1', userId: 'u1', traits: { plan: 'gold' } }, 'identify'],
    ['/v1/page', { messageId: 'p1', anonymousId: 'a1', properties: { path: '/' } }, 'page'],
    ['/v1/alias', { messageId: 'al1', userId: 'u1', previousId: 'a1' }, 'alias'],
  ])('accepts a single %s call and types it by path', async (path, body, type) => {
    await start();
    expect((await post(path, body)).status).toBe(200);
    expect(sink!.received()[0]).toMatchObject({ type, messageId: body.messageId });
  });

  it('accepts the write key in the body instead of the header, and no auth at all when it has no key', async () => {
    await start();
    expect((await post('/v1/batch', { batch: [track('m1')], writeKey }, {})).status).toBe(200);
    await sink!.close();
    sink = await startSegmentSink();
    expect((await post('/v1/batch', { batch: [track('m2')] }, {})).status).toBe(200);
  });
});

describe('segment sink: enforcing Segment\'s rules', () => {
  const big = 'x'.repeat(33 * 1024);

  it.each([
    ['a wrong write key', { batch: [track('m1')] }, { authorization: `Basic ${Buffer.from('nope:').toString('base64')}` }, 401, 'invalid_write_key'],
    ['no credentials', { batch: [track('m1')] }, {}, 401, 'invalid_write_key'],
    ['invalid JSON', '{"batch":[', undefined, 400, 'invalid_json'],
    ['no batch array', { events: [] }, undefined, 400, 'invalid_batch'],
    ['an event without userId or anonymousId', { batch: [track('m1'), track('m2', { anonymousId: undefined })] }, undefined, 400, 'no_user_anon_id'],
    ['a track without an event name', { batch: [track('m1', { event: '' })] }, undefined, 400, 'no_event_name'],
    ['an unknown type', { batch: [track('m1', { type: 'purchase' })] }, undefined, 400, 'invalid_type'],
    ['a missing messageId', { batch: [track('m1', { messageId: undefined })] }, undefined, 400, 'invalid_message_id'],
    ['a messageId over 100 characters', { batch: [track('m'.repeat(101))] }, undefined, 400, 'invalid_message_id'],
    ['an alias without previousId', { batch: [{ type: 'alias', messageId: 'a', userId: 'u' }] }, undefined, 400, 'no_previous_id'],
    ['an event over 32 KB', { batch: [track('m1'), track('m2', { properties: { big } })] }, undefined, 400, 'event_too_large'],
    ['a request over 500 KB', { batch: Array.from({ length: 20 }, (_, i) => track(`m${i}`, { properties: { big: 'y'.repeat(30_000) } })) }, undefined, 400, 'payload_too_large'],
  ])('rejects %s as a whole request and accepts none of its events', async (_name, body, headers, status, code) => {
    await start();
    const response = await post('/v1/batch', body, headers);
    expect(response).toMatchObject({ status, body: { success: false, code } });
    expect(sink!.received()).toStrictEqual([]);
    expect(sink!.stats().rejectedByStatus).toStrictEqual({ [status]: 1 });
  });

  it('rejects a single call over 32 KB', async () => {
    await start();
    expect((await post('/v1/track', track('m1', { properties: { big } }))).body).toMatchObject({ code: 'payload_too_large' });
  });

  it('answers 200 but drops every event of a batch over 2,500 events, as Segment documents', async () => {
    await start();
    const batch = Array.from({ length: 2501 }, (_, i) => ({ type: 'identify', messageId: `i${i}`, userId: 'u' }));
    expect((await post('/v1/batch', { batch })).status).toBe(200);
    expect(sink!.received()).toHaveLength(0);
    expect(sink!.stats().droppedEvents).toBe(2501);
  });
});

describe('segment sink: faults', () => {
  it('answers the planned status for the planned number of requests, then recovers', async () => {
    await start({ faults: { rules: [{ action: { kind: 'status', status: 503 }, times: 2 }] } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await post('/v1/batch', { batch: [track(`m${i}`)] })).status);
    expect(statuses).toStrictEqual([503, 503, 200]);
    expect(sink!.received().map((event) => event.messageId)).toStrictEqual(['m2']);
    expect(sink!.stats()).toMatchObject({ faults: 2, rejectedByStatus: { 503: 2 } });
  });

  it('sends Retry-After with a 429 and applies rules only inside their time window', async () => {
    let clock = 0;
    await start({ now: () => clock, faults: { rules: [{ action: { kind: 'status', status: 429, retryAfter: '7' }, fromMs: 100, untilMs: 200 }] } });
    expect((await post('/v1/batch', { batch: [track('m1')] })).status).toBe(200);
    clock = 150;
    expect(await post('/v1/batch', { batch: [track('m2')] })).toMatchObject({ status: 429, retryAfter: '7' });
    clock = 200;
    expect((await post('/v1/batch', { batch: [track('m3')] })).status).toBe(200);
  });

  it('hits the planned fraction of requests with a fixed random source', async () => {
    const draws = [0.1, 0.9, 0.2, 0.8];
    let index = 0;
    await start({ faults: { random: () => draws[index++ % draws.length]!, rules: [{ action: { kind: 'status', status: 500 }, rate: 0.5 }] } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await post('/v1/batch', { batch: [track(`m${i}`)] })).status);
    expect(statuses).toStrictEqual([500, 200, 500, 200]);
  });

  it('hangs until the client gives up, and can be switched off with setFaults(null)', async () => {
    await start({ faults: { rules: [{ action: { kind: 'hang' } }] } });
    const hung = fetch(`${sink!.url}/v1/batch`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify({ batch: [track('m1')] }), signal: AbortSignal.timeout(100),
    });
    await expect(hung).rejects.toThrow(/aborted|timeout/i);
    sink!.setFaults(null);
    expect((await post('/v1/batch', { batch: [track('m2')] })).status).toBe(200);
    expect(sink!.received().map((event) => event.messageId)).toStrictEqual(['m2']);
  });

  it('answers late but normally with a timed hang', async () => {
    await start({ faults: { rules: [{ action: { kind: 'hang', ms: 30 }, times: 1 }] } });
    const started = performance.now();
    expect((await post('/v1/batch', { batch: [track('m1')] })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(sink!.countsByMessageId().get('m1')).toBe(1);
  });
});
