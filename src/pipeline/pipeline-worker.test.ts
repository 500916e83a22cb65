import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSegmentDestination } from '../destinations/segment/index.ts';
import { segmentSettingsSchema } from '../destinations/segment/settings.ts';
import { sampleResponseText } from '../mapping/samples-for-tests.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { openStore } from '../store/open-store.ts';
import type { InboxSettlement, Store } from '../store/store.ts';
import { createPipelineWorker } from './pipeline-worker.ts';

const shop = 'worker.myshopify.com';
const orderBody = Buffer.from(sampleResponseText('orders_create.json'));
const destination = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'k', endpoint: 'http://127.0.0.1:9' }));

/** A PostgreSQL deadlock as `pg` reports it. */
function deadlock(): Error {
  return Object.assign(new Error('deadlock detected'), { code: '40P01' });
}

/** The store, with settleInbox failing with the given errors first. */
function failingSettles(store: Store, errors: Error[]): { store: Store; settleCalls: () => number } {
  let calls = 0;
  async function settleInbox(settlements: InboxSettlement[], now: number): Promise<void> {
    calls += 1;
    const error = errors.shift();
    if (error !== undefined) throw error;
    return store.settleInbox(settlements, now);
  }
  const wrapped = new Proxy(store, {
    get(target, key) {
      if (key === 'settleInbox') return settleInbox;
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, settleCalls: () => calls };
}

describe('pipeline worker', () => {
  let store: Store;

  beforeEach(async () => {
    store = await openStore(':memory:');
    await store.insertInbox([1, 2, 3].map((n) => ({
      shop, source: 'shopify', topic: 'orders/create', webhookId: `w${n}`, eventId: `e${n}`,
      triggeredAt: '2025-06-15T15:06:40.000Z', apiVersion: '2025-04', headers: {}, body: orderBody, receivedAt: 1_000,
    })));
  });
  afterEach(async () => {
    await store.close();
  });

  function worker(target: Store) {
    return createPipelineWorker({
      store: target, destinations: [destination], worker: 'test', batchSize: 10, leaseMs: 60_000, idleDelayMs: 1,
      now: () => 2_000, logger: createLogger('silent'), metrics: createMetrics(),
    });
  }

  it('settles a batch whose first settle lost a deadlock in the same pass, without waiting for its lease', async () => {
    const flaky = failingSettles(store, [deadlock(), deadlock()]);

    expect(await worker(flaky.store).runOnce()).toBe(3);

    expect(flaky.settleCalls()).toBe(3);
    expect((await store.counts()).inbox).toEqual({ pending: 0, done: 3, failed: 0 });
  });

  it('gives up on an error that is not concurrency, leaving the rows pending for another pass', async () => {
    const broken = failingSettles(store, [new Error('disk full')]);

    await expect(worker(broken.store).runOnce()).rejects.toThrow('disk full');

    expect(broken.settleCalls()).toBe(1);
    expect((await store.counts()).inbox).toEqual({ pending: 3, done: 0, failed: 0 });
  });
});
