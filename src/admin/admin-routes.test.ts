import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { InboxDelivery, OutboxMessage, Store } from '../store/store.ts';
import { adminRoutes } from './admin-routes.ts';

const token = 'admin-token-0123456789abcdef';
const auth = { authorization: `Bearer ${token}` };
const t0 = Date.parse('2025-06-15T15:00:00.000Z');
const minute = 60_000;
const alpha = 'alpha.myshopify.com';
const beta = 'beta.myshopify.com';
const sample = readFileSync(new URL('../../../shared/fixtures/shopify/samples/orders_create.json', import.meta.url), 'utf8');
const orderBody = Buffer.from(JSON.stringify(JSON.parse(sample).response));

let store: Store;
let app: FastifyInstance;
/** Every route the app registered, as `METHOD url`. */
let registered: string[];

async function buildApp(adminToken: string | undefined): Promise<FastifyInstance> {
  const built = Fastify();
  built.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push(`${method} ${route.url}`);
  });
  await built.register(adminRoutes, { prefix: '/api', store, token: adminToken, now: () => t0 + 10 * minute });
  await built.ready();
  return built;
}

beforeEach(async () => {
  registered = [];
  store = await openStore(':memory:');
  app = await buildApp(token);
});

afterEach(async () => {
  await app.close();
  await store.close();
});

function delivery(shop: string, webhookId: string, receivedAt: number): InboxDelivery {
  return {
    shop, source: 'shopify', topic: 'orders/create', webhookId, eventId: `event-${webhookId}`,
    triggeredAt: new Date(receivedAt).toISOString(), apiVersion: '2025-04',
    headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-webhook-id': webhookId }, body: orderBody, receivedAt,
  };
}

function message(inboxId: number, destination: string, eventName: string, delivery: InboxDelivery): OutboxMessage {
  const messageId = `${delivery.shop}:${eventName}:${delivery.webhookId}`;
  const properties = { order_id: '820982911946154508' };
  const payload = JSON.stringify({ type: 'track', event: eventName, messageId, properties });
  const facts = { orderId: properties.order_id };
  return { destination, messageId, shop: delivery.shop, inboxId, eventName, payload, receivedAt: delivery.receivedAt, facts };
}

/**
 * Four webhooks a minute apart: one kept as failed; the others mapped to Segment (and one to TikTok); Segment
 * delivers the first, refuses the second for good, and the third still waits.
 */
async function seedHistory() {
  const deliveries = [
    delivery(alpha, 'w1', t0), delivery(alpha, 'w2', t0 + minute), delivery(beta, 'w3', t0 + 2 * minute),
    delivery(alpha, 'w4', t0 + 3 * minute),
  ];
  await store.insertInbox([...deliveries, deliveries[0]!]);
  const [a, b, c, failed] = (await store.claimInbox({ worker: 'w', limit: 10, leaseMs: 30_000, now: t0 })).map((r) => r.id);
  const completedA = message(a!, 'segment', 'Order Completed', deliveries[0]!);
  const toTiktok = message(a!, 'tiktok', 'Order Completed', deliveries[0]!);
  const paidB = message(b!, 'segment', 'Order Paid', deliveries[1]!);
  const completedC = message(c!, 'segment', 'Order Completed', deliveries[2]!);
  await store.settleInbox([
    { id: a!, outcome: { status: 'done', messages: [completedA, toTiktok] } },
    { id: b!, outcome: { status: 'done', messages: [paidB] } },
    { id: c!, outcome: { status: 'done', messages: [completedC] } },
    { id: failed!, outcome: { status: 'failed', reason: 'body is not JSON: Unexpected token' } },
  ], t0);
  const claimed = await store.claimOutbox('segment', { worker: 'w', limit: 2, leaseMs: 30_000, now: t0 });
  const [delivered, refused] = claimed.map((row) => row.id);
  await store.settleOutbox([
    { id: delivered!, status: 'delivered' },
    { id: refused!, status: 'dead', reason: 'HTTP 400: invalid event' },
  ], t0 + 5 * minute);
  return { failed: failed!, delivered: delivered!, refused: refused!, paidB };
}

function get(url: string, headers: Record<string, string> = auth) {
  return app.inject({ method: 'GET', url, headers });
}

function post(url: string, payload: unknown, headers: Record<string, string> = auth) {
  return app.inject({ method: 'POST', url, payload: payload as object, headers });
}

const routes = [
  ['GET', '/api/status'],
  ['GET', '/api/deliveries/failed'],
  ['POST', '/api/deliveries/reprocess'],
  ['GET', '/api/dead-letters'],
  ['POST', '/api/dead-letters/replay'],
  ['POST', '/api/messages/replay'],
  ['GET', '/api/events'],
  ['GET', '/api/accuracy'],
  ['GET', '/api/customers/7390/journey'],
  ['GET', '/api/customers/7390/profile'],
  ['GET', '/api/timeseries'],
  ['GET', '/api/queues'],
  ['GET', '/api/openapi.json'],
  ['GET', '/api/no-such-route'],
] as const;

describe('bearer token', () => {
  it.each(routes)('%s %s answers 401 without a token', async (method, url) => {
    const payload = method === 'POST' ? { ids: [1], destination: 'segment' } : undefined;
    const reply = await app.inject({ method, url, payload });
    expect(reply.statusCode).toBe(401);
    expect(reply.json()).toEqual({ error: 'missing or wrong bearer token' });
    expect(reply.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it.each([
    ['a wrong token', `Bearer ${token}x`],
    ['a prefix of the token', `Bearer ${token.slice(0, -1)}`],
    ['the token without the scheme', token],
    ['another scheme', `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 to %s and changes nothing', async (_case, authorization) => {
    const { refused } = await seedHistory();
    const reply = await post('/api/dead-letters/replay', { destination: 'segment', ids: [refused] }, { authorization });
    expect(reply.statusCode).toBe(401);
    expect((await store.counts()).outbox.dead).toBe(1);
  });

  it('accepts the scheme in any case', async () => {
    expect((await get('/api/status', { authorization: `bearer ${token}` })).statusCode).toBe(200);
  });
});

describe('without a configured token', () => {
  it.each([undefined, ''])('answers 404 on every admin path (token %j), whatever it is sent', async (adminToken) => {
    await app.close();
    app = await buildApp(adminToken);
    await seedHistory();

    for (const [method, url] of routes) {
      const payload = method === 'POST' ? { destination: 'segment' } : undefined;
      const reply = await app.inject({ method, url, headers: auth, payload });
      expect(reply.statusCode).toBe(404);
      expect(reply.json()).toEqual({ error: 'the admin API is disabled: no admin token is configured' });
    }
    expect((await store.counts()).outbox.dead).toBe(1);
  });
});

describe('routes', () => {
  it('GET /api/status counts rows by status and the duplicates acknowledged', async () => {
    await seedHistory();
    const reply = await get('/api/status');
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({
      store: 'sqlite',
      inbox: { pending: 0, done: 3, failed: 1 },
      outbox: { pending: 2, delivered: 1, dead: 1, skipped: 0 },
      duplicates: 1,
    });
  });

  it('GET /api/deliveries/failed lists failed deliveries with their reason', async () => {
    const { failed } = await seedHistory();
    expect((await get('/api/deliveries/failed')).json()).toEqual({
      deliveries: [
        {
          id: failed, shop: alpha, topic: 'orders/create', webhookId: 'w4', reason: 'body is not JSON: Unexpected token',
          duplicates: 0, receivedAt: '2025-06-15T15:03:00.000Z',
        },
      ],
    });
  });

  it('POST /api/deliveries/reprocess puts failed deliveries back in the queue', async () => {
    const { failed } = await seedHistory();
    const reply = await post('/api/deliveries/reprocess', { ids: [failed, 9_999] });
    expect(reply.json()).toEqual({ requeued: 1 });
    expect((await store.counts()).inbox).toEqual({ pending: 1, done: 3, failed: 0 });
    expect((await get('/api/deliveries/failed')).json()).toEqual({ deliveries: [] });
  });

  it('GET /api/dead-letters lists dead letters with the reason, the payload only on request', async () => {
    const { refused, paidB } = await seedHistory();
    const letter = {
      id: refused, destination: 'segment', messageId: paidB.messageId, shop: alpha, eventName: 'Order Paid',
      reason: 'HTTP 400: invalid event', attempts: 1,
    };
    expect((await get('/api/dead-letters')).json()).toEqual({ deadLetters: [letter] });
    expect((await get('/api/dead-letters?destination=segment&payload=true')).json()).toEqual({
      deadLetters: [{ ...letter, payload: paidB.payload }],
    });
    expect((await get('/api/dead-letters?destination=tiktok')).json()).toEqual({ deadLetters: [] });
  });

  it('POST /api/dead-letters/replay moves dead letters back to pending with the same messageId', async () => {
    const { refused, paidB } = await seedHistory();
    expect((await post('/api/dead-letters/replay', { destination: 'tiktok' })).json()).toEqual({ requeued: 0 });

    const replayed = await post('/api/dead-letters/replay', { destination: 'segment', ids: [refused] });
    expect(replayed.json()).toEqual({ requeued: 1 });
    expect((await store.counts()).outbox).toMatchObject({ pending: 3, dead: 0 });
    expect((await get('/api/dead-letters')).json()).toEqual({ deadLetters: [] });
    const due = await store.claimOutbox('segment', { worker: 'w', limit: 10, leaseMs: 1_000, now: t0 + 10 * minute });
    expect(due.map((row) => [row.id, row.messageId])).toContainEqual([refused, paidB.messageId]);
  });

  describe('POST /api/messages/replay', () => {
    const window = { destination: 'segment', since: '2025-06-15T15:00:00Z', until: '2025-06-15T15:02:00Z' };
    const byEvent = [{ eventName: 'Order Completed', count: 1 }, { eventName: 'Order Paid', count: 1 }];

    it('counts a window in a dry run and changes nothing, then puts its delivered and dead messages back in the queue', async () => {
      const { delivered, refused } = await seedHistory();
      const before = (await store.counts()).outbox;
      expect((await post('/api/messages/replay', window, {})).statusCode).toBe(401);

      expect((await post('/api/messages/replay', { ...window, dryRun: true })).json()).toEqual({ dryRun: true, messages: 2, byEvent });
      expect((await store.counts()).outbox).toEqual(before);

      expect((await post('/api/messages/replay', window)).json()).toEqual({ dryRun: false, messages: 2, byEvent });
      expect((await store.counts()).outbox).toEqual({ ...before, pending: before.pending + 2, delivered: 0, dead: 0 });
      const due = await store.claimOutbox('segment', { worker: 'w', limit: 10, leaseMs: 1_000, now: t0 + 10 * minute });
      expect(due.map((row) => [row.id, row.attempts])).toEqual(expect.arrayContaining([[delivered, 0], [refused, 0]]));
    });

    it('selects by order ids, and takes the dead letters when given neither a window nor orders', async () => {
      await seedHistory();
      const count = async (body: object) => (await post('/api/messages/replay', { ...body, dryRun: true })).json().messages;

      expect(await count({ destination: 'segment', orderIds: ['820982911946154508'] })).toBe(2);
      expect(await count({ destination: 'segment', orderIds: ['820982911946154508'], since: '2025-06-15T15:01:00Z' })).toBe(1);
      expect(await count({ destination: 'segment', orderIds: ['1'] })).toBe(0);
      expect(await count({ destination: 'tiktok', orderIds: ['820982911946154508'] })).toBe(0); // still pending
      expect((await post('/api/messages/replay', { destination: 'segment', dryRun: true })).json())
        .toEqual({ dryRun: true, messages: 1, byEvent: [{ eventName: 'Order Paid', count: 1 }] });
    });
  });

  it('GET /api/events finds messages newest first and narrows by shop, event and time', async () => {
    const { delivered, refused, paidB } = await seedHistory();
    const all = (await get('/api/events')).json().events;
    expect(all.map((e: { shop: string; eventName: string }) => `${e.shop} ${e.eventName}`)).toEqual([
      `${beta} Order Completed`, `${alpha} Order Paid`, `${alpha} Order Completed`, `${alpha} Order Completed`,
    ]);
    expect(all[1]).toEqual({
      id: refused, destination: 'segment', messageId: paidB.messageId, shop: alpha, eventName: 'Order Paid',
      status: 'dead', attempts: 1, lastError: 'HTTP 400: invalid event', receivedAt: '2025-06-15T15:01:00.000Z',
      deliveredAt: null,
    });

    const query = 'shop=alpha.myshopify.com&event=Order%20Completed&since=2025-06-15T15:00:00Z&until=2025-06-15T15:01:00Z';
    const found = (await get(`/api/events?${query}&destination=segment`)).json().events;
    const deliveredAt = '2025-06-15T15:05:00.000Z';
    expect(found).toEqual([expect.objectContaining({ id: delivered, status: 'delivered', deliveredAt })]);
    expect((await get('/api/events?since=2025-06-15T17:01:00%2B02:00&limit=1')).json().events).toEqual([
      expect.objectContaining({ shop: beta }),
    ]);
  });

  it('runs a write again while the store is busy with another connection\'s lock, instead of failing it', async () => {
    const { refused } = await seedHistory();
    const requeue = store.requeueDeadLetters.bind(store);
    let busyAnswers = 3;
    store.requeueDeadLetters = async (...args) => {
      if (busyAnswers-- > 0) throw Object.assign(new Error('database is locked'), { errcode: 5 });
      return requeue(...args);
    };
    const reply = await post('/api/dead-letters/replay', { destination: 'segment', ids: [refused] });
    expect(reply.json()).toEqual({ requeued: 1 });
    expect((await store.counts()).outbox.dead).toBe(0);
  });

  it('answers 404 with a JSON error for an unknown admin path', async () => {
    const reply = await get('/api/nothing-here');
    expect(reply.statusCode).toBe(404);
    expect(reply.json()).toEqual({ error: 'no admin route GET /api/nothing-here' });
  });
});

describe('bad input', () => {
  it.each([
    ['/api/deliveries/failed?limit=0', 'limit: Too small'],
    ['/api/deliveries/failed?limit=1001', 'limit: Too big'],
    ['/api/deliveries/failed?limit=ten', 'limit: '],
    ['/api/dead-letters?payload=yes', 'payload: '],
    ['/api/dead-letters?destination=', 'destination: '],
    ['/api/events?since=yesterday', 'since: Invalid ISO datetime'],
    ['/api/events?since=2025-06-15T16:00:00Z&until=2025-06-15T15:00:00Z', 'until: must be later than since'],
    ['/api/events?shop=a.myshopify.com&shop=b.myshopify.com', 'shop: '],
    ['/api/events?shopp=alpha.myshopify.com', 'query: Unrecognized key: "shopp"'],
    ['/api/events?order=%23R1001', 'order: must be a Shopify order id (digits)'],
  ])('GET %s answers 400 naming the field', async (url, error) => {
    const reply = await get(url);
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error).toContain(error);
  });

  it.each([
    ['/api/deliveries/reprocess', { ids: [] }, 'ids: Too small'],
    ['/api/deliveries/reprocess', { ids: [1, '2'] }, 'ids.1: '],
    ['/api/deliveries/reprocess', { ids: [1.5] }, 'ids.0: '],
    ['/api/dead-letters/replay', { ids: [1] }, 'destination: '],
    ['/api/dead-letters/replay', { destination: 'segment', ids: [-1] }, 'ids.0: Too small'],
    ['/api/messages/replay', { destination: 'segment', since: 'yesterday' }, 'since: Invalid ISO datetime'],
    ['/api/messages/replay', { destination: 'segment', since: '2025-06-15T16:00:00Z', until: '2025-06-15T15:00:00Z' }, 'until: must be later than since'],
    ['/api/messages/replay', { destination: 'segment', orderIds: ['#1001'] }, 'orderIds.0: must be a Shopify order id'],
    ['/api/messages/replay', { destination: 'segment', orderIds: [] }, 'orderIds: name at least one order id'],
    ['/api/messages/replay', { destination: 'segment', ids: [1], orderIds: ['1'] }, 'ids: picks dead letters by id'],
    ['/api/messages/replay', { destination: 'segment', dryRun: 'yes' }, 'dryRun: '],
  ])('POST %s %j answers 400 naming the field', async (url, body, error) => {
    const reply = await post(url, body);
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error).toContain(error);
  });

  it('answers 400 with a JSON error to a body that is not JSON, and changes nothing', async () => {
    await seedHistory();
    const reply = await app.inject({
      method: 'POST', url: '/api/dead-letters/replay', headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"destination":',
    });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toEqual({ error: expect.any(String) });
    expect((await store.counts()).outbox.dead).toBe(1);
  });
});

describe('GET /api/openapi.json', () => {
  it('describes every route the app serves, behind the bearer scheme', async () => {
    const document = (await get('/api/openapi.json')).json();
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes.bearerToken).toEqual({ type: 'http', scheme: 'bearer' });
    const described = Object.entries(document.paths as Record<string, object>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    const inOpenApiSyntax = registered.map((route) => route.replace(/:(\w+)/g, '{$1}'));
    expect(described.sort()).toEqual(inOpenApiSyntax.sort());
    expect(registered).toHaveLength(13);
  });

  it('lists the query parameters and request bodies the routes validate', async () => {
    const { paths } = (await get('/api/openapi.json')).json();
    const names = (path: string) => paths[path].get.parameters.map((p: { name: string }) => p.name);
    expect(names('/api/events')).toEqual(['shop', 'event', 'destination', 'customer', 'order', 'since', 'until', 'limit']);
    expect(names('/api/dead-letters')).toEqual(['destination', 'limit', 'payload']);
    const limit = { name: 'limit', in: 'query', required: false, schema: { maximum: 1000 } };
    expect(paths['/api/events'].get.parameters[7]).toMatchObject(limit);
    const replay = paths['/api/dead-letters/replay'].post.requestBody.content['application/json'].schema;
    expect(replay).toMatchObject({ required: ['destination'], properties: { ids: { type: 'array' } } });
    const messagesReplay = paths['/api/messages/replay'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(messagesReplay.properties)).toEqual(['destination', 'since', 'until', 'orderIds', 'ids', 'dryRun']);
    expect(paths['/api/status'].get.parameters).toBeUndefined();
    expect(paths['/api/customers/{id}/journey'].get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
      expect.objectContaining({ name: 'limit', in: 'query', required: false }),
    ]);
    expect(names('/api/accuracy')).toEqual(['since', 'until']);
    const profile = paths['/api/customers/{id}/profile'].get;
    expect(profile.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(Object.keys(profile.responses[200].content['application/json'].schema.properties)).toEqual(['customerId', 'journey', 'profiles']);
  });
});
