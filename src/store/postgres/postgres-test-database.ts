/**
 * Test support for the PostgreSQL store: which server to use, whether it answers, and a throwaway schema per test
 * file. Not a test itself; imported by the *.test.ts files beside it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const testPostgresUrl = process.env.CARTSTREAM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why the test server cannot be used, or null when it answers. */
export async function postgresUnavailableReason(url: string = testPostgresUrl): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `no PostgreSQL answers at ${url} (${(error as Error).message || String(error)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Skip outside CI when the server is missing, saying why; in CI (CI=true) run anyway so the tests fail loudly.
 */
export function skipWithoutPostgres(reason: string | null, suite: string): boolean {
  if (reason === null) return false;
  if (process.env.CI === 'true') return false;
  console.warn(`skipping ${suite}: ${reason} (set CARTSTREAM_TEST_PG_URL to run it)`);
  return true;
}

export interface TestSchema {
  name: string;
  /** Empties the store's tables between tests. */
  truncate(): Promise<void>;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** A uniquely named schema for one test file; created by the store's migrate(), dropped by drop(). */
export function testSchema(prefix: string, url: string = testPostgresUrl): TestSchema {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    name,
    // Every table the migrations made, whatever later versions add; the applied versions stay recorded.
    truncate: () => run(`DO $$ BEGIN EXECUTE (
      SELECT 'TRUNCATE ' || string_agg(format('%I.%I', schemaname, tablename), ', ') || ' RESTART IDENTITY'
      FROM pg_tables WHERE schemaname = '${name}' AND tablename <> 'schema_migrations'); END $$`),
    drop: () => run(`DROP SCHEMA IF EXISTS ${name} CASCADE`),
  };
}
