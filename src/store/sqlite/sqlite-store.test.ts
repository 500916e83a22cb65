import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStoreContract } from '../store-contract.ts';
import { openSqliteStore } from './sqlite-store.ts';

describeStoreContract('sqlite (in memory)', async () => {
  const store = await openSqliteStore(':memory:');
  await store.migrate();
  return { store, cleanup: () => store.close() };
});

describeStoreContract('sqlite (file, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cartstream-sqlite-'));
  const store = await openSqliteStore(join(dir, 'nested', 'cartstream.db'));
  await store.migrate();
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite store file', () => {
  it('keeps what was stored across a close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cartstream-sqlite-'));
    const path = join(dir, 'cartstream.db');
    try {
      const first = await openSqliteStore(path);
      await first.migrate();
      const body = Buffer.from([0x7b, 0xff, 0x7d]);
      await first.insertInbox([
        {
          shop: 'alpha.myshopify.com',
          source: 'shopify',
          topic: 'orders/paid',
          webhookId: 'w1',
          eventId: null,
          triggeredAt: null,
          apiVersion: null,
          headers: {},
          body,
          receivedAt: 1,
        },
      ]);
      await first.close();

      const second = await openSqliteStore(path);
      await second.migrate();
      const [row] = await second.claimInbox({ worker: 'w', limit: 10, leaseMs: 1_000, now: 2 });
      expect(row?.body.equals(body)).toBe(true);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
