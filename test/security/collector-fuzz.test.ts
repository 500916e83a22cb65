/**
 * Bad input against the storefront collector (Segment's HTTP API under /v1) of the production HTTP server on a real
 * SQLite store: generated calls and batches, garbage and mangled real payloads, every way of presenting (or not) the
 * source key, foreign and odd origins, content types, methods and endpoints. Whatever arrives, the answer is a 200
 * or a clear 4xx with a JSON `error`, never a 5xx; nothing is stored from a request without the source key or from
 * one that was refused; CORS never reflects an origin it does not allow. Fixed seed, bounded runs.
 */
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorCallTypes } from '../../src/collector/collector-intake.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { Store } from '../../src/store/store.ts';
import {
  deeplyNested, drainPipeline, expectClearAnswer, fuzzRuns, fuzzTimeoutMs, httpExchange, latin1Text, listenOnLoopback, mangledCopies, realBodies, watchUnhandled, type Answer,
} from './fuzz-kit.ts';
import { inboxTotal, serveShops, type ServedShops } from './security-harness.ts';

const shop = 'fuzz-collector.myshopify.com';
const sourceKey = 'pk_fuzz_source_key';
const storefront = 'https://fuzz-collector.example';
const bodyLimitBytes = 16 * 1024;
const seed = 20_261_122;

// ---------- generated input ----------

type Json = Record<string, unknown>;
const anyJson = fc.jsonValue({ maxDepth: 3 });
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

/** Mostly well-formed Segment calls, every field sometimes of the wrong type. */
const callArb: fc.Arbitrary<Json> = fc.record({
  type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...collectorCallTypes) }, anyJson),
  event: fc.oneof(fc.constantFrom('Product Viewed', 'Checkout Started'), anyJson),
  anonymousId: fc.oneof(fc.uuid(), anyJson),
  userId: anyJson,
  messageId: fc.oneof(fc.uuid(), fc.string({ maxLength: 120 }), anyJson),
  timestamp: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anyJson),
  properties: fc.oneof(fc.object({ maxDepth: 2 }), anyJson),
  context: fc.oneof(fc.object({ maxDepth: 2 }), anyJson),
  integrations: anyJson,
  sentAt: anyJson,
}, { requiredKeys: [] }).map((call) => Object.fromEntries(Object.entries(call).filter(([, v]) => v !== undefined)));

const batchArb: fc.Arbitrary<Json> = fc.record({
  batch: fc.oneof({ weight: 4, arbitrary: fc.array(fc.oneof({ weight: 4, arbitrary: callArb }, anyJson), { maxLength: 6 }) }, anyJson),
  context: maybe(fc.oneof(fc.object({ maxDepth: 2 }), anyJson)),
  sentAt: maybe(anyJson),
}).map((batch) => Object.fromEntries(Object.entries(batch).filter(([, v]) => v !== undefined)));

/** A body the key may be added to (an object) or raw bytes sent as they are. */
type BodyChoice = { kind: 'object'; value: Json } | { kind: 'bytes'; value: Buffer };

const rawBodyArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 1024 }).map((bytes) => Buffer.from(bytes)),
  fc.json().map((text) => Buffer.from(text)),
  fc.constantFrom(...realBodies.filter((body) => body.length < bodyLimitBytes)),
  mangledCopies(realBodies),
  fc.integer({ min: -8, max: 8 }).map((delta) => Buffer.alloc(bodyLimitBytes + delta, ' ')),
  fc.constantFrom(deeplyNested('"type":"track",', 5_000), deeplyNested(`"writeKey":"${sourceKey}",`, 5_000)),
);

const bodyArb: fc.Arbitrary<BodyChoice> = fc.oneof(
  { weight: 3, arbitrary: callArb.map((value) => ({ kind: 'object' as const, value })) },
  { weight: 3, arbitrary: batchArb.map((value) => ({ kind: 'object' as const, value })) },
  { weight: 2, arbitrary: rawBodyArb.map((value) => ({ kind: 'bytes' as const, value })) },
);

type KeyChoice = 'basic' | 'basic-wrong' | 'body' | 'body-wrong' | 'body-not-string' | 'none' | 'garbage-header' | 'bearer';
const keyArb: fc.Arbitrary<KeyChoice> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<KeyChoice>('basic', 'body') },
  fc.constantFrom<KeyChoice>('basic-wrong', 'body-wrong', 'body-not-string', 'none', 'garbage-header', 'bearer'),
);

const originArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.constant(storefront) },
  fc.constantFrom(`${storefront}/`, storefront.toUpperCase(), 'https://evil.example', 'null', '', `${storefront}.evil.example`),
  latin1Text,
);

const endpointArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('batch', 't', 'track', 'p', 'page', 'i', 'identify', 'a', 'alias') },
  fc.constantFrom('screen', 'group', 'import', 'BATCH', 'x', '%00', '..%2F..%2Fapi%2Fstatus'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);

interface CollectorCase {
  method: 'POST' | 'OPTIONS' | 'GET' | 'PUT';
  endpoint: string;
  body: BodyChoice;
  key: KeyChoice;
  origin: string | undefined;
  contentType: string | undefined;
  forwardedFor: string | undefined;
}

const caseArb: fc.Arbitrary<CollectorCase> = fc.record({
  method: fc.oneof({ weight: 12, arbitrary: fc.constant('POST' as const) }, fc.constantFrom<CollectorCase['method']>('OPTIONS', 'GET', 'PUT')),
  endpoint: endpointArb,
  body: bodyArb,
  key: keyArb,
  origin: originArb,
  contentType: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('application/json', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x') },
    latin1Text, fc.constant(undefined)),
  forwardedFor: maybe(fc.oneof(fc.ipV4(), fc.ipV6(), latin1Text)),
});

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

function bodyBytes(body: BodyChoice, key: KeyChoice): Buffer {
  if (body.kind === 'bytes') return body.value;
  const writeKey = { body: sourceKey, 'body-wrong': `${sourceKey}-old`, 'body-not-string': [sourceKey] }[key as string];
  return Buffer.from(JSON.stringify(writeKey === undefined ? body.value : { ...body.value, writeKey }));
}

function authorization(key: KeyChoice): string | undefined {
  const values: Partial<Record<KeyChoice, string>> = {
    basic: basic(sourceKey), 'basic-wrong': basic('pk_guess'), 'garbage-header': 'Basic !!!not-base64', bearer: `Bearer ${sourceKey}`,
  };
  return values[key];
}

/** The request of a case, and whether it presents the source key where the collector reads it. */
function requestOf(testCase: CollectorCase): { headers: Record<string, string>; body: Buffer; keyed: boolean } {
  const body = bodyBytes(testCase.body, testCase.key);
  const headers: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => { if (value !== undefined) headers[name] = value; };
  set('authorization', authorization(testCase.key));
  set('origin', testCase.origin);
  set('content-type', testCase.contentType);
  set('x-forwarded-for', testCase.forwardedFor);
  const keyed = testCase.key === 'basic' || (testCase.key === 'body' && testCase.body.kind === 'object');
  return { headers, body, keyed };
}

// ---------- the server under test ----------

let served: ServedShops;
let store: Store;
let baseUrl: string;
const unhandled = watchUnhandled();

beforeAll(async () => {
  served = await serveShops({}, createLogger('silent'), {
    collector: {
      shop, sourceKey, allowedOrigins: [storefront], bodyLimitBytes, maxEventBytes: 4 * 1024,
      rateLimit: { perMinute: 1_000_000 }, trustedProxies: ['127.0.0.1'],
    },
  });
  store = served.store;
  baseUrl = await listenOnLoopback(served.app);
});

afterAll(async () => {
  await served.close();
  unhandled.stop();
});

type Send = (testCase: CollectorCase, headers: Record<string, string>, body: Buffer) => Promise<Answer>;

const injectSend: Send = (testCase, headers, body) => served.app
  .inject({ method: testCase.method, url: `/v1/${testCase.endpoint}`, headers, ...(testCase.method === 'GET' ? {} : { payload: body }) })
  .then((response) => ({ status: response.statusCode, text: response.body, headers: response.headers }));

const httpSend: Send = (testCase, headers, body) =>
  httpExchange(`${baseUrl}/v1/${testCase.endpoint}`, testCase.method, headers, testCase.method === 'GET' ? Buffer.alloc(0) : body);

function allowedOrigin(origin: string | undefined): boolean {
  return origin === undefined || origin.trim().replace(/\/+$/, '').toLowerCase() === storefront;
}

async function checkCase(testCase: CollectorCase, send: Send): Promise<void> {
  const { headers, body, keyed } = requestOf(testCase);
  const before = await inboxTotal(store);
  const answer = await send(testCase, headers, body);
  expectClearAnswer(answer);
  const after = await inboxTotal(store);
  if (!allowedOrigin(testCase.origin)) expect(answer.headers?.['access-control-allow-origin']).toBeUndefined();
  if (answer.status !== 200) {
    expect(after).toBe(before);
    return;
  }
  expect(keyed, 'a 200 without the source key').toBe(true);
  const json = JSON.parse(answer.text) as { success: boolean; stored: number };
  expect(json.success).toBe(true);
  expect(after).toBe(before + json.stored);
}

describe('bad input on the collector (/v1/*)', () => {
  it('answers generated requests (inject) with 200 or a clear 4xx and stores only keyed, valid calls', async () => {
    await fc.assert(fc.asyncProperty(caseArb, (testCase) => checkCase(testCase, injectSend)), { seed, numRuns: fuzzRuns(300) });
  }, fuzzTimeoutMs);

  it('does the same over real HTTP on 127.0.0.1', async () => {
    await fc.assert(fc.asyncProperty(caseArb, (testCase) => checkCase(testCase, httpSend)), { seed: seed + 1, numRuns: fuzzRuns(40) });
  }, fuzzTimeoutMs);

  it('refuses JSON nested too deeply to copy with 400, even with the right key', async () => {
    const before = await inboxTotal(store);
    const answer = await injectSend(
      { method: 'POST', endpoint: 't', body: { kind: 'bytes', value: Buffer.alloc(0) }, key: 'basic', origin: undefined, contentType: undefined, forwardedFor: undefined },
      { authorization: basic(sourceKey), 'content-type': 'application/json' }, deeplyNested('"type":"track",', 5_000));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toStrictEqual({ error: 'body nests deeper than 64 levels' });
    expect(await inboxTotal(store)).toBe(before);
  });

  it('maps or keeps as failed (with a reason) every call it stored, none left pending', async () => {
    expect(await inboxTotal(store)).toBeGreaterThan(0);
    await drainPipeline(store, 2_000);
    expect((await store.counts()).inbox.pending).toBe(0);
    for (const row of await store.listFailedInbox(10_000)) expect(row.reason, row.webhookId).toMatch(/\S/);
  });

  it('had no unhandled rejection or uncaught exception', () => {
    expect(unhandled.seen).toStrictEqual([]);
  });
});
