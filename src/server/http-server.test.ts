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

  it('exposes Prometheus metrics named cartstream_*', async () => {
    const metrics = await app.inject('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('cartstream_webhooks_received_total');
  });
});
