import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSegmentDestination } from '../destinations/segment/index.ts';
import { segmentSettingsSchema } from '../destinations/segment/settings.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { createPipelineWorker, type PipelineWorker } from '../pipeline/pipeline-worker.ts';
import { buildTestHttpServer } from '../server/test-http-server.ts';
import { createAdminClient } from '../shopify-admin/admin-client.ts';
import { startFakeAdminServer, type FakeAdminServer } from '../shopify-admin/fake-admin-server.ts';
import { createFakeClock } from '../shopify-admin/fake-clock.ts';
import { fakeOrders, sampleOrderNode, sampleRefundNode } from '../shopify-admin/fake-orders.ts';
import { signShopifyBody } from '../shopify/webhook-hmac.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { openBackfillState } from './backfill-state.ts';
import { runBackfill } from './run-backfill.ts';

const shop = 'live-after-backfill.myshopify.com';
const secret = 'webhook-secret';
const token = 'shpat_live_after_backfill_0000000000';
const samples = new URL('../../../shared/fixtures/shopify/samples/', import.meta.url);

let server: FakeAdminServer;
let store: Store;
let app: FastifyInstance;
let pipeline: PipelineWorker;
const stateDir = mkdtempSync(join(tmpdir(), 'cartstream-backfill-live-'));

/** A sample's webhook body as Shopify would send it live. */
function liveBody(file: string, fix: (text: string) => string = (text) => text): Buffer {
  const sample = JSON.parse(fix(readFileSync(new URL(file, samples), 'utf8'))) as { response: unknown };
  return Buffer.from(JSON.stringify(sample.response));
}

async function deliverLive(topic: string, body: Buffer, webhookId: string): Promise<void> {
  const response = await app.inject({
    method: 'POST', url: '/webhooks/shopify', payload: body,
    headers: {
      'content-type': 'application/json', 'x-shopify-topic': topic, 'x-shopify-shop-domain': shop,
      'x-shopify-webhook-id': webhookId, 'x-shopify-hmac-sha256': signShopifyBody(body, secret),
    },
  });
  expect(response.statusCode).toBe(200);
}

async function drain(): Promise<void> {
  while ((await pipeline.runOnce()) > 0);
}

async function sent(eventName: string) {
  return store.searchMessages({ eventName, destination: 'segment', limit: 100 });
}

beforeAll(async () => {
  const clock = createFakeClock();
  // Shopify's sample order (and its refund) plus three more orders of the same month.
  const orders = [{ node: sampleOrderNode, refunds: [sampleRefundNode] }, ...fakeOrders(3, new Date('2022-01-02T00:00:00Z'))];
  server = await startFakeAdminServer({ accessToken: token, orders, now: clock.now });
  store = await openStore(':memory:');
  app = buildTestHttpServer(store, { domain: shop, secret });
  const destination = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'k', endpoint: 'http://127.0.0.1:9' }));
  pipeline = createPipelineWorker({
    store, destinations: [destination], worker: 'test', batchSize: 10, leaseMs: 60_000, idleDelayMs: 1, now: clock.now,
    logger: createLogger('silent'), metrics: createMetrics(),
  });
  const client = createAdminClient({ shop, accessToken: token, apiVersion: '2026-07', endpoint: server.url, sleep: clock.sleep, now: clock.now });
  const state = openBackfillState(join(stateDir, 'backfill-state.json'));
  await runBackfill({ client, store, state, shop, apiVersion: '2026-07', since: new Date('2021-12-01T00:00:00Z'), until: new Date('2022-02-01T00:00:00Z'), pageSize: 2, now: clock.now });
  await drain();
});

afterAll(async () => {
  await app.close();
  await store.close();
  await server.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('a live webhook for an order that was backfilled', () => {
  it('the backfill alone sends one Order Completed per order and one Order Refunded', async () => {
    expect(await sent('Order Completed')).toHaveLength(4);
    expect(await sent('Order Refunded')).toHaveLength(1);
    expect((await store.counts()).inbox.failed).toBe(0);
  });

  it('is stored and mapped, but sends no second Order Completed or Order Refunded', async () => {
    const completed = await sent('Order Completed');
    await deliverLive('orders/create', liveBody('orders_create.json'), 'live-order-1');
    // The sample's refund names its order by a rounded id; Shopify's live body carries the exact one.
    await deliverLive('refunds/create', liveBody('refunds_create.json', (text) => text.replaceAll('820982911946154500', '"820982911946154508"')), 'live-refund-1');
    await drain();
    const counts = await store.counts();
    expect(counts.inbox).toMatchObject({ pending: 0, failed: 0 });
    expect(counts.inbox.done).toBe(4 + 1 + 2);
    const after = await sent('Order Completed');
    expect(after.map((row) => row.messageId).sort()).toStrictEqual(completed.map((row) => row.messageId).sort());
    expect(await sent('Order Refunded')).toHaveLength(1);
  });
});
