import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestHttpServer } from '../server/test-http-server.ts';
import { signShopifyBody } from '../shopify/webhook-hmac.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';

const shop = 'shop-one.myshopify.com';
const secret = 'current-secret';
const sample = readFileSync(new URL('../../../shared/fixtures/shopify/samples/orders_create.json', import.meta.url), 'utf8');
const body = Buffer.from(JSON.stringify(JSON.parse(sample).response));

let store: Store;
let app: FastifyInstance;

beforeEach(async () => {
  store = await openStore(':memory:');
  app = buildTestHttpServer(store, { domain: shop, secret, bodyLimitBytes: 64 * 1024 });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await store.close();
});

function post(payload: Buffer, headers: Record<string, string | undefined> = {}) {
  const all: Record<string, string> = {};
  const defaults = {
    'content-type': 'application/json',
    'x-shopify-hmac-sha256': signShopifyBody(payload, secret),
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': shop,
    'x-shopify-webhook-id': 'webhook-1',
    'x-shopify-api-version': '2026-04',
  };
  for (const [name, value] of Object.entries({ ...defaults, ...headers })) if (value !== undefined) all[name] = value;
  return app.inject({ method: 'POST', url: '/webhooks/shopify', payload, headers: all });
}

async function inboxTotal(): Promise<number> {
  const counts = await store.counts();
  return counts.inbox.pending + counts.inbox.done + counts.inbox.failed;
}

describe('POST /webhooks/shopify', () => {
  it('stores a signed delivery byte for byte and answers 200', async () => {
    const response = await post(body);
    expect(response.statusCode).toBe(200);
    const [row] = await store.claimInbox({ worker: 't', limit: 10, leaseMs: 1000, now: 2_000 });
    expect(row?.body.equals(body)).toBe(true);
    expect(row).toMatchObject({ shop, topic: 'orders/create', webhookId: 'webhook-1', apiVersion: '2026-04', receivedAt: 1_000 });
  });

  it('answers a repeated webhook id with 200 and keeps one row, counting the duplicate', async () => {
    expect((await post(body)).statusCode).toBe(200);
    const again = await post(body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toStrictEqual({ ok: true, status: 'duplicate' });
    expect(await inboxTotal()).toBe(1);
    expect((await store.counts()).duplicates).toBe(1);
  });

  it.each([
    ['a bad signature', { 'x-shopify-hmac-sha256': signShopifyBody(body, 'wrong') }, 401],
    ['no signature', { 'x-shopify-hmac-sha256': undefined }, 401],
    ['an unknown shop', { 'x-shopify-shop-domain': 'stranger.myshopify.com' }, 401],
    ['no topic header', { 'x-shopify-topic': undefined }, 400],
    ['no webhook id header', { 'x-shopify-webhook-id': undefined }, 400],
    ['no shop header', { 'x-shopify-shop-domain': undefined }, 400],
  ])('refuses %s with %s and stores nothing', async (_name, headers, status) => {
    const response = await post(body, headers as Record<string, string | undefined>);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toHaveProperty('error');
    expect(await inboxTotal()).toBe(0);
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const big = Buffer.alloc(65 * 1024, 'a');
    const response = await post(big);
    expect(response.statusCode).toBe(413);
    expect(await inboxTotal()).toBe(0);
  });

  it('stores a signed body that is not JSON as it is (mapping decides later), without parsing it first', async () => {
    const garbage = Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x22]);
    expect((await post(garbage, { 'content-type': 'text/plain' })).statusCode).toBe(200);
    const [row] = await store.claimInbox({ worker: 't', limit: 10, leaseMs: 1000, now: 2_000 });
    expect(row?.body.equals(garbage)).toBe(true);
  });

  it('answers 503 and does not acknowledge when the store cannot write', async () => {
    await store.close();
    const response = await post(body);
    expect(response.statusCode).toBe(503);
    store = await openStore(':memory:'); // for afterEach
  });

  it('reports ready when the store answers and live always', async () => {
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/readyz')).json()).toStrictEqual({ ok: true, store: 'sqlite' });
  });
});
