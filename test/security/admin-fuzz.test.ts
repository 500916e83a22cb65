/**
 * Bad input against the admin API (/api, bearer token) and the web console's files (/console) of the production HTTP
 * server, on a real SQLite store holding mapped, delivered, dead and failed rows: generated paths, methods, query
 * strings, JSON and non-JSON bodies, content types and authorization headers. Whatever arrives, the answer is a 2xx,
 * a redirect, or a clear 4xx with a JSON `error`, never a 5xx; a request without the token changes nothing and learns
 * nothing; the console never serves a file outside its own. Fixed seed, bounded runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import type { Store } from '../../src/store/store.ts';
import { drainPipeline, expectClearAnswer, fuzzRuns, fuzzTimeoutMs, latin1Text, mangledCopies, realBodies, samples, watchUnhandled, type Answer } from './fuzz-kit.ts';
import { serveShops, type ServedShops } from './security-harness.ts';

const shop = 'fuzz-admin.myshopify.com';
const token = 'fuzz-admin-token-0123456789';
const seed = 20_261_123;
const t0 = Date.parse('2026-11-20T10:00:00.000Z');

// ---------- generated input ----------

const routePaths = [
  '/api/status', '/api/deliveries/failed', '/api/deliveries/reprocess', '/api/dead-letters', '/api/dead-letters/replay',
  '/api/messages/replay', '/api/events', '/api/accuracy', '/api/customers/115310627314723954/journey', '/api/timeseries',
  '/api/queues', '/api/openapi.json',
];
const queryNames = ['limit', 'payload', 'destination', 'shop', 'event', 'customer', 'order', 'since', 'until', 'minutes', 'unknown', '__proto__', 'constructor'];
const bodyNames = ['ids', 'destination', 'since', 'until', 'orderIds', 'dryRun', 'unknown', '__proto__', 'constructor'];

/** Values that are almost right, of the wrong type, or hostile. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(1, 0, -1, 1_000, 1_001, 2 ** 53, 1e308, 1.5, '1', 'true', 'false', '', ' ', 'segment', 'tiktok', '820982911946154508',
    '2026-11-20T10:00:00Z', '2026-11-20T10:00:00+14:00', '2026-13-45T99:99:99Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z',
    null, true, [], {}, [1, 2, 3], ['820982911946154508'], [-1], 'Order Completed', '%00', '../../etc/passwd'),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 40 }),
);

const queryArb = fc.array(fc.tuple(fc.constantFrom(...queryNames), oddValue), { maxLength: 4 }).map((pairs) =>
  pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`).join('&'));

const pathArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...routePaths) },
  fc.string({ maxLength: 16 }).map((id) => `/api/customers/${encodeURIComponent(id)}/journey`),
  fc.constantFrom('/api/customers//journey', '/api/customers/%ZZ/journey', '/api', '/api/', '/api/STATUS', '/api/status/', '/api/../console/',
    '/api/%2e%2e/healthz', '/api/status%00', `/api/${'x'.repeat(5_000)}`),
  fc.webPath().map((path) => `/api${path}`),
);

const jsonBodyArb = fc.dictionary(fc.constantFrom(...bodyNames), oddValue, { maxKeys: 4 }).map((body) => Buffer.from(JSON.stringify(body)));
const bodyArb = fc.oneof(
  { weight: 4, arbitrary: jsonBodyArb },
  fc.json().map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  mangledCopies(samples.slice(0, 3)),
  fc.constant(Buffer.from(`{"ids":${'['.repeat(3_000)}${']'.repeat(3_000)}}`)),
  fc.constant(Buffer.from('{"__proto__":{"polluted":true},"destination":"segment"}')),
);

type AuthChoice = 'right' | 'lowercase-scheme' | 'wrong' | 'prefix' | 'no-scheme' | 'basic' | 'empty' | 'none' | 'garbage';
const authArb: fc.Arbitrary<AuthChoice> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom<AuthChoice>('right', 'lowercase-scheme') },
  fc.constantFrom<AuthChoice>('wrong', 'prefix', 'no-scheme', 'basic', 'empty', 'none', 'garbage'),
);

interface AdminCase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';
  path: string;
  query: string;
  body: Buffer;
  auth: AuthChoice;
  garbageAuth: string;
  contentType: string | undefined;
}

const caseArb: fc.Arbitrary<AdminCase> = fc.record({
  method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('GET' as const, 'POST' as const) }, fc.constantFrom('PUT' as const, 'DELETE' as const, 'PATCH' as const, 'HEAD' as const)),
  path: pathArb,
  query: queryArb,
  body: bodyArb,
  auth: authArb,
  garbageAuth: latin1Text,
  contentType: fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    fc.constantFrom('text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'APPLICATION/JSON'),
    latin1Text, fc.constant(undefined)),
});

function authorization(testCase: AdminCase): string | undefined {
  const values: Record<AuthChoice, string | undefined> = {
    right: `Bearer ${token}`, 'lowercase-scheme': `bearer ${token}`, wrong: `Bearer ${token}x`, prefix: `Bearer ${token.slice(0, -1)}`,
    'no-scheme': token, basic: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`, empty: 'Bearer ', none: undefined,
    garbage: testCase.garbageAuth,
  };
  return values[testCase.auth];
}

// ---------- the server under test, with history in its store ----------

let served: ServedShops;
let store: Store;
const unhandled = watchUnhandled();

/** Real sample webhooks mapped by the pipeline, one kept as failed, some outbox rows delivered and one dead. */
async function seedHistory(): Promise<void> {
  const bodies = [...samples, Buffer.from('{"id": 1,')];
  await store.insertInbox(bodies.map((body, n) => ({
    shop, source: 'shopify', topic: 'orders/create', webhookId: `seed-${n}`, eventId: null, triggeredAt: null, apiVersion: '2026-04',
    headers: {}, body, receivedAt: t0 + n * 1_000,
  })));
  await drainPipeline(store, t0 + 60_000);
  const [dead, ...delivered] = await store.claimOutbox('segment', { worker: 'seed', limit: 4, leaseMs: 30_000, now: t0 + 60_000 });
  await store.settleOutbox([
    ...(dead ? [{ id: dead.id, status: 'dead' as const, reason: 'HTTP 400: invalid event' }] : []),
    ...delivered.map((row) => ({ id: row.id, status: 'delivered' as const })),
  ], t0 + 120_000);
}

beforeAll(async () => {
  served = await serveShops({}, createLogger('silent'), { adminToken: token });
  store = served.store;
  await seedHistory();
});

afterAll(async () => {
  await served.close();
  unhandled.stop();
});

/** Everything an unauthorized request could change or reveal, in one comparable value. */
async function snapshot(): Promise<string> {
  const [counts, dead, failed] = await Promise.all([store.counts(), store.listDeadLetters(null, 1_000), store.listFailedInbox(1_000)]);
  return JSON.stringify({ counts, dead, failed });
}

async function send(testCase: AdminCase): Promise<Answer> {
  const headers: Record<string, string> = {};
  const auth = authorization(testCase);
  if (auth !== undefined) headers.authorization = auth;
  if (testCase.contentType !== undefined) headers['content-type'] = testCase.contentType;
  const url = testCase.query === '' ? testCase.path : `${testCase.path}?${testCase.query}`;
  const withBody = testCase.method !== 'GET' && testCase.method !== 'HEAD';
  const response = await served.app.inject({ method: testCase.method, url, headers, ...(withBody ? { payload: testCase.body } : {}) });
  return { status: response.statusCode, text: response.body, headers: response.headers };
}

async function checkAdminCase(testCase: AdminCase): Promise<void> {
  const before = await snapshot();
  const answer = await send(testCase);
  if (testCase.method !== 'HEAD') expectClearAnswer(answer);
  else expect(answer.status).toBeLessThan(500);
  const authorized = testCase.auth === 'right' || testCase.auth === 'lowercase-scheme';
  if (authorized) return;
  expect(await snapshot()).toBe(before);
  // A path such as /api/%2e%2e/healthz is /healthz once the URL is normalised: not the admin API's to guard.
  if (!/^\/api(\/|$)/.test(new URL(testCase.path, 'http://127.0.0.1').pathname)) return;
  expect(answer.status, answer.text).toBe(401);
  if (testCase.method !== 'HEAD') expect(JSON.parse(answer.text)).toStrictEqual({ error: 'missing or wrong bearer token' });
}

describe('bad input on the admin API (/api/*)', () => {
  it('answers generated requests with a 2xx or a clear 4xx; without the token, 401 and nothing changes', async () => {
    await fc.assert(fc.asyncProperty(caseArb, checkAdminCase), { seed, numRuns: fuzzRuns(300) });
  }, fuzzTimeoutMs);

  it('refuses a prototype-polluting body with 400 and pollutes nothing', async () => {
    const answer = await send({
      method: 'POST', path: '/api/dead-letters/replay', query: '', auth: 'right', garbageAuth: '', contentType: 'application/json',
      body: Buffer.from('{"__proto__":{"polluted":true},"destination":"segment"}'),
    });
    expect(answer.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// ---------- the console's static files ----------

const publicDir = new URL('../../src/console/public/', import.meta.url).pathname;
const uplotDir = dirname(createRequire(import.meta.url).resolve('uplot'));

function filesUnder(dir: string): Buffer[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile()).map((entry) => readFileSync(join(entry.parentPath, entry.name)));
}

/** Exactly what /console may serve: its own files and uPlot's two built files. */
const servable = new Set([...filesUnder(publicDir), ...['uPlot.iife.min.js', 'uPlot.min.css'].map((name) => readFileSync(join(uplotDir, name)))]
  .map((bytes) => bytes.toString('utf8')));

const consolePathArb = fc.oneof(
  fc.constantFrom('', '/', '/index.html', '/console.css', '/js/api.js', '/vendor/uPlot.iife.min.js', '/vendor/uPlot.min.css',
    '/vendor/package.json', '/vendor/../index.html', '/../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json',
    '/js/..%5c..%5c..%5cpackage.json', '/%00', '/index.html%00.css', '/.env', '/vendor/uPlot.esm.js', `/${'a'.repeat(4_000)}`,
    '//etc/passwd', '/vendor/%2e%2e/%2e%2e/%2e%2e/package.json'),
  fc.webPath(),
  fc.string({ maxLength: 30 }).map((text) => `/${encodeURIComponent(text)}`),
  fc.string({ unit: fc.constantFrom('.', '/', '%', '2', 'e', 'f', '5', 'c', 'x'), maxLength: 24 }).map((text) => `/${text}`),
);

describe('bad input on the console (/console/*)', () => {
  it('serves only its own files and answers anything else with a clear 4xx or a redirect', async () => {
    await fc.assert(fc.asyncProperty(consolePathArb, fc.constantFrom('GET', 'HEAD', 'POST'), async (path, method) => {
      const response = await served.app.inject({ method: method as 'GET' | 'HEAD' | 'POST', url: `/console${path}` });
      const answer = { status: response.statusCode, text: response.body };
      if (method !== 'HEAD') expectClearAnswer(answer);
      expect(answer.status).toBeLessThan(500);
      if (answer.status === 200 && method === 'GET') expect(servable.has(answer.text), path).toBe(true);
    }), { seed: seed + 1, numRuns: fuzzRuns(200) });
  }, fuzzTimeoutMs);

  it('had no unhandled rejection or uncaught exception', () => {
    expect(unhandled.seen).toStrictEqual([]);
  });
});

describe('real payloads and mangled copies on every surface without credentials', () => {
  it('are refused with a clear 4xx and store nothing', async () => {
    const before = await snapshot();
    await fc.assert(fc.asyncProperty(fc.oneof(fc.constantFrom(...realBodies), mangledCopies(realBodies)),
      fc.constantFrom('/api/deliveries/reprocess', '/api/messages/replay', '/v1/batch', '/webhooks/shopify', '/console/'), async (body, url) => {
        const response = await served.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json' } });
        expectClearAnswer({ status: response.statusCode, text: response.body });
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
      }), { seed: seed + 2, numRuns: fuzzRuns(40) });
    expect(await snapshot()).toBe(before);
  }, fuzzTimeoutMs);
});
