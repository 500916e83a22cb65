import { describe, expect, it } from 'vitest';
import type { SegmentMessage } from '../../pipeline/segment-message.ts';
import { parseRetryAfter } from '../http-outcomes.ts';
import { classifySegmentResponse } from './classify-response.ts';
import { createSegmentDestination, segmentAuthorization, segmentSettingsSchema } from './index.ts';

const orderCompleted: SegmentMessage = {
  type: 'track',
  messageId: 'cs-orders-create-shop-1001-v1',
  timestamp: '2024-05-01T10:00:00.000Z',
  userId: '7001',
  anonymousId: 'anon-42',
  event: 'Order Completed',
  properties: { order_id: '1001', total: 42.5, currency: 'EUR' },
  context: { ip: '203.0.113.9' },
  integrations: { All: true },
};

function recordingFetch(answer: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return answer();
  }) as typeof fetch;
  return { calls, http: { fetch: fetchFn } };
}

const settings = segmentSettingsSchema.parse({ writeKey: 'abc123' });

describe('segment settings', () => {
  it('defaults to the US endpoint and safe batch limits', () => {
    expect(settings).toStrictEqual({
      writeKey: 'abc123', region: 'us', maxBatchEvents: 500, maxBatchBytes: 500_000, requestTimeoutMs: 10_000,
      orders: { channels: ['web'], includeTags: [], excludeTags: [], excludeGateways: [] }, userId: 'shopify_customer_id', negativeRefunds: false,
    });
  });

  it.each([
    [{ writeKey: '' }, 'writeKey'],
    [{ writeKey: 'k', maxBatchEvents: 2501 }, 'maxBatchEvents'],
    [{ writeKey: 'k', maxBatchBytes: 600_000 }, 'maxBatchBytes'],
    [{ writeKey: 'k', endpoint: 'not a url' }, 'endpoint'],
    [{ writeKey: 'k', region: 'apac' }, 'region'],
    [{ writeKey: 'k', userId: 'email' }, 'userId'],
    [{ writeKey: 'k', negativeRefunds: 'yes' }, 'negativeRefunds'],
    [{ writeKey: 'k', orders: { channels: ['web', 'pos'] } }, 'orders.channels'],
    [{ writeKey: 'k', orders: { excludeTags: [''] } }, 'orders.excludeTags.0'],
    [{ writeKey: 'k', orders: { gateways: ['manual'] } }, 'orders'],
  ])('rejects %j naming the field', (input, field) => {
    const result = segmentSettingsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(field);
  });
});

describe('segment transform', () => {
  const destination = createSegmentDestination(settings);

  it('serializes a track call in Segment\'s wire form with cartstream as the library', () => {
    const result = destination.transform(orderCompleted);
    expect(result.kind).toBe('event');
    expect(JSON.parse(result.kind === 'event' ? result.json : '')).toStrictEqual({
      type: 'track', messageId: 'cs-orders-create-shop-1001-v1', timestamp: '2024-05-01T10:00:00.000Z',
      userId: '7001', anonymousId: 'anon-42', event: 'Order Completed',
      properties: { order_id: '1001', total: 42.5, currency: 'EUR' },
      context: { ip: '203.0.113.9', library: { name: 'cartstream', version: expect.any(String) } },
      integrations: { All: true },
    });
  });

  it.each<[string, SegmentMessage, Record<string, unknown>]>([
    ['identify keeps traits, not properties', { type: 'identify', messageId: 'i1', timestamp: 't', userId: 'u1', traits: { email: 'a@b.c' }, properties: { x: 1 } },
      { type: 'identify', messageId: 'i1', timestamp: 't', userId: 'u1', traits: { email: 'a@b.c' } }],
    ['alias keeps previousId', { type: 'alias', messageId: 'a1', timestamp: 't', userId: 'u1', previousId: 'anon-1' },
      { type: 'alias', messageId: 'a1', timestamp: 't', userId: 'u1', previousId: 'anon-1' }],
    ['page keeps properties', { type: 'page', messageId: 'p1', timestamp: 't', anonymousId: 'x', properties: { path: '/cart' } },
      { type: 'page', messageId: 'p1', timestamp: 't', anonymousId: 'x', properties: { path: '/cart' } }],
  ])('%s', (_name, message, expected) => {
    const result = destination.transform(message);
    const { context, ...rest } = JSON.parse(result.kind === 'event' ? result.json : '{}');
    expect(rest).toStrictEqual(expected);
    expect(context.library.name).toBe('cartstream');
  });

  it.each<[string, SegmentMessage, string]>([
    ['no identifier', { ...orderCompleted, userId: undefined, anonymousId: undefined }, 'Segment requires a userId or an anonymousId'],
    ['a track without event', { ...orderCompleted, event: undefined }, 'Segment requires an event name on track calls'],
    ['an alias without previousId', { type: 'alias', messageId: 'a', timestamp: 't', userId: 'u' }, 'Segment requires previousId and userId on alias calls'],
    ['a messageId over 100 characters', { ...orderCompleted, messageId: 'm'.repeat(101) }, 'Segment requires a messageId of 1 to 100 characters'],
  ])('skips %s, which Segment would reject with a 400', (_name, message, reason) => {
    expect(destination.transform(message)).toStrictEqual({ kind: 'skip', reason });
  });
});

describe('segment send', () => {
  it('posts the stored events as one /v1/batch body with Basic auth and no re-serialization', async () => {
    const { calls, http } = recordingFetch(() => new Response('{"success":true}', { status: 200 }));
    const destination = createSegmentDestination({ ...settings, region: 'eu' }, http);
    const events = ['{"type":"track","messageId":"a"}', '{"type":"identify","messageId":"b"}'];
    expect(await destination.send(events, new AbortController().signal)).toStrictEqual({ scope: 'batch', outcome: { kind: 'delivered' } });
    const [call] = calls;
    expect(call?.url).toBe('https://events.eu1.segmentapis.com/v1/batch');
    expect(call?.init.headers).toStrictEqual({ 'Content-Type': 'application/json', Authorization: 'Basic YWJjMTIzOg==' });
    expect(String(call?.init.body)).toMatch(/^\{"batch":\[\{"type":"track","messageId":"a"\},\{"type":"identify","messageId":"b"\}\],"sentAt":"\d{4}-\d\d-\d\dT[\d:.]+Z"\}$/);
  });

  it('uses the endpoint override for both regions, without a doubled slash', async () => {
    const { calls, http } = recordingFetch(() => new Response('', { status: 200 }));
    await createSegmentDestination({ ...settings, endpoint: 'http://127.0.0.1:9/' }, http).send(['{}'], new AbortController().signal);
    expect(calls[0]?.url).toBe('http://127.0.0.1:9/v1/batch');
  });

  it('turns a thrown fetch and a timeout into retryable outcomes', async () => {
    const refused = recordingFetch(() => { throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }); });
    const destination = createSegmentDestination(settings, refused.http);
    expect(await destination.send(['{}'], new AbortController().signal)).toStrictEqual({
      scope: 'batch', outcome: { kind: 'retryable', reason: 'network error: fetch failed (ECONNREFUSED)' },
    });
    const slow = createSegmentDestination({ ...settings, requestTimeoutMs: 20 }, { fetch: ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch });
    expect(await slow.send(['{}'], new AbortController().signal)).toStrictEqual({ scope: 'batch', outcome: { kind: 'retryable', reason: 'request timed out' } });
  });

  it('encodes the write key with the trailing colon Segment asks for', () => {
    expect(segmentAuthorization('abc123')).toBe('Basic YWJjMTIzOg==');
  });
});

describe('segment response classification', () => {
  const now = Date.parse('2024-05-01T10:00:00Z');
  it.each<[number, string | null, object]>([
    [200, null, { kind: 'delivered' }],
    [400, null, { kind: 'batch-rejected', status: 400 }],
    [413, null, { kind: 'batch-rejected', status: 413 }],
    [401, null, { kind: 'auth-failed', status: 401 }],
    [403, null, { kind: 'auth-failed', status: 403 }],
    [408, null, { kind: 'retryable', status: 408 }],
    [500, null, { kind: 'retryable', status: 500 }],
    [502, null, { kind: 'retryable', status: 502 }],
    [503, null, { kind: 'retryable', status: 503 }],
    [429, '12', { kind: 'rate-limited', status: 429, retryAfterMs: 12_000 }],
    [429, 'Wed, 01 May 2024 10:01:00 GMT', { kind: 'rate-limited', status: 429, retryAfterMs: 60_000 }],
    [429, 'soon', { kind: 'rate-limited', status: 429 }],
    [404, null, { kind: 'permanent', status: 404 }],
    [422, null, { kind: 'permanent', status: 422 }],
  ])('HTTP %i (Retry-After %s) → %j', (status, retryAfter, expected) => {
    const outcome = classifySegmentResponse(status, retryAfter, '{"message":"x"}', now);
    expect(outcome).toMatchObject(expected);
    if (outcome.kind !== 'delivered') expect(outcome.reason).toBe(`HTTP ${status}: {"message":"x"}`);
    if (retryAfter === 'soon') expect(outcome).not.toHaveProperty('retryAfterMs');
  });

  it('reads Retry-After in seconds or as an HTTP date in the past', () => {
    expect(parseRetryAfter(' 3 ', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
