/**
 * Bad input against the real webhook endpoint (real HTTP server, real SQLite store): generated bodies, headers,
 * content types and sizes. Whatever arrives, the answer is a 200 or a clear 4xx with a JSON `error`, never a 5xx
 * or a crash; nothing unsigned is stored; signed garbage is stored and later kept as failed with a reason.
 * A small fixed-seed subset: the long run belongs to the soak script.
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestHttpServer } from '../../src/server/test-http-server.ts';
import { signShopifyBody } from '../../src/shopify/webhook-hmac.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { deeplyNested, drainPipeline, exemplars, fuzzRuns, fuzzTimeoutMs, httpExchange, latin1Text, listenOnLoopback, mangledCopies, realBodies, samples, watchUnhandled, type Answer } from './fuzz-kit.ts';
import { inboxTotal } from './security-harness.ts';

const shop = 'fuzz-shop.myshopify.com';
const secret = 'fuzz-webhook-secret';
const bodyLimitBytes = 32 * 1024;
const seed = 20_250_607;

// ---------- generated input ----------

const bodyArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.json().map((text) => Buffer.from(text)),
  fc.constantFrom(...realBodies),
  mangledCopies(realBodies), // truncated and garbled copies of real payloads
  // sizes around the body limit
  fc.integer({ min: -8, max: 8 }).map((delta) => Buffer.alloc(bodyLimitBytes + delta, '{')),
);

/** How a header is sent; `valid` stands for the right value, filled in once the body is known. */
type HeaderChoice =
  | { kind: 'valid' } | { kind: 'missing' } | { kind: 'empty' } | { kind: 'huge' }
  | { kind: 'text'; value: string } | { kind: 'twice' } | { kind: 'array-with-garbage'; garbage: string };

const headerChoiceArb: fc.Arbitrary<HeaderChoice> = fc.oneof(
  { weight: 14, arbitrary: fc.constant({ kind: 'valid' as const }) },
  fc.constant({ kind: 'missing' as const }),
  fc.constant({ kind: 'empty' as const }),
  fc.constant({ kind: 'huge' as const }),
  fc.constant({ kind: 'twice' as const }),
  latin1Text.map((value) => ({ kind: 'text' as const, value })),
  latin1Text.map((garbage) => ({ kind: 'array-with-garbage' as const, garbage })),
);

type Signing = 'right' | 'wrong-secret' | 'other-body' | 'garbage' | 'none' | 'truncated';
const signingArb = fc.constantFrom<Signing>('right', 'right', 'wrong-secret', 'other-body', 'garbage', 'none', 'truncated');

const contentTypeArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant('application/json') },
  fc.constantFrom('text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded',
    'application/json; charset=utf-16', 'APPLICATION/JSON', '', '*/*', 'application/json, text/plain'),
  latin1Text,
  fc.constant(undefined),
);

interface FuzzCase {
  body: Buffer;
  signing: Signing;
  contentType: string | undefined;
  hmac: HeaderChoice;
  topic: HeaderChoice;
  shop: HeaderChoice;
  webhookId: HeaderChoice;
  upperCaseNames: boolean;
  extraHeaders: [string, string][];
}

const caseArb: fc.Arbitrary<FuzzCase> = fc.record({
  body: bodyArb,
  signing: signingArb,
  contentType: contentTypeArb,
  hmac: headerChoiceArb,
  topic: headerChoiceArb,
  shop: headerChoiceArb,
  webhookId: headerChoiceArb,
  upperCaseNames: fc.boolean(),
  extraHeaders: fc.array(fc.tuple(fc.constantFrom('x-shopify-event-id', 'x-shopify-api-version', 'x-shopify-triggered-at', 'x-shopify-extra', 'x-forwarded-for'), latin1Text), { maxLength: 3 }),
});

let webhookCounter = 0;

function signatureFor(testCase: FuzzCase): string | undefined {
  const right = signShopifyBody(testCase.body, secret);
  switch (testCase.signing) {
    case 'right': return right;
    case 'wrong-secret': return signShopifyBody(testCase.body, `${secret}-old`);
    case 'other-body': return signShopifyBody(Buffer.concat([testCase.body, Buffer.from(' ')]), secret);
    case 'garbage': return Buffer.from('not a signature').toString('base64');
    case 'truncated': return right.slice(0, 20);
    case 'none': return undefined;
  }
}

/** A header's value(s) for a choice, or undefined to leave it out. */
function headerValue(choice: HeaderChoice, valid: string | undefined): string | string[] | undefined {
  switch (choice.kind) {
    case 'valid': return valid;
    case 'missing': return undefined;
    case 'empty': return '';
    case 'huge': return 'h'.repeat(8 * 1024);
    case 'text': return choice.value;
    case 'twice': return valid === undefined ? undefined : [valid, valid];
    case 'array-with-garbage': return valid === undefined ? [choice.garbage] : [choice.garbage, valid];
  }
}

/** The request headers of a case; `signed` is true when the right signature is the one the server will read. */
function requestHeaders(testCase: FuzzCase): { headers: Record<string, string | string[]>; correctlySigned: boolean } {
  webhookCounter += 1;
  const signature = signatureFor(testCase);
  const values: [string, string | string[] | undefined][] = [
    ['x-shopify-hmac-sha256', headerValue(testCase.hmac, signature)],
    ['x-shopify-topic', headerValue(testCase.topic, 'orders/create')],
    ['x-shopify-shop-domain', headerValue(testCase.shop, shop)],
    ['x-shopify-webhook-id', headerValue(testCase.webhookId, `fuzz-${webhookCounter}`)],
    ['content-type', testCase.contentType],
    ...testCase.extraHeaders,
  ];
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of values) {
    if (value !== undefined) headers[testCase.upperCaseNames ? name.toUpperCase() : name] = value;
  }
  return { headers, correctlySigned: testCase.signing === 'right' };
}

// ---------- the server under test ----------

let store: Store;
let app: FastifyInstance;
let baseUrl: string;
const unhandled = watchUnhandled();

beforeAll(async () => {
  store = await openStore(':memory:');
  app = buildTestHttpServer(store, { domain: shop, secret, bodyLimitBytes });
  baseUrl = await listenOnLoopback(app);
});

afterAll(async () => {
  await app.close();
  await store.close();
  unhandled.stop();
});

/** The answer must be a 200 `{ ok: true }` or a 4xx with a JSON `error` string. */
function expectClearAnswer(answer: Answer): void {
  expect(answer.status, answer.text).toBeLessThan(500);
  const json = JSON.parse(answer.text) as Record<string, unknown>;
  if (answer.status === 200) expect(json.ok).toBe(true);
  else {
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(typeof json.error).toBe('string');
  }
}

async function checkCase(testCase: FuzzCase, send: (headers: Record<string, string | string[]>, body: Buffer) => Promise<Answer>): Promise<void> {
  const { headers, correctlySigned } = requestHeaders(testCase);
  const before = await inboxTotal(store);
  const answer = await send(headers, testCase.body);
  expectClearAnswer(answer);
  const after = await inboxTotal(store);
  if (!correctlySigned) {
    expect(answer.status).not.toBe(200);
    expect(after).toBe(before);
  }
  if (answer.status !== 200) expect(after).toBe(before);
}

function injectSend(headers: Record<string, string | string[]>, body: Buffer): Promise<Answer> {
  return app.inject({ method: 'POST', url: '/webhooks/shopify', headers, payload: body })
    .then((response) => ({ status: response.statusCode, text: response.body }));
}

function httpSend(headers: Record<string, string | string[]>, body: Buffer): Promise<Answer> {
  return httpExchange(`${baseUrl}/webhooks/shopify`, 'POST', headers, body);
}

/** Writes raw bytes on a socket and returns whatever comes back before the server closes it (or a short wait). */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(new URL(baseUrl).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => { received += chunk.toString('latin1'); });
    socket.on('error', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.setTimeout(300, () => socket.destroy());
    socket.end(bytes);
  });
}

function signedRequest(body: Buffer, webhookId: string, topic = 'orders/create'): Record<string, string> {
  return {
    'content-type': 'application/json', 'x-shopify-hmac-sha256': signShopifyBody(body, secret),
    'x-shopify-topic': topic, 'x-shopify-shop-domain': shop, 'x-shopify-webhook-id': webhookId,
  };
}

describe('bad input on POST /webhooks/shopify', () => {
  it('answers generated requests (inject) with 200 or a clear 4xx and stores only correctly signed ones', async () => {
    await fc.assert(fc.asyncProperty(caseArb, (testCase) => checkCase(testCase, injectSend)), { seed, numRuns: fuzzRuns(250) });
  }, fuzzTimeoutMs);

  it('does the same over real HTTP on 127.0.0.1', async () => {
    // Real sockets: Node's parser joins duplicated x-shopify-* headers with ", " before the app sees them.
    const overHttp = caseArb.filter((c) => c.body.length < 4096);
    await fc.assert(fc.asyncProperty(overHttp, (testCase) => checkCase(testCase, httpSend)), { seed: seed + 1, numRuns: fuzzRuns(40) });
  }, fuzzTimeoutMs);

  it('answers a body just over the limit with 413 and one at the limit with 200', async () => {
    const atLimit = Buffer.alloc(bodyLimitBytes, ' ');
    const overLimit = Buffer.alloc(bodyLimitBytes + 1, ' ');
    const ok = await httpSend(signedRequest(atLimit, 'at-limit'), atLimit);
    const tooBig = await httpSend(signedRequest(overLimit, 'over-limit'), overLimit);
    expect(ok.status).toBe(200);
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.text)).toStrictEqual({ error: `body over the ${bodyLimitBytes}-byte limit` });
  });

  it('survives malformed HTTP on a raw socket and keeps answering', async () => {
    const before = await inboxTotal(store);
    const exchanges = await Promise.all([
      rawExchange('POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"id":'), // body cut short
      rawExchange('POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nnope\r\n'), // bad chunk
      rawExchange(`POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nX-Shopify-Topic: ${'t'.repeat(20_000)}\r\n\r\n`), // header too large
      rawExchange('\x00\x01\x02 garbage \r\n\r\n'),
      rawExchange('POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n'),
    ]);
    for (const reply of exchanges) expect(reply === '' || /^HTTP\/1\.1 4\d\d /.test(reply), reply).toBe(true);
    const health = await fetch(`${baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await inboxTotal(store)).toBe(before);
  });

  it('refuses a request whose shop header names the shop twice with different values', async () => {
    const body = samples[0] ?? Buffer.from('{}');
    const headers = { ...signedRequest(body, 'two-shops'), 'x-shopify-shop-domain': ['stranger.myshopify.com', shop] };
    const before = await inboxTotal(store);
    const answer = await injectSend(headers, body);
    expect(answer.status).toBe(401);
    expect(await inboxTotal(store)).toBe(before);
  });

  it('had no unhandled rejection or uncaught exception', () => {
    expect(unhandled.seen).toStrictEqual([]);
  });
});

describe('signed garbage', () => {
  const garbage = [
    Buffer.from('{"id": 1,'),
    Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
    Buffer.from(''),
    Buffer.from('[]'),
    Buffer.from('null'),
    Buffer.from('"just a string"'),
    Buffer.from(JSON.stringify({ id: 'not a number', line_items: 'nope', total_price: {} })),
    ...exemplars.slice(0, 4).map((body) => body.subarray(0, Math.floor(body.length / 2))),
    deeplyNested('"id":1,', 5_000),
  ];

  it('is stored (200), then kept as failed with a reason, and never blocks the valid webhook behind it', async () => {
    const ids: string[] = [];
    for (const [index, body] of garbage.entries()) {
      const webhookId = `garbage-${index}`;
      ids.push(webhookId);
      const answer = await injectSend(signedRequest(body, webhookId), body);
      expect(answer.status, webhookId).toBe(200);
    }
    const valid = samples.find((body) => body.includes('"order_number"')) ?? Buffer.from('{}');
    expect((await injectSend(signedRequest(valid, 'valid-after-garbage'), valid)).status).toBe(200);

    await drainPipeline(store, 2_000); // every stored row, garbage and fuzz rows included

    const counts = await store.counts();
    expect(counts.inbox.pending).toBe(0);
    const failed = await store.listFailedInbox(10_000);
    const failedIds = new Set(failed.map((row) => row.webhookId));
    for (const id of ids) expect(failedIds.has(id), `${id} kept as failed`).toBe(true);
    for (const row of failed) expect(row.reason, row.webhookId).toMatch(/\S/);
    expect(failedIds.has('valid-after-garbage')).toBe(false);
    expect(counts.outbox.pending).toBeGreaterThan(0);
  });
});
