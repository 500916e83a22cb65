import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryEngine } from '../../delivery/delivery-engine.ts';
import { sampleBody } from '../../mapping/samples-for-tests.ts';
import { createLogger } from '../../observability/logger.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { createPipelineWorker } from '../../pipeline/pipeline-worker.ts';
import { openStore } from '../../store/open-store.ts';
import type { InboxDelivery, Store } from '../../store/store.ts';
import type { Destination } from '../destination.ts';
import { createWarehouseDestination, warehouseSettingsSchema } from './index.ts';

/**
 * End to end on the default deployment's shape: one SQLite file holds the store and the warehouse. Real webhook
 * bodies go through the pipeline into the outbox, the delivery engine writes them to the warehouse tables, and a
 * separate connection (a merchant's SQL tool) reads them.
 */

const shop = 'e2e.myshopify.com';
const receivedAt = Date.parse('2024-06-01T08:00:00.000Z');

function delivery(n: number, topic: string, body: unknown, source: InboxDelivery['source'] = 'shopify'): InboxDelivery {
  return {
    shop, source, topic, webhookId: `e2e-${n}`, eventId: null, triggeredAt: null, apiVersion: '2026-04',
    headers: {}, body: Buffer.from(JSON.stringify(body)), receivedAt,
  };
}

const pageCall = {
  type: 'page', name: 'Hat', messageId: 'ajs-page-1', anonymousId: 'browser-anon-1', receivedAt: '2024-06-01T07:59:00.000Z',
  properties: { path: '/products/hat', title: 'Hat' }, context: { ip: '203.0.113.7' },
};

let dir: string;
let store: Store;
let destination: Destination;
let reader: DatabaseSync;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cartstream-warehouse-e2e-'));
  const path = join(dir, 'cartstream.db');
  store = await openStore(path, { synchronous: 'normal' });
  destination = createWarehouseDestination({ ...warehouseSettingsSchema.parse({}), db: path }, { now: () => receivedAt + 1000 });
  reader = new DatabaseSync(path, { readOnly: true });
});

afterEach(async () => {
  reader.close();
  await destination.close?.();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function mapEverything(): Promise<void> {
  const pipeline = createPipelineWorker({
    store, destinations: [destination], worker: 'e2e', batchSize: 50, leaseMs: 30_000, idleDelayMs: 1, now: () => receivedAt,
    logger: createLogger('silent'), metrics: createMetrics(),
  });
  while ((await pipeline.runOnce()) > 0);
}

const select = (sql: string) => reader.prepare(sql).all().map((row) => ({ ...row }));

describe('warehouse through the delivery engine', () => {
  it('writes real webhooks and a storefront page call into the store\'s own SQLite file', async () => {
    await store.insertInbox([
      delivery(1, 'orders/create', sampleBody('orders_create.json')),
      delivery(2, 'customers/update', sampleBody('customers_update.json')),
      delivery(3, 'collector/page', pageCall, 'collector'),
    ]);
    await mapEverything();
    const engine = createDeliveryEngine({ store, destination, worker: 'e2e', clock: { now: () => receivedAt + 1000 }, random: () => 0.5 });
    const claimed = await engine.runOnce();
    expect(claimed).toBeGreaterThanOrEqual(5);
    expect(await store.counts()).toMatchObject({ outbox: { pending: 0, delivered: claimed, dead: 0 } });

    const [sent] = await store.searchMessages({ destination: 'warehouse', eventName: 'Order Completed', limit: 10 });
    expect(select('SELECT id, order_id, total, currency, received_at FROM order_completed')).toStrictEqual([
      { id: sent?.messageId, order_id: '820982911946154508', total: 404.95, currency: 'USD', received_at: '2024-06-01T08:00:01.000Z' },
    ]);
    expect(select('SELECT event, COUNT(*) AS n FROM tracks GROUP BY event ORDER BY event')).toStrictEqual([
      { event: 'customer_updated', n: 1 }, { event: 'order_completed', n: 1 },
    ]);
    expect(select('SELECT COUNT(*) AS n FROM identifies')).toStrictEqual([{ n: 2 }]);
    expect(select('SELECT name, path, context_ip FROM pages')).toStrictEqual([{ name: 'Hat', path: '/products/hat', context_ip: '203.0.113.7' }]);
    // The store's own tables are untouched by the warehouse: it still answers for every delivery.
    expect((await store.counts()).inbox).toMatchObject({ pending: 0, failed: 0 });
  });

  it('runs its send loops next to the store on one file without locking itself out, each row once', async () => {
    const orders = Array.from({ length: 40 }, (_, n) => {
      const body = sampleBody('orders_create.json');
      return delivery(n, 'orders/create', { ...body, id: 5_000_000 + n, admin_graphql_api_id: `gid://shopify/Order/${5_000_000 + n}` });
    });
    await store.insertInbox(orders);
    await mapEverything();
    // Small batches, so the four loops claim, write and settle at the same time.
    const small: Destination = { ...destination, limits: { ...destination.limits, maxBatchEvents: 5 } };
    const engine = createDeliveryEngine({
      store, destination: small, worker: 'e2e', clock: { now: () => Date.now() + 60_000 }, random: () => 0.5, idleDelayMs: 5, concurrency: 4,
    });
    engine.start();
    try {
      await expect.poll(async () => (await store.counts()).outbox.pending, { timeout: 20_000, interval: 20 }).toBe(0);
    } finally {
      await engine.stop();
    }
    expect((await store.counts()).outbox.dead).toBe(0);
    expect(select('SELECT COUNT(*) AS n, COUNT(DISTINCT order_id) AS orders FROM order_completed')).toStrictEqual([{ n: 40, orders: 40 }]);
    expect(select('SELECT COUNT(*) AS n FROM users')).toStrictEqual([{ n: 1 }]);
  });
});
