import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store.ts';
import { describeStoreContract } from '../store-contract.ts';
import { openPostgresStore } from './postgres-store.ts';
import {
  postgresUnavailableReason,
  skipWithoutPostgres,
  testPostgresUrl,
  testSchema,
} from './postgres-test-database.ts';

const unavailable = await postgresUnavailableReason();
const schema = testSchema('cartstream_store_test');

describe.skipIf(skipWithoutPostgres(unavailable, 'PostgreSQL store tests'))('postgres store', () => {
  let store: Store;

  beforeAll(async () => {
    if (unavailable !== null) throw new Error(`CI requires PostgreSQL: ${unavailable}`);
    store = await openPostgresStore(testPostgresUrl, { schema: schema.name, poolSize: 4 });
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    if (unavailable === null) await schema.drop();
  });

  // One schema for the file; each test starts from empty tables.
  describeStoreContract('postgres', async () => {
    await schema.truncate();
    return { store, cleanup: async () => undefined };
  });

  describe('schema', () => {
    it('lets several processes migrate at once: one applies the steps, the others find nothing to do', async () => {
      const other = testSchema('cartstream_migrate_test');
      const stores = await Promise.all(
        [1, 2, 3].map(() => openPostgresStore(testPostgresUrl, { schema: other.name, poolSize: 1 })),
      );
      try {
        await Promise.all(stores.map((s) => s.migrate()));
        expect(await Promise.all(stores.map((s) => s.counts()))).toEqual(
          stores.map(() => ({
            inbox: { pending: 0, done: 0, failed: 0 },
            duplicates: 0,
            outbox: { pending: 0, delivered: 0, dead: 0, skipped: 0 },
          })),
        );
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await other.drop();
      }
    });

    it('refuses a schema name that is not a plain identifier', async () => {
      await expect(openPostgresStore(testPostgresUrl, { schema: 'x; DROP TABLE inbox' })).rejects.toThrow(/schema/);
    });
  });
});
