/**
 * The reporting routes on both engines, over a simulated store's traffic mapped by the real pipeline: the numbers
 * each route answers are checked against figures this file derives from the webhook bodies themselves.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSegmentDestination, segmentSettingsSchema } from '../destinations/segment/index.ts';
import { processDelivery } from '../pipeline/process-delivery.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import { simulateWebhooks, type SimulatedWebhook } from '../simulator/store-simulator.ts';
import { openStore } from '../store/open-store.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import { postgresUnavailableReason, skipWithoutPostgres, testPostgresUrl, testSchema } from '../store/postgres/postgres-test-database.ts';
import type { OutboxSettlement, Store } from '../store/store.ts';
import { adminRoutes } from './admin-routes.ts';

const token = 'admin-token-0123456789abcdef';
const auth = { authorization: `Bearer ${token}` };
const shop = 'report-outfitters.myshopify.com';
const t0 = Date.parse('2025-06-15T15:00:00.000Z');
const now = t0 + 60 * 60_000;
const window = 'since=2025-06-15T15:00:00Z&until=2025-06-15T16:00:00Z';
const hooks = simulateWebhooks({ shop, seed: 7, startTime: '2025-06-15T09:00:00Z', count: 400, refundShare: 0.5, refundDelayMinutes: [1, 5] });
const segment = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'k' }), { fetch: () => Promise.reject(new Error('not used')) });

type Json = Record<string, unknown>;
const exponents: Record<string, number> = { JPY: 0 };

/** A decimal string as integer minor units, by its digits (independent of the code under test). */
function minor(amount: string, currency: string): bigint {
  const places = exponents[currency] ?? 2;
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole + fraction.padEnd(places, '0').slice(0, places));
}

function decimal(value: bigint, currency: string): string {
  const places = exponents[currency] ?? 2;
  const digits = (value < 0n ? -value : value).toString().padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return value < 0n ? `-${text}` : text;
}

function add(totals: Map<string, bigint>, currency: string, value: bigint): void {
  totals.set(currency, (totals.get(currency) ?? 0n) + value);
}

/** What the webhooks themselves say: web orders and their totals, every order id, refunds per currency. */
function shopifySays(webhooks: readonly SimulatedWebhook[]) {
  const orders = new Map<string, { web: boolean; pos: boolean; currency: string; total: bigint }>();
  const refunds = new Map<string, bigint>();
  const refundIds = new Set<string>();
  for (const hook of webhooks) {
    const body = parseJsonExact(hook.body) as Json;
    if (hook.topic === 'orders/create') {
      const currency = String(body.currency);
      orders.set(String(hook.orderId), { web: body.source_name === 'web', pos: body.source_name === 'pos', currency, total: minor(String(body.total_price), currency) });
    } else if (hook.topic === 'refunds/create') {
      refundIds.add(String(body.id));
      for (const tx of body.transactions as Json[]) {
        if (tx.kind === 'refund' && tx.status === 'success') add(refunds, String(tx.currency), minor(String(tx.amount), String(tx.currency)));
      }
    }
  }
  return { orders, refunds, refundIds };
}

interface Engine {
  name: string;
  skip: boolean;
  open(): Promise<Store>;
  drop(): Promise<void>;
}

const unavailable = await postgresUnavailableReason();
const schema = testSchema('cartstream_report_routes');
const engines: Engine[] = [
  { name: 'sqlite', skip: false, open: () => openStore(':memory:'), drop: async () => undefined },
  {
    name: 'postgres',
    skip: skipWithoutPostgres(unavailable, 'the report routes on PostgreSQL'),
    async open() {
      const store = await openPostgresStore(testPostgresUrl, { schema: schema.name, poolSize: 2 });
      await store.migrate();
      await schema.truncate();
      return store;
    },
    drop: () => schema.drop(),
  },
];

afterAll(async () => {
  if (unavailable === null) await schema.drop();
});

/** Stores every webhook a second apart from t0, maps them with the real pipeline, and settles Segment's rows. */
async function seed(store: Store, deadEvery: number): Promise<Set<string>> {
  await store.insertInbox(hooks.map((hook, i) => ({
    shop, source: 'shopify', topic: hook.topic, webhookId: hook.webhookId, eventId: hook.eventId, triggeredAt: hook.triggeredAt,
    apiVersion: hook.apiVersion, headers: { 'x-shopify-topic': hook.topic }, body: hook.body, receivedAt: t0 + i * 1_000,
  })));
  const rows = await store.claimInbox({ worker: 'w', limit: 1_000, leaseMs: 30_000, now: t0 });
  await store.settleInbox(rows.map((row) => ({ id: row.id, outcome: processDelivery(row, [segment]).outcome })), now - 60_000);
  const outbox = await store.claimOutbox('segment', { worker: 'w', limit: 5_000, leaseMs: 30_000, now });
  const deadOrders = new Set<string>();
  let completed = 0;
  const settlements = outbox.map((row): OutboxSettlement => {
    if (row.eventName === 'Order Completed' && ++completed % deadEvery === 0) {
      deadOrders.add(String(((JSON.parse(row.payload) as Json).properties as Json).order_id));
      return { id: row.id, status: 'dead', reason: 'HTTP 400: invalid event' };
    }
    return { id: row.id, status: 'delivered' };
  });
  await store.settleOutbox(settlements, now - 30_000);
  return deadOrders;
}

for (const engine of engines) {
  describe.skipIf(engine.skip)(`report routes (${engine.name})`, () => {
    let store: Store;
    let app: FastifyInstance;

    beforeEach(async () => {
      store = await engine.open();
      app = Fastify();
      await app.register(adminRoutes, { prefix: '/api', store, token, now: () => now });
      await app.ready();
    });
    afterEach(async () => {
      await app.close();
      await store.close();
    });

    const get = (url: string) => app.inject({ method: 'GET', url, headers: auth });

    it('GET /api/accuracy matches what the webhooks say, order by order and to the cent per currency', async () => {
      const deadOrders = await seed(store, 7);
      const says = shopifySays(hooks);
      const web = [...says.orders].filter(([, order]) => order.web);
      // Orders of the other channels are mapped and left out by Segment's default orders.channels, with the rule.
      const otherChannels = [...says.orders.values()].filter((order) => !order.web && !order.pos).length;
      const report = (await get(`/api/accuracy?${window}`)).json();

      expect(report.period).toEqual({ since: '2025-06-15T15:00:00.000Z', until: '2025-06-15T16:00:00.000Z' });
      expect(report.shopify).toEqual({ orders: says.orders.size, refunds: says.refundIds.size, unreadable: [] });
      expect(report.orders).toEqual({ orderCompleted: web.length, excluded: says.orders.size - web.length, failed: 0, waiting: 0 });
      expect(report.orderCompleted).toEqual([
        { destination: 'segment', byStatus: { delivered: web.length - deadOrders.size, pending: 0, dead: deadOrders.size, skipped: otherChannels } },
      ]);
      expect(otherChannels).toBeGreaterThan(0);
      expect(report.excluded.byRule).toEqual(expect.arrayContaining([
        { rule: 'source_name pos: sent as POS Order Placed', destinations: [], orders: expect.any(Number) },
        { rule: expect.stringMatching(/^excluded by option orders\.channels \(web\): source_name /), destinations: ['segment'], orders: expect.any(Number) },
      ]));

      const shopifyOrders = new Map<string, bigint>();
      const deliveredOrders = new Map<string, bigint>();
      for (const [orderId, order] of web) {
        add(shopifyOrders, order.currency, order.total);
        if (!deadOrders.has(orderId)) add(deliveredOrders, order.currency, order.total);
      }
      const expected = [...new Set([...shopifyOrders.keys(), ...says.refunds.keys()])].sort().map((currency) => {
        const orders = shopifyOrders.get(currency) ?? 0n;
        const refunds = says.refunds.get(currency) ?? 0n;
        const delivered = deliveredOrders.get(currency) ?? 0n;
        const text = (value: bigint) => decimal(value, currency);
        return {
          currency,
          shopify: { orders: text(orders), refunds: text(refunds), net: text(orders - refunds) },
          destinations: [{ destination: 'segment', orders: text(delivered), refunds: text(refunds), net: text(delivered - refunds), excluded: text(0n), difference: text(delivered - orders) }],
        };
      });
      expect(report.revenue).toEqual(expected);
      expect(deadOrders.size).toBeGreaterThan(2);
      expect(new Set(report.differences.map((d: { orderId: string }) => d.orderId))).toEqual(deadOrders);
      expect(report.differences[0].why).toEqual(['Order Completed dead: HTTP 400: invalid event']);
    });

    it("GET /api/customers/:id/journey shows a customer's messages in time order, with each destination's status", async () => {
      await seed(store, 1_000);
      const customerId = hooks.find((hook) => hook.topic === 'orders/create' && hook.customerId && hook.expectOrderCompleted)?.customerId;
      const reply = await get(`/api/customers/${customerId}/journey`);
      expect(reply.statusCode).toBe(200);
      const journey = reply.json();
      expect(journey.userId).toBe(customerId);
      const names = journey.steps.map((step: { eventName: string }) => step.eventName);
      expect(names).toContain('Order Completed');
      expect(names).toContain('identify');
      const times = journey.steps.map((step: { receivedAt: string }) => Date.parse(step.receivedAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const completed = journey.steps.find((step: { eventName: string }) => step.eventName === 'Order Completed');
      expect(completed).toMatchObject({ userId: customerId, total: expect.stringMatching(/^\d+(\.\d+)? [A-Z]{3}$/) });
      expect(completed.destinations).toEqual([{ destination: 'segment', status: 'delivered', lastError: null, deliveredAt: new Date(now - 30_000).toISOString() }]);
      expect((await get('/api/customers/no-such-customer/journey')).json()).toEqual({ userId: 'no-such-customer', anonymousIds: [], steps: [] });
    });

    it('GET /api/timeseries lines up per-minute counts per destination, zeros included', async () => {
      const deadOrders = await seed(store, 7);
      const series = (await get('/api/timeseries?minutes=5')).json();
      expect(series.minutes).toEqual([4, 3, 2, 1, 0].map((back) => new Date(now - back * 60_000).toISOString()));
      const [segmentSeries] = series.destinations;
      const delivered = (await store.searchMessages({ limit: 5_000 })).filter((m) => m.status === 'delivered');
      const latencies = delivered.map((m) => now - 30_000 - m.receivedAt);
      expect(segmentSeries).toEqual({
        destination: 'segment', delivered: [0, 0, 0, delivered.length, 0], retried: [0, 0, 0, 0, 0], dead: [0, 0, 0, deadOrders.size, 0],
        latencyAvgMs: [null, null, null, Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length), null],
        latencyMaxMs: [null, null, null, Math.max(...latencies), null],
      });
    });

    it('GET /api/queues tells how much waits and for how long', async () => {
      await store.insertInbox([{ ...{ shop, source: 'shopify', topic: 'orders/create', webhookId: 'q1', eventId: null }, triggeredAt: null, apiVersion: null, headers: {}, body: Buffer.from('{}'), receivedAt: now - 90_000 }]);
      expect((await get('/api/queues')).json()).toEqual({
        inbox: { pending: 1, oldestReceivedAt: new Date(now - 90_000).toISOString(), oldestAgeSeconds: 90 },
        destinations: [],
      });
    });
  });
}

describe('report routes: bad input', () => {
  let store: Store;
  let app: FastifyInstance;
  beforeEach(async () => {
    store = await openStore(':memory:');
    app = Fastify();
    await app.register(adminRoutes, { prefix: '/api', store, token, now: () => now });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  it.each([
    ['/api/accuracy?since=2025-06-15T16:00:00Z&until=2025-06-15T15:00:00Z', 'until: must be later than since'],
    ['/api/accuracy?since=2025-01-01T00:00:00Z&until=2025-06-15T15:00:00Z', 'since: the period can be at most 31 days'],
    ['/api/accuracy?since=yesterday', 'since: Invalid ISO datetime'],
    ['/api/customers/7/journey?limit=0', 'limit: Too small'],
    ['/api/timeseries?minutes=2', 'minutes: Too small'],
    ['/api/queues?x=1', 'query: Unrecognized key: "x"'],
  ])('GET %s answers 400 naming the field', async (url, error) => {
    const reply = await app.inject({ method: 'GET', url, headers: auth });
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error).toContain(error);
  });

  it('reports the 24 hours before now when no period is given', async () => {
    const report = (await app.inject({ method: 'GET', url: '/api/accuracy', headers: auth })).json();
    expect(report.period).toEqual({ since: new Date(now - 86_400_000).toISOString(), until: new Date(now).toISOString() });
    expect(report.shopify).toEqual({ orders: 0, refunds: 0, unreadable: [] });
  });
});
