import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isPostgresUrl, openStore, postgresTarget } from './open-store.ts';
import { postgresUnavailableReason, testPostgresUrl } from './postgres/postgres-test-database.ts';

describe('openStore', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('opens a migrated SQLite file, creating the directories it sits in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cartstream-open-'));
    dirs.push(dir);
    const path = join(dir, 'data', 'nested', 'cartstream.db');

    const store = await openStore(path);
    try {
      expect(store.engine).toBe('sqlite');
      expect(existsSync(path)).toBe(true);
      expect((await store.counts()).inbox).toEqual({ pending: 0, done: 0, failed: 0 });
    } finally {
      await store.close();
    }
  });

  it.each([
    ['postgres://cartstream@127.0.0.1:5432/cartstream', true],
    ['postgresql://127.0.0.1/cartstream', true],
    ['POSTGRES://127.0.0.1/cartstream', true],
    ['./data/cartstream.db', false],
    ['/var/lib/cartstream/postgres.db', false],
    [':memory:', false],
  ])('reads %s as PostgreSQL: %s', (db, postgres) => {
    expect(isPostgresUrl(db)).toBe(postgres);
  });

  it('takes a schema from ?schema= and passes the rest of the URL to pg unchanged', () => {
    expect(postgresTarget('postgres://u@127.0.0.1:5432/shop?schema=tenant_a&sslmode=disable')).toStrictEqual({
      url: 'postgres://u@127.0.0.1:5432/shop?sslmode=disable', schema: 'tenant_a',
    });
    expect(postgresTarget('postgres://u@127.0.0.1/shop')).toStrictEqual({ url: 'postgres://u@127.0.0.1/shop' });
  });

  it('opens PostgreSQL in the schema the URL names, creating it', async (context) => {
    const unavailable = await postgresUnavailableReason();
    if (unavailable !== null && process.env.CI !== 'true') return context.skip(unavailable);
    const schema = `open_store_${process.pid}`;
    const store = await openStore(`${testPostgresUrl}?schema=${schema}`);
    try {
      expect(store.engine).toBe('postgres');
      expect(await store.insertInbox([{
        shop: 's.myshopify.com', source: 'shopify', topic: 't', webhookId: 'w', eventId: null, triggeredAt: null,
        apiVersion: null, headers: {}, body: Buffer.from('{}'), receivedAt: 1,
      }])).toStrictEqual(['stored']);
    } finally {
      await store.close();
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
