import { describe, expect, it } from 'vitest';
import type { SendOutcome } from '../destination.ts';
import { parseRetryAfter } from '../http-outcomes.ts';
import { classifyTikTokResponse, readTikTokAnswer } from './classify-response.ts';
import { createTikTokDestination, tiktokEnvelopeBytes, tiktokRequestBody, tiktokSettingsSchema } from './index.ts';

const settings = tiktokSettingsSchema.parse({ accessToken: 'tok', pixelCode: 'C9Q2MJ3C77U4P674RPG0' });

function recordingFetch(answer: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return answer();
  }) as typeof fetch;
  return { calls, http: { fetch: fetchFn } };
}

const tiktokJson = (code: number, message = 'OK') => new Response(JSON.stringify({ code, message, request_id: 'r-1', data: {} }), { status: 200 });

describe('tiktok settings', () => {
  it('defaults to TikTok\'s host, every event on, CompletePayment and 1,000 events per request', () => {
    expect(settings).toStrictEqual({
      accessToken: 'tok', pixelCode: 'C9Q2MJ3C77U4P674RPG0', endpoint: 'https://business-api.tiktok.com',
      events: { viewContent: true, addToCart: true, initiateCheckout: true, addPaymentInfo: true, completePayment: true, postPurchaseUpsell: true },
      completePaymentEventName: 'CompletePayment', maxBatchEvents: 1000, maxBatchBytes: 1_000_000, requestTimeoutMs: 10_000,
      orders: { channels: ['web'], includeTags: [], excludeTags: [], excludeGateways: [] }, userId: 'shopify_customer_id',
    });
  });

  it('keeps the other toggles on when one is given', () => {
    const parsed = tiktokSettingsSchema.parse({ accessToken: 't', pixelCode: 'P1', events: { addToCart: false } });
    expect(parsed.events).toMatchObject({ addToCart: false, viewContent: true, completePayment: true });
  });

  it.each<[object, (string | number)[]]>([
    [{ pixelCode: 'P1' }, ['accessToken']],
    [{ accessToken: '', pixelCode: 'P1' }, ['accessToken']],
    [{ accessToken: 't', pixelCode: 'not a code' }, ['pixelCode']],
    [{ accessToken: 't', pixelCode: 'P1', endpoint: 'nope' }, ['endpoint']],
    [{ accessToken: 't', pixelCode: 'P1', maxBatchEvents: 1001 }, ['maxBatchEvents']],
    [{ accessToken: 't', pixelCode: 'P1', completePaymentEventName: 'Checkout' }, ['completePaymentEventName']],
    [{ accessToken: 't', pixelCode: 'P1', events: { refund: true } }, ['events']],
    [{ accessToken: 't', pixelCode: 'P1', events: { addToCart: 'no' } }, ['events', 'addToCart']],
    [{ accessToken: 't', pixelCode: 'P1', testEventCode: '' }, ['testEventCode']],
  ])('rejects %j naming the field', (input, path) => {
    const result = tiktokSettingsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toStrictEqual(path);
  });
});

describe('tiktok send', () => {
  it('posts the stored events as one /event/track/ body with the Access-Token header, without re-serializing them', async () => {
    const { calls, http } = recordingFetch(() => tiktokJson(0));
    const destination = createTikTokDestination(settings, http);
    const events = ['{"event":"ViewContent","event_id":"a"}', '{"event":"AddToCart","event_id":"b"}'];
    expect(await destination.send(events, new AbortController().signal)).toStrictEqual({ scope: 'batch', outcome: { kind: 'delivered' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('https://business-api.tiktok.com/open_api/v1.3/event/track/');
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.headers).toStrictEqual({ 'Content-Type': 'application/json', 'Access-Token': 'tok' });
    expect(String(calls[0]?.init.body)).toBe(
      '{"event_source":"web","event_source_id":"C9Q2MJ3C77U4P674RPG0","data":[{"event":"ViewContent","event_id":"a"},{"event":"AddToCart","event_id":"b"}]}',
    );
  });

  it('adds test_event_code when configured and uses an endpoint override without a doubled slash', async () => {
    const { calls, http } = recordingFetch(() => tiktokJson(0));
    await createTikTokDestination({ ...settings, endpoint: 'http://127.0.0.1:9/', testEventCode: 'TEST123' }, http).send(['{}'], new AbortController().signal);
    expect(calls[0]?.url).toBe('http://127.0.0.1:9/open_api/v1.3/event/track/');
    expect(JSON.parse(String(calls[0]?.init.body))).toStrictEqual({ event_source: 'web', event_source_id: 'C9Q2MJ3C77U4P674RPG0', test_event_code: 'TEST123', data: [{}] });
  });

  it('reports limits that keep the whole request, envelope included, within maxBatchBytes', () => {
    const destination = createTikTokDestination({ ...settings, maxBatchEvents: 50, maxBatchBytes: 20_000 });
    expect(destination.name).toBe('tiktok');
    expect(destination.limits).toStrictEqual({ maxBatchEvents: 50, maxBatchBytes: 20_000 - tiktokEnvelopeBytes(settings), maxEventBytes: 256 * 1024 });
    expect(Buffer.byteLength(tiktokRequestBody([], settings))).toBe(tiktokEnvelopeBytes(settings));
  });

  it('classifies TikTok\'s code, not the HTTP status: 200 with code 40105 is an auth failure', async () => {
    const { http } = recordingFetch(() => tiktokJson(40105, 'Access token is incorrect or has been revoked.'));
    expect(await createTikTokDestination(settings, http).send(['{}'], new AbortController().signal)).toStrictEqual({
      scope: 'batch', outcome: { kind: 'auth-failed', reason: 'TikTok code 40105: Access token is incorrect or has been revoked. (request_id r-1)' },
    });
  });

  it('turns a thrown fetch and a timeout into retryable outcomes', async () => {
    const refused = recordingFetch(() => { throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }); });
    expect(await createTikTokDestination(settings, refused.http).send(['{}'], new AbortController().signal)).toStrictEqual({
      scope: 'batch', outcome: { kind: 'retryable', reason: 'network error: fetch failed (ECONNREFUSED)' },
    });
    const hanging = { fetch: ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch };
    const slow = createTikTokDestination({ ...settings, requestTimeoutMs: 20 }, hanging);
    expect(await slow.send(['{}'], new AbortController().signal)).toStrictEqual({ scope: 'batch', outcome: { kind: 'retryable', reason: 'request timed out' } });
  });
});

describe('tiktok response classification: HTTP 200 with TikTok return codes', () => {
  const now = Date.parse('2024-05-01T10:00:00Z');
  const body = (code: number) => JSON.stringify({ code, message: 'm', request_id: 'req', data: {} });

  it.each<[number, SendOutcome['kind']]>([
    [0, 'delivered'],
    [40016, 'rate-limited'],
    [40100, 'rate-limited'],
    [40132, 'rate-limited'],
    [40133, 'rate-limited'],
    [40001, 'auth-failed'],
    [40102, 'auth-failed'],
    [40104, 'auth-failed'],
    [40105, 'auth-failed'],
    [40106, 'auth-failed'],
    [40113, 'auth-failed'],
    [40118, 'auth-failed'],
    [40119, 'auth-failed'],
    [40125, 'auth-failed'],
    [40000, 'batch-rejected'],
    [40002, 'batch-rejected'],
    [40011, 'batch-rejected'],
    [20001, 'batch-rejected'],
    [40202, 'retryable'],
    [50000, 'retryable'],
    [50002, 'retryable'],
    [51305, 'retryable'],
    [51999, 'retryable'],
    [60001, 'retryable'],
    [40006, 'permanent'],
    [40007, 'permanent'],
    [40300, 'permanent'],
    [41000, 'permanent'],
  ])('code %i → %s', (code, kind) => {
    const outcome = classifyTikTokResponse(200, null, body(code), now);
    expect(outcome.kind).toBe(kind);
    if (outcome.kind !== 'delivered') expect(outcome.reason).toBe(`TikTok code ${code}: m (request_id req)`);
  });

  it('honours a Retry-After sent with a rate-limit code', () => {
    expect(classifyTikTokResponse(200, '30', body(40100), now)).toStrictEqual({ kind: 'rate-limited', reason: 'TikTok code 40100: m (request_id req)', retryAfterMs: 30_000 });
    expect(classifyTikTokResponse(200, null, body(40100), now)).not.toHaveProperty('retryAfterMs');
  });

  it('retries an unreadable 200, which is safe because TikTok deduplicates on event_id', () => {
    expect(classifyTikTokResponse(200, null, '<html>gateway</html>', now)).toStrictEqual({
      kind: 'retryable', reason: 'HTTP 200: unreadable answer: <html>gateway</html>', status: 200,
    });
    expect(readTikTokAnswer('{"message":"no code"}')).toBeNull();
  });
});

describe('tiktok response classification: HTTP statuses', () => {
  const now = Date.parse('2024-05-01T10:00:00Z');
  it.each<[number, string | null, object]>([
    [429, '12', { kind: 'rate-limited', status: 429, retryAfterMs: 12_000 }],
    [429, 'Wed, 01 May 2024 10:01:00 GMT', { kind: 'rate-limited', status: 429, retryAfterMs: 60_000 }],
    [429, null, { kind: 'rate-limited', status: 429 }],
    [401, null, { kind: 'auth-failed', status: 401 }],
    [403, null, { kind: 'auth-failed', status: 403 }],
    [408, null, { kind: 'retryable', status: 408 }],
    [500, null, { kind: 'retryable', status: 500 }],
    [502, null, { kind: 'retryable', status: 502 }],
    [503, null, { kind: 'retryable', status: 503 }],
    [400, null, { kind: 'batch-rejected', status: 400 }],
    [413, null, { kind: 'batch-rejected', status: 413 }],
    [404, null, { kind: 'permanent', status: 404 }],
    [405, null, { kind: 'permanent', status: 405 }],
  ])('HTTP %i (Retry-After %s) → %j', (status, retryAfter, expected) => {
    const outcome = classifyTikTokResponse(status, retryAfter, 'page not found', now);
    expect(outcome).toMatchObject({ ...expected, reason: `HTTP ${status}: page not found` });
    if (retryAfter === null) expect(outcome).not.toHaveProperty('retryAfterMs');
  });

  it('reads Retry-After in seconds or as an HTTP date in the past', () => {
    expect(parseRetryAfter(' 3 ', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
