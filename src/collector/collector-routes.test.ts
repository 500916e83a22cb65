import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInboxWriter } from '../ingest/inbox-writer.ts';
import { mapCollectorEvent } from '../mapping/collector-events.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import { openStore } from '../store/open-store.ts';
import type { InboxRow, Store } from '../store/store.ts';
import { collectorRoutes, type CollectorRoutesOptions } from './collector-routes.ts';

const shop = 'shop-one.myshopify.com';
const sourceKey = 'pk_live_source_key';
const storefront = 'https://shop-one.example';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const track = { type: 'track', event: 'Product Viewed', anonymousId: 'anon-1', messageId: 'ajs-m-1', timestamp: '2026-01-02T03:04:05.000Z', properties: { product_id: 'p1' } };

let store: Store;
let app: FastifyInstance;
let clock: number;

async function start(overrides: Partial<CollectorRoutesOptions> = {}): Promise<void> {
  app = Fastify();
  await app.register(collectorRoutes, {
    writer: createInboxWriter(store), shop, sourceKey, allowedOrigins: [storefront], bodyLimitBytes: 64 * 1024,
    maxEventBytes: 32 * 1024, rateLimit: { perMinute: 100 }, trustedProxies: ['10.0.0.0/8'], now: () => clock,
    ...overrides,
  });
  await app.ready();
}

beforeEach(async () => {
  store = await openStore(':memory:');
  clock = Date.parse('2026-01-02T03:04:06.000Z');
  await start();
});

afterEach(async () => {
  await app.close();
  await store.close();
});

interface PostOptions {
  url?: string;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

function post(payload: unknown, { url = '/v1/track', headers = {}, remoteAddress = '203.0.113.7' }: PostOptions = {}) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const all = { 'content-type': 'application/json', 'user-agent': 'test-browser', authorization: basic(sourceKey), ...headers };
  return app.inject({ method: 'POST', url, payload: body, headers: all, remoteAddress });
}

async function storedRows(): Promise<InboxRow[]> {
  return store.claimInbox({ worker: 't', limit: 100, leaseMs: 1000, now: clock });
}

const storedEvent = (row: InboxRow | undefined) => JSON.parse(row?.body.toString('utf8') ?? 'null') as Record<string, unknown>;

describe('POST /v1/track and friends', () => {
  it('stores one track call as one collector delivery, enriched, before answering 200', async () => {
    const response = await post(track, { headers: { 'user-agent': 'Mozilla/5.0 test' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual({ success: true, stored: 1, duplicates: 0 });
    const [row, ...rest] = await storedRows();
    expect(rest).toHaveLength(0);
    expect(row).toMatchObject({ shop, source: 'collector', topic: 'collector/track', webhookId: 'collector:ajs-m-1', receivedAt: clock });
    expect(storedEvent(row)).toStrictEqual({
      ...track, context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 test' }, receivedAt: '2026-01-02T03:04:06.000Z',
    });
  });

  it.each([
    ['/v1/t', 'collector/track'], ['/v1/p', 'collector/page'], ['/v1/i', 'collector/identify'], ['/v1/a', 'collector/alias'],
    ['/v1/track', 'collector/track'], ['/v1/page', 'collector/page'], ['/v1/identify', 'collector/identify'], ['/v1/alias', 'collector/alias'],
  ])('takes the call type from %s (topic %s)', async (url, topic) => {
    expect((await post({ anonymousId: 'a', userId: 'u', previousId: 'p', event: 'X', messageId: 'm' }, { url })).statusCode).toBe(200);
    const [row] = await storedRows();
    expect(row?.topic).toBe(topic);
    expect(storedEvent(row).type).toBe(topic.slice('collector/'.length));
  });

  it('stores what the collector mapper turns back into the call the client sent', async () => {
    await post(track);
    const [row] = await storedRows();
    const context = { shop, topic: row?.topic ?? '', webhookId: row?.webhookId ?? '', apiVersion: null, triggeredAt: null };
    const result = mapCollectorEvent(parseJsonExact(row?.body ?? Buffer.alloc(0)), context);
    expect(result).toMatchObject({ kind: 'mapped', messages: [{ type: 'track', event: 'Product Viewed', anonymousId: 'anon-1', timestamp: track.timestamp }] });
  });

  it('answers 404 for an endpoint Segment does not have', async () => {
    expect((await post(track, { url: '/v1/screenz' })).statusCode).toBe(404);
  });

  it('keeps the ip and user agent a server-side library sent for its user', async () => {
    await post({ ...track, context: { ip: '198.51.100.1', userAgent: 'their-browser' } }, { headers: { 'user-agent': 'analytics-node' } });
    expect(storedEvent((await storedRows())[0]).context).toStrictEqual({ ip: '198.51.100.1', userAgent: 'their-browser' });
  });
});

describe('POST /v1/batch', () => {
  it('stores each call as its own delivery, applying the batch context and sentAt', async () => {
    const page = { type: 'page', anonymousId: 'anon-1', messageId: 'ajs-m-2', name: 'Home' };
    const response = await post({ batch: [track, page], context: { locale: 'en-GB' }, sentAt: '2026-01-02T03:04:05.500Z' }, { url: '/v1/batch' });
    expect(response.json()).toStrictEqual({ success: true, stored: 2, duplicates: 0 });
    const rows = await storedRows();
    expect(rows.map((row) => row.topic)).toStrictEqual(['collector/track', 'collector/page']);
    expect(storedEvent(rows[1])).toStrictEqual({
      ...page, sentAt: '2026-01-02T03:04:05.500Z', context: { locale: 'en-GB', ip: '203.0.113.7', userAgent: 'test-browser' }, receivedAt: '2026-01-02T03:04:06.000Z',
    });
  });

  it.each([
    ['an empty batch', { batch: [] }, 'batch must be a non-empty array of calls'],
    ['a call that is not an object', { batch: [track, 'x'] }, 'batch[1] must be an object'],
    ['an unknown call type', { batch: [{ ...track, type: 'purchase' }] }, 'batch[0]: type must be one of track, page, identify, alias, screen, group'],
    ['an over-long messageId', { batch: [{ ...track, messageId: 'm'.repeat(101) }] }, 'batch[0]: messageId must be a string of 1 to 100 characters'],
  ])('refuses %s with 400 and stores nothing', async (_name, payload, error) => {
    const response = await post(payload, { url: '/v1/batch' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toStrictEqual({ error });
    expect(await storedRows()).toHaveLength(0);
  });

  it('refuses a batch with one event over 32 KB with 400 naming it, and stores none of the batch', async () => {
    const big = { ...track, messageId: 'big', properties: { blob: 'x'.repeat(33 * 1024) } };
    const response = await post({ batch: [track, big] }, { url: '/v1/batch' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatch(/^batch\[1\] is \d+ bytes; the limit is 32768 bytes per event$/);
    expect(await storedRows()).toHaveLength(0);
  });
});

describe('authentication', () => {
  it.each([
    ['Basic auth with the source key', { authorization: basic(sourceKey) }, {}, 200],
    ['Basic auth with a password part', { authorization: `Basic ${Buffer.from(`${sourceKey}:x`).toString('base64')}` }, {}, 200],
    ['writeKey in the body', { authorization: '' }, { writeKey: sourceKey }, 200],
    ['a wrong Basic key', { authorization: basic('pk_wrong') }, {}, 401],
    ['a wrong body writeKey', { authorization: '' }, { writeKey: 'pk_wrong' }, 401],
    ['a bearer token instead of Basic', { authorization: `Bearer ${sourceKey}` }, {}, 401],
    ['no key at all', { authorization: '' }, {}, 401],
  ])('%s → %s', async (_name, headers, extra, status) => {
    const response = await post({ ...track, ...extra }, { headers });
    expect(response.statusCode).toBe(status);
    if (status === 401) expect(response.json()).toHaveProperty('error');
    expect(await storedRows()).toHaveLength(status === 200 ? 1 : 0);
  });

  it('accepts a sendBeacon text/plain body carrying the writeKey, and does not store the key', async () => {
    const response = await post({ ...track, writeKey: sourceKey }, {
      headers: { authorization: '', 'content-type': 'text/plain;charset=UTF-8', origin: storefront },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(storefront);
    expect(storedEvent((await storedRows())[0])).not.toHaveProperty('writeKey');
  });

  it('refuses a body that is not a JSON object with 400', async () => {
    const response = await post('not json');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toStrictEqual({ error: 'body must be a JSON object' });
  });
});

describe('CORS', () => {
  const preflight = (origin: string) => app.inject({
    method: 'OPTIONS', url: '/v1/batch',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });

  it('answers a preflight from an allowed origin, reflecting it', async () => {
    const response = await preflight(storefront);
    expect(response.statusCode).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': storefront, 'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'content-type, authorization', vary: 'Origin',
    });
  });

  it('refuses a preflight and a post from another origin without reflecting it', async () => {
    const response = await preflight('https://evil.example');
    expect(response.statusCode).toBe(403);
    expect(response.headers).not.toHaveProperty('access-control-allow-origin');
    const posted = await post(track, { headers: { origin: 'https://evil.example' } });
    expect(posted.statusCode).toBe(403);
    expect(await storedRows()).toHaveLength(0);
  });
});

describe('limits', () => {
  it('refuses a body over the limit with 413', async () => {
    const response = await post({ batch: [track], padding: 'x'.repeat(65 * 1024) }, { url: '/v1/batch' });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toStrictEqual({ error: 'body over the 65536-byte limit' });
  });

  it('answers 429 with Retry-After once an IP spends its budget, per IP, and refills with time', async () => {
    await app.close();
    await start({ rateLimit: { perMinute: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post({ ...track, messageId: `m${i}` })).statusCode);
    expect(statuses).toStrictEqual([200, 200, 429]);
    const limited = await post(track);
    expect(limited.headers['retry-after']).toBe('30');
    expect((await post(track, { remoteAddress: '203.0.113.8' })).statusCode).toBe(200);
    clock += 30_000;
    expect((await post({ ...track, messageId: 'later' })).statusCode).toBe(200);
  });
});

describe('client address', () => {
  it('honours X-Forwarded-For from a trusted proxy, taking the hop before it', async () => {
    await post(track, { remoteAddress: '10.1.2.3', headers: { 'x-forwarded-for': '1.1.1.1, 198.51.100.9, 10.0.0.5' } });
    expect(storedEvent((await storedRows())[0]).context).toMatchObject({ ip: '198.51.100.9' });
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    await post(track, { remoteAddress: '203.0.113.7', headers: { 'x-forwarded-for': '198.51.100.9' } });
    expect(storedEvent((await storedRows())[0]).context).toMatchObject({ ip: '203.0.113.7' });
  });
});

describe('deduplication', () => {
  it('stores a repeated messageId once and says so', async () => {
    expect((await post(track)).json()).toStrictEqual({ success: true, stored: 1, duplicates: 0 });
    expect((await post({ ...track, properties: { changed: true } })).json()).toStrictEqual({ success: true, stored: 0, duplicates: 1 });
    expect(await storedRows()).toHaveLength(1);
    expect((await store.counts()).duplicates).toBe(1);
  });

  it('gives an event without messageId an id derived from it, so a resend (new sentAt) is a duplicate', async () => {
    const { messageId: _id, ...bare } = track;
    await post({ batch: [bare], sentAt: '2026-01-02T03:04:05.500Z' }, { url: '/v1/batch' });
    const again = await post({ batch: [bare], sentAt: '2026-01-02T03:04:09.000Z' }, { url: '/v1/batch' });
    expect(again.json()).toStrictEqual({ success: true, stored: 0, duplicates: 1 });
    const [row] = await storedRows();
    expect(row?.webhookId).toMatch(/^collector:cs-auto-[0-9a-f]{32}$/);
    expect(storedEvent(row).messageId).toBe(row?.webhookId.slice('collector:'.length));
  });
});
