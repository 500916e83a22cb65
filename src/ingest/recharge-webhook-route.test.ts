import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signRechargeBody, signRechargeTimestamped } from '../recharge/webhook-signature.ts';
import { buildTestHttpServer } from '../server/test-http-server.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { rechargeDeliveryId } from './recharge-intake.ts';

const shop = 'shop-one.myshopify.com';
const otherShop = 'shop-two.myshopify.com';
const secrets: Record<string, string[]> = { [shop]: ['new-client-secret', 'old-client-secret'], [otherShop]: ['other-client-secret'] };
const body = readFileSync(new URL('../recharge/fixtures/subscription-created.2021-11.json', import.meta.url));
/** The test server's clock (see test-http-server.ts): 1 s after the epoch. */
const nowSeconds = 1;

let store: Store;
let app: FastifyInstance;

function startServer(defaultShop: string | undefined) {
  return buildTestHttpServer(store, {
    domain: shop, secret: 'shopify-secret', bodyLimitBytes: 64 * 1024,
    recharge: { secretsFor: (domain) => secrets[domain], defaultShop },
  });
}

beforeEach(async () => {
  store = await openStore(':memory:');
  app = startServer(undefined);
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await store.close();
});

function post(path: string, payload: Buffer, headers: Record<string, string | undefined> = {}) {
  const all: Record<string, string> = {};
  const defaults = {
    'content-type': 'application/json',
    'x-recharge-hmac-sha256': signRechargeBody(payload, 'new-client-secret'),
    'x-recharge-topic': 'subscription/created',
  };
  for (const [name, value] of Object.entries({ ...defaults, ...headers })) if (value !== undefined) all[name] = value;
  return app.inject({ method: 'POST', url: path, payload, headers: all });
}

async function inboxTotal(): Promise<number> {
  const counts = await store.counts();
  return counts.inbox.pending + counts.inbox.done + counts.inbox.failed;
}

describe('POST /webhooks/recharge/{shop}', () => {
  it('stores a signed delivery byte for byte under a recharge/ topic, deduplicated on topic and body', async () => {
    const response = await post(`/webhooks/recharge/${shop}`, body);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual({ ok: true, status: 'stored' });
    const [row] = await store.claimInbox({ worker: 't', limit: 10, leaseMs: 1000, now: 2_000 });
    expect(row?.body.equals(body)).toBe(true);
    expect(row).toMatchObject({
      shop, source: 'recharge', topic: 'recharge/subscription/created', receivedAt: 1_000,
      webhookId: rechargeDeliveryId('recharge/subscription/created', body), headers: { 'x-recharge-topic': 'subscription/created' },
    });
  });

  it('answers a repeated delivery (same topic and body) with 200 and keeps one row', async () => {
    expect((await post(`/webhooks/recharge/${shop}`, body)).statusCode).toBe(200);
    const again = await post(`/webhooks/recharge/${shop}`, body);
    expect(again.json()).toStrictEqual({ ok: true, status: 'duplicate' });
    expect(await inboxTotal()).toBe(1);
    expect((await store.counts()).duplicates).toBe(1);
  });

  it('keeps the same body under another topic as another delivery', async () => {
    await post(`/webhooks/recharge/${shop}`, body);
    expect((await post(`/webhooks/recharge/${shop}`, body, { 'x-recharge-topic': 'subscription/updated' })).json()).toMatchObject({ status: 'stored' });
    expect(await inboxTotal()).toBe(2);
  });

  it.each([
    ['the current secret (legacy sha256 header)', { 'x-recharge-hmac-sha256': signRechargeBody(body, 'new-client-secret') }],
    ['the previous secret during rotation', { 'x-recharge-hmac-sha256': signRechargeBody(body, 'old-client-secret') }],
    ['the timestamp-bound signature', { 'x-recharge-hmac-sha256': undefined, 'x-recharge-webhook-signature': signRechargeTimestamped(body, 'new-client-secret', nowSeconds) }],
  ])('accepts a body signed with %s', async (_name, headers) => {
    expect((await post(`/webhooks/recharge/${shop}`, body, headers)).statusCode).toBe(200);
  });

  it.each([
    ['a bad signature', `/webhooks/recharge/${shop}`, { 'x-recharge-hmac-sha256': signRechargeBody(body, 'not-the-secret') }, 401],
    ['no signature', `/webhooks/recharge/${shop}`, { 'x-recharge-hmac-sha256': undefined }, 401],
    ['a signature of another body', `/webhooks/recharge/${shop}`, { 'x-recharge-hmac-sha256': signRechargeBody(`${body} `, 'new-client-secret') }, 401],
    ['an HMAC instead of ReCharge\'s plain hash', `/webhooks/recharge/${shop}`,
      { 'x-recharge-hmac-sha256': createHmac('sha256', 'new-client-secret').update(body).digest('hex') }, 401],
    ['a retired secret', `/webhooks/recharge/${shop}`, { 'x-recharge-hmac-sha256': signRechargeBody(body, 'retired-client-secret') }, 401],
    ['the wrong shop\'s secret', `/webhooks/recharge/${shop}`, { 'x-recharge-hmac-sha256': signRechargeBody(body, 'other-client-secret') }, 401],
    ['a bad timestamp-bound signature (no fallback to the legacy one)', `/webhooks/recharge/${shop}`,
      { 'x-recharge-webhook-signature': signRechargeTimestamped(body, 'not-the-secret', nowSeconds) }, 401],
    ['a timestamp-bound signature older than 48 hours', `/webhooks/recharge/${shop}`,
      { 'x-recharge-hmac-sha256': undefined, 'x-recharge-webhook-signature': signRechargeTimestamped(body, 'new-client-secret', nowSeconds - 48 * 3600 - 1) }, 401],
    ['a shop without ReCharge secrets', '/webhooks/recharge/stranger.myshopify.com', {}, 401],
    ['no topic header', `/webhooks/recharge/${shop}`, { 'x-recharge-topic': undefined }, 400],
    ['a malformed topic', `/webhooks/recharge/${shop}`, { 'x-recharge-topic': 'subscription created' }, 400],
    ['no shop when several shops take ReCharge webhooks', '/webhooks/recharge', {}, 400],
  ])('refuses %s and stores nothing', async (_name, path, headers, status) => {
    const response = await post(path, body, headers);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toHaveProperty('error');
    expect(await inboxTotal()).toBe(0);
  });

  it('takes the topic from ?topic= when the header is absent (one address per topic)', async () => {
    const response = await post(`/webhooks/recharge/${shop}?topic=subscription/cancelled`, body, { 'x-recharge-topic': undefined });
    expect(response.statusCode).toBe(200);
    const [row] = await store.claimInbox({ worker: 't', limit: 10, leaseMs: 1000, now: 2_000 });
    expect(row?.topic).toBe('recharge/subscription/cancelled');
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const response = await post(`/webhooks/recharge/${shop}`, Buffer.alloc(65 * 1024, 'a'));
    expect(response.statusCode).toBe(413);
    expect(await inboxTotal()).toBe(0);
  });

  it('answers 503 and does not acknowledge when the store cannot write', async () => {
    await store.close();
    expect((await post(`/webhooks/recharge/${shop}`, body)).statusCode).toBe(503);
    store = await openStore(':memory:'); // for afterEach
  });
});

describe('POST /webhooks/recharge (one ReCharge shop configured)', () => {
  it("stores the delivery for that shop, checked with that shop's secret", async () => {
    await app.close();
    app = startServer(shop);
    expect((await post('/webhooks/recharge', body)).statusCode).toBe(200);
    expect((await post('/webhooks/recharge', body, { 'x-recharge-hmac-sha256': signRechargeBody(body, 'other-client-secret') })).statusCode).toBe(401);
    const [row] = await store.claimInbox({ worker: 't', limit: 10, leaseMs: 1000, now: 2_000 });
    expect(row?.shop).toBe(shop);
    expect(await inboxTotal()).toBe(1);
  });
});
