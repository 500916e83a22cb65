import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import type { InboxDelivery, Store } from '../store/store.ts';
import { createInboxWriter } from './inbox-writer.ts';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cartstream-writer-'));
  store = await openStore(join(dir, 'store.db'), { busyTimeoutMs: 0 });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function delivery(n: number): InboxDelivery {
  return {
    shop: 'shop-one.myshopify.com', source: 'shopify', topic: 'orders/create', webhookId: `w-${n}`, eventId: null,
    triggeredAt: null, apiVersion: '2026-04', headers: {}, body: Buffer.from(`{"id":${n}}`), receivedAt: n,
  };
}

describe('inbox writer', () => {
  it('commits deliveries that arrive together in one transaction and answers each', async () => {
    const writer = createInboxWriter(store);
    const results = await Promise.all([1, 2, 3, 1].map((n) => writer.write(delivery(n))));
    expect(results).toStrictEqual(['stored', 'stored', 'stored', 'duplicate']);
    expect((await store.counts()).inbox.pending).toBe(3);
  });

  it('waits for another connection to release the write lock without blocking the event loop', async () => {
    const other = new DatabaseSync(join(dir, 'store.db'));
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 1);
    let settled = false;
    const written = createInboxWriter(store).write(delivery(7)).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 60));
    // Still waiting for the lock, and the event loop kept running timers meanwhile (a count, not a rate: a busy
    // machine may run fewer of them).
    expect(settled).toBe(false);
    expect(ticks).toBeGreaterThan(0);
    other.exec('COMMIT');
    other.close();
    expect(await written).toBe('stored');
    clearInterval(ticker);
  });

  it('gives up with the store error once the lock is held past its patience (the request then gets 503)', async () => {
    const other = new DatabaseSync(join(dir, 'store.db'));
    other.exec('BEGIN IMMEDIATE');
    await expect(createInboxWriter(store, { busyRetryForMs: 30 }).write(delivery(8))).rejects.toThrow(/locked/);
    other.exec('ROLLBACK');
    other.close();
  });
});
