import { openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

/** True for a PostgreSQL connection URL; anything else names a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** Splits cartstream's own `?schema=name` parameter off a PostgreSQL URL (the rest goes to `pg` unchanged). */
export function postgresTarget(db: string): { url: string; schema?: string } {
  const url = new URL(db);
  const schema = url.searchParams.get('schema');
  if (schema === null) return { url: db };
  url.searchParams.delete('schema');
  return { url: url.toString(), schema };
}

async function openUnmigrated(db: string, sqlite: SqliteStoreOptions): Promise<Store> {
  if (!isPostgresUrl(db)) return openSqliteStore(db, sqlite);
  const { url, schema } = postgresTarget(db);
  return openPostgresStore(url, schema === undefined ? {} : { schema });
}

/**
 * Opens the store `db` names — a SQLite path, or a postgres:// URL (optionally `?schema=name`) — and brings its
 * schema up to date.
 */
export async function openStore(db: string, sqlite: SqliteStoreOptions = {}): Promise<Store> {
  const store = await openUnmigrated(db, sqlite);
  try {
    await store.migrate();
    return store;
  } catch (error) {
    await store.close();
    throw error;
  }
}
