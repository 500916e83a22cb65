/**
 * GET /api/customers/:id/profile over a simulated store's traffic (redeliveries included) mapped by the real pipeline
 * worker: each customer's order count and lifetime value net of refunds are checked against figures this file
 * derives from the webhook bodies themselves.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSegmentDestination, segmentSettingsSchema } from '../destinations/segment/index.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { createPipelineWorker } from '../pipeline/pipeline-worker.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import { simulateWebhooks } from '../simulator/store-simulator.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { adminRoutes } from './admin-routes.ts';

const token = 'admin-token-0123456789abcdef';
const shop = 'profile-outfitters.myshopify.com';
const hooks = simulateWebhooks({ shop, seed: 11, startTime: '2025-06-15T09:00:00Z', count: 400, refundShare: 0.5, refundDelayMinutes: [1, 5] });
const segment = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'k' }), { fetch: () => Promise.reject(new Error('not used')) });

type Json = Record<string, unknown>;

/** A decimal string as integer cents, by its digits (the simulated shop sells in 2-decimal currencies here). */
function cents(amount: string): number {
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole + fraction.padEnd(2, '0').slice(0, 2));
}

/** Per customer, from the bodies: their distinct orders and the orders' totals minus the refunds' transactions. */
function bodiesSay() {
  const orderOf = new Map<string, { customerId: string; currency: string; total: number }>();
  const refunds = new Map<string, { orderId: string; amount: number }>();
  for (const hook of hooks) {
    const body = parseJsonExact(hook.body) as Json;
    if (hook.topic === 'orders/create' && hook.customerId) {
      orderOf.set(hook.orderId!, { customerId: hook.customerId, currency: String(body.currency), total: cents(String(body.total_price)) });
    } else if (hook.topic === 'refunds/create') {
      const txs = (body.transactions as Json[]).filter((tx) => tx.kind === 'refund' && tx.status === 'success');
      refunds.set(String(body.id), { orderId: hook.orderId!, amount: txs.reduce((sum, tx) => sum + cents(String(tx.amount)), 0) });
    }
  }
  const customers = new Map<string, { orders: number; net: number; currency: string; refunds: number }>();
  for (const { customerId, currency, total } of orderOf.values()) {
    const seen = customers.get(customerId) ?? { orders: 0, net: 0, currency, refunds: 0 };
    customers.set(customerId, { ...seen, orders: seen.orders + 1, net: seen.net + total });
  }
  for (const { orderId, amount } of refunds.values()) {
    const order = orderOf.get(orderId);
    const customer = order && customers.get(order.customerId);
    if (customer) Object.assign(customer, { net: customer.net - amount, refunds: customer.refunds + 1 });
  }
  return customers;
}

describe('GET /api/customers/:id/profile', () => {
  let store: Store;
  let app: FastifyInstance;

  beforeEach(async () => {
    store = await openStore(':memory:');
    app = Fastify();
    await app.register(adminRoutes, { prefix: '/api', store, token, now: () => Date.parse('2025-06-15T16:00:00Z') });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  async function mapAll(): Promise<void> {
    await store.insertInbox(hooks.map((hook, i) => ({
      shop, source: 'shopify', topic: hook.topic, webhookId: hook.webhookId, eventId: hook.eventId, triggeredAt: hook.triggeredAt,
      apiVersion: hook.apiVersion, headers: {}, body: hook.body, receivedAt: 1_000 + i,
    })));
    const worker = createPipelineWorker({
      store, destinations: [segment], worker: 'w', batchSize: 37, leaseMs: 60_000, idleDelayMs: 1, now: () => 5_000,
      logger: createLogger('silent'), metrics: createMetrics(),
    });
    while ((await worker.runOnce()) > 0);
  }

  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it("answers every customer's order count and lifetime value net of refunds as the webhook bodies add up", async () => {
    await mapAll();
    const expected = bodiesSay();
    expect([...expected.values()].some((c) => c.orders > 1)).toBe(true);
    expect([...expected.values()].filter((c) => c.refunds > 0).length).toBeGreaterThan(3);
    expect(hooks.some((hook) => hook.redelivery)).toBe(true);

    for (const [customerId, figures] of expected) {
      const reply = await get(`/api/customers/${customerId}/profile`);
      expect(reply.statusCode).toBe(200);
      const body = reply.json();
      expect(body).toMatchObject({ customerId, journey: `/api/customers/${customerId}/journey` });
      expect(body.profiles).toHaveLength(1);
      const [profile] = body.profiles;
      const net = `${figures.net < 0 ? '-' : ''}${Math.trunc(Math.abs(figures.net) / 100)}.${String(Math.abs(figures.net) % 100).padStart(2, '0')} ${figures.currency}`;
      expect({ orderCount: profile.orderCount, lifetimeValue: profile.lifetimeValue }).toStrictEqual({ orderCount: figures.orders, lifetimeValue: net });
      expect(profile.orders).toHaveLength(figures.orders);
    }
  });

  it('answers an unknown customer with no profiles, and needs the bearer token', async () => {
    expect((await get('/api/customers/no-such-customer/profile')).json()).toStrictEqual({
      customerId: 'no-such-customer', journey: '/api/customers/no-such-customer/journey', profiles: [],
    });
    expect((await app.inject({ method: 'GET', url: '/api/customers/1/profile' })).statusCode).toBe(401);
  });
});
