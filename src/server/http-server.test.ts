import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { buildTestHttpServer } from './test-http-server.ts';

let store: Store;
let app: FastifyInstance;
const adminToken = 'admin-token-0123456789abcdef';

beforeEach(async () => {
  store = await openStore(':memory:');
  app = buildTestHttpServer(store, { domain: 'shop.myshopify.com', secret: 's', adminToken });
  await app.ready();
});
afterEach(async () => {
  await app.close();
  await store.close();
});

describe('the HTTP server', () => {
  it('serves the admin API behind its bearer token, next to the webhook intake', async () => {
    expect((await app.inject('/api/status')).statusCode).toBe(401);
    const status = await app.inject({ url: '/api/status', headers: { authorization: `Bearer ${adminToken}` } });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ store: 'sqlite', duplicates: 0 });
  });

  it.each([
    ['without the token', {}, 401],
    ['with the token', { authorization: `Bearer ${adminToken}` }, 400],
  ])('answers an admin path that is not valid percent-encoding %s with %i', async (_name, headers, status) => {
    const answer = await app.inject({ url: '/api/customers/%ZZ/journey', headers });
    expect(answer.statusCode).toBe(status);
    expect(answer.json().error).toMatch(status === 401 ? 'missing or wrong bearer token' : 'Bad Request');
  });

  it('exposes Prometheus metrics named cartstream_*', async () => {
    const metrics = await app.inject('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('cartstream_webhooks_received_total');
  });

  it('reports queue depth and the age of the oldest waiting row from the store at each scrape', async () => {
    const receivedAt = 1_000 - 90_000; // the test server's clock stands at 1,000 ms
    await store.insertInbox([{
      shop: 'shop.myshopify.com', source: 'shopify', topic: 'orders/create', webhookId: 'w1', eventId: null, triggeredAt: null,
      apiVersion: null, headers: {}, body: Buffer.from('{}'), receivedAt,
    }]);
    const body = (await app.inject('/metrics')).body;
    expect(body).toMatch(/^cartstream_queue_depth\{queue="inbox"\} 1$/m);
    const age = Number(/^cartstream_oldest_undelivered_age_seconds\{queue="inbox"\} ([\d.]+)$/m.exec(body)?.[1]);
    expect(age).toBe(90);
  });
});
