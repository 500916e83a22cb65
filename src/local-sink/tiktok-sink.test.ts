import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startTikTokSink, tiktokCodeFault, type TikTokSink, type TikTokSinkOptions } from './tiktok-sink.ts';

const accessToken = 'sink-token';
const pixelCode = 'C9Q2MJ3C77U4P674RPG0';
const path = '/open_api/v1.3/event/track/';
const hashed = createHash('sha256').update('jon@example.com').digest('hex');
let sink: TikTokSink | null = null;

async function start(options: Partial<TikTokSinkOptions> = {}): Promise<TikTokSink> {
  sink = await startTikTokSink({ accessToken, pixelCode, ...options });
  return sink;
}

afterEach(async () => {
  await sink?.close();
  sink = null;
});

function event(eventId: string, extra: Record<string, unknown> = {}) {
  return { event: 'CompletePayment', event_time: 1714557600, event_id: eventId, user: { email: hashed }, properties: { value: 10, currency: 'EUR' }, ...extra };
}

function request(data: unknown[], extra: Record<string, unknown> = {}) {
  return { event_source: 'web', event_source_id: pixelCode, data, ...extra };
}

async function post(body: unknown, headers: Record<string, string> = { 'access-token': accessToken }, to = path) {
  const response = await fetch(`${sink!.url}${to}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (text.startsWith('{') ? JSON.parse(text) : text) as Record<string, unknown> };
}

describe('tiktok sink: accepting events', () => {
  it('answers like TikTok (HTTP 200, code 0) and records each event with its arrival time and event_id count', async () => {
    let clock = 1_000;
    await start({ now: () => clock });
    clock = 5_000;
    const response = await post(request([event('e1'), event('e2', { event: 'ViewContent' })], { test_event_code: 'TEST1' }));
    expect(response).toStrictEqual({ status: 200, retryAfter: null, body: { code: 0, message: 'OK', request_id: 'sink-1', data: {} } });
    expect(sink!.received().map((e) => [e.eventId, e.event, e.testEventCode, e.receivedAt])).toStrictEqual([
      ['e1', 'CompletePayment', 'TEST1', 5_000], ['e2', 'ViewContent', 'TEST1', 5_000],
    ]);
    await post(request([event('e1')]));
    expect(sink!.countsByEventId()).toStrictEqual(new Map([['e1', 2], ['e2', 1]]));
    expect(sink!.stats()).toMatchObject({ requests: 2, acceptedRequests: 2, acceptedEvents: 3, rejectedByCode: {} });
  });

  it('accepts 1,000 events in one request and hashed fields given as arrays', async () => {
    await start();
    const data = Array.from({ length: 1000 }, (_, i) => event(`e${i}`, { user: { email: [hashed], phone: hashed, external_id: [hashed, hashed] } }));
    expect((await post(request(data))).body.code).toBe(0);
    expect(sink!.countsByEventId().size).toBe(1000);
  });
});

describe('tiktok sink: enforcing TikTok\'s rules (the whole request is refused)', () => {
  it.each<[string, unknown, Record<string, string> | null, number, string]>([
    ['no Access-Token', request([event('e')]), {}, 40104, 'Access token is null, you should set it in http header with key Access-Token.'],
    ['a wrong Access-Token', request([event('e')]), { 'access-token': 'revoked' }, 40105, 'Access token is incorrect or has been revoked.'],
    ['invalid JSON', '{"data":[', null, 40002, 'request body must be a JSON object'],
    ['another pixel', request([event('e')], { event_source_id: 'OTHERPIXEL' }), null, 40001, 'No permission to operate pixel_code "OTHERPIXEL".'],
    ['a missing event_source', request([event('e')], { event_source: undefined }), null, 40002, 'event_source: must be one of web, app, offline, crm'],
    ['app events', request([event('e')], { event_source: 'app' }), null, 40002, 'event_source: this sink takes web events only'],
    ['an empty data array', request([]), null, 40002, 'data: must be a non-empty array'],
    ['1,001 events', request(Array.from({ length: 1001 }, (_, i) => event(`e${i}`))), null, 40002, 'data: at most 1000 events per request, got 1001'],
    ['an event without a name', request([event('ok'), event('e', { event: '' })]), null, 40002, 'data[1].event: is required'],
    ['event_time in milliseconds', request([event('e', { event_time: 1714557600000 })]), null, 40002, 'data[0].event_time: must be a Unix time in seconds'],
    ['a missing event_time', request([event('e', { event_time: undefined })]), null, 40002, 'data[0].event_time: must be a Unix time in seconds'],
    ['a plain-text email', request([event('e', { user: { email: 'jon@example.com' } })]), null, 40002,
      'data[0].user.email: must be SHA-256 hashed (64 lowercase hex digits)'],
    ['an unhashed phone in an array', request([event('e', { user: { phone: [hashed, '+12133734253'] } })]), null, 40002,
      'data[0].user.phone: must be SHA-256 hashed (64 lowercase hex digits)'],
    ['an unhashed external_id', request([event('e', { user: { external_id: '7001' } })]), null, 40002,
      'data[0].user.external_id: must be SHA-256 hashed (64 lowercase hex digits)'],
    ['a value that is not a number', request([event('e', { properties: { value: '10.00' } })]), null, 40002, 'data[0].properties.value: must be a number'],
    ['an event_id that is not a string', request([event('e', { event_id: 7 })]), null, 40002, 'data[0].event_id: must be a string'],
  ])('refuses %s', async (_case, body, headers, code, message) => {
    // headers null: the right Access-Token
    await start();
    const response = await post(body, headers ?? { 'access-token': accessToken });
    expect(response).toMatchObject({ status: 200, body: { code, message, data: {} } });
    expect(sink!.received()).toStrictEqual([]);
    expect(sink!.stats().rejectedByCode).toStrictEqual({ [code]: 1 });
  });

  it('answers 404 for the path without its trailing slash, as TikTok does', async () => {
    await start();
    expect((await post(request([event('e')]), { 'access-token': accessToken }, '/open_api/v1.3/event/track')).status).toBe(404);
  });
});

describe('tiktok sink: faults', () => {
  it('answers a planned TikTok code for the planned number of requests, then recovers', async () => {
    await start({ faults: { rules: [{ action: tiktokCodeFault(40100, 'Requests made too frequently.'), times: 2 }] } });
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push((await post(request([event(`e${i}`)]))).body.code);
    expect(codes).toStrictEqual([40100, 40100, 0]);
    expect(sink!.received().map((e) => e.eventId)).toStrictEqual(['e2']);
    expect(sink!.stats()).toMatchObject({ faults: 2, rejectedByCode: { 40100: 2 }, acceptedRequests: 1 });
  });

  it('answers an HTTP status with Retry-After inside the rule\'s time window', async () => {
    let clock = 0;
    await start({ now: () => clock, faults: { rules: [{ action: { kind: 'status', status: 429, retryAfter: '7' }, fromMs: 100, untilMs: 200 }] } });
    expect((await post(request([event('a')]))).body.code).toBe(0);
    clock = 150;
    expect(await post(request([event('b')]))).toMatchObject({ status: 429, retryAfter: '7' });
    clock = 200;
    expect((await post(request([event('c')]))).body.code).toBe(0);
    expect(sink!.stats().rejectedByStatus).toStrictEqual({ 429: 1 });
  });

  it('hangs until the client gives up, and can be switched off with setFaults(null)', async () => {
    await start({ faults: { rules: [{ action: { kind: 'hang' } }] } });
    const hung = fetch(`${sink!.url}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'access-token': accessToken },
      body: JSON.stringify(request([event('a')])), signal: AbortSignal.timeout(100),
    });
    await expect(hung).rejects.toThrow(/aborted|timeout/i);
    sink!.setFaults(null);
    expect((await post(request([event('b')]))).body.code).toBe(0);
    expect(sink!.received().map((e) => e.eventId)).toStrictEqual(['b']);
  });
});
