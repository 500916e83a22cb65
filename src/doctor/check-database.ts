import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import type { Migration } from '../store/migration.ts';
import { isPostgresUrl, postgresTarget } from '../store/open-store.ts';
import { postgresMigrations } from '../store/postgres/migrations.ts';
import { sqliteMigrations } from '../store/sqlite/migrations.ts';
import { fail, ok, skip, type CheckResult } from './doctor-check.ts';

const name = 'database';
const migrateFix = 'run `npx cartstream migrate` (start does it too)';

/** Compares applied schema versions with the ones this cartstream knows; undefined when they match. */
function schemaProblem(applied: ReadonlySet<number>, known: readonly Migration[], where: string): CheckResult | undefined {
  const missing = known.filter((step) => !applied.has(step.version));
  if (missing.length > 0) {
    const steps = missing.map((step) => `${step.version} (${step.name})`).join(', ');
    return fail(name, `${where}: schema is behind, migration${missing.length > 1 ? 's' : ''} ${steps} not applied`, migrateFix);
  }
  const newest = Math.max(0, ...known.map((step) => step.version));
  const newer = [...applied].filter((version) => version > newest);
  if (newer.length > 0) {
    return fail(name, `${where}: migrated by a newer cartstream (schema version ${Math.max(...newer)}, this one knows up to ${newest})`, 'upgrade this cartstream to the version that migrated the database');
  }
  return undefined;
}

function sqliteVersions(db: DatabaseSync): Set<number> | undefined {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) return undefined;
  return new Set(db.prepare('SELECT version FROM schema_migrations').all().map((row) => Number(row.version)));
}

/**
 * Writes without changing anything: setting user_version (unused by cartstream) to its own value commits a real
 * write transaction, so a read-only file or a lock held by another process shows here, not in the first webhook.
 */
function sqliteWriteProbe(db: DatabaseSync): void {
  const version = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  db.exec(`PRAGMA user_version = ${Math.trunc(version)}`);
}

function checkSqlite(path: string, busyTimeoutMs: number): CheckResult {
  if (path === ':memory:') return skip(name, 'an in-memory SQLite database: nothing to check, and nothing survives a restart');
  if (!existsSync(path)) return fail(name, `SQLite file ${path} does not exist yet`, `${migrateFix}, or set CARTSTREAM_DB / "db" to the file cartstream uses`);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { timeout: busyTimeoutMs });
    const applied = sqliteVersions(db);
    if (applied === undefined) return fail(name, `SQLite file ${path} has no cartstream schema`, migrateFix);
    const problem = schemaProblem(applied, sqliteMigrations, `SQLite ${path}`);
    if (problem) return problem;
    sqliteWriteProbe(db);
    return ok(name, `SQLite ${path}: opens, schema current (version ${Math.max(...applied)}), writable`);
  } catch (error) {
    const message = (error as Error).message;
    if (/locked|busy/i.test(message)) return fail(name, `SQLite ${path} is locked by another process (${message})`, 'stop the other writer (another cartstream on the same file?) or wait for it, then run doctor again');
    if (/readonly|read-only/i.test(message)) return fail(name, `SQLite ${path} is not writable (${message})`, 'give the user running cartstream write access to the file and its directory (WAL needs both)');
    return fail(name, `SQLite ${path} cannot be used: ${message}`, 'check the path and that it is a SQLite database');
  } finally {
    db?.close();
  }
}

async function pgVersions(client: pg.Client, schema: string): Promise<Set<number> | undefined> {
  const exists = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [`${schema}.schema_migrations`]);
  if (exists.rows[0]?.found == null) return undefined;
  const rows = await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations`);
  return new Set(rows.rows.map((row) => Number(row.version)));
}

/**
 * An UPDATE that matches no row, rolled back: PostgreSQL still checks the privilege and refuses it in a read-only
 * session or on a replica, and nothing changes.
 */
async function pgWriteProbe(client: pg.Client, schema: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query("SET LOCAL lock_timeout = '3s'");
    await client.query(`UPDATE ${schema}.inbox SET status = status WHERE false`);
  } finally {
    await client.query('ROLLBACK');
  }
}

async function checkPostgres(db: string): Promise<CheckResult> {
  const { url, schema: named } = postgresTarget(db);
  const shown = new URL(url);
  shown.password = shown.password ? '***' : '';
  const where = `PostgreSQL ${shown.host}${shown.pathname}`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const schema = named ?? (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]?.schema ?? 'public';
    const applied = await pgVersions(client, schema);
    if (applied === undefined) return fail(name, `${where} schema ${schema} has no cartstream tables`, migrateFix);
    const problem = schemaProblem(applied, postgresMigrations, `${where} schema ${schema}`);
    if (problem) return problem;
    await pgWriteProbe(client, schema);
    return ok(name, `${where} schema ${schema}: connects, schema current (version ${Math.max(...applied)}), writable`);
  } catch (error) {
    const message = (error as Error).message || String(error);
    if (/read-only|permission denied/i.test(message)) return fail(name, `${where} is not writable: ${message}`, 'connect as a role that may write the cartstream tables, to the primary (not a read replica)');
    return fail(name, `${where} cannot be used: ${message}`, 'check CARTSTREAM_DB / "db" (host, port, user, password, database) and that the server is running');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Opens the configured database, checks the schema is current and that it can be written, changing nothing. */
export async function checkDatabase(db: string, busyTimeoutMs = 2_000): Promise<CheckResult> {
  return isPostgresUrl(db) ? checkPostgres(db) : checkSqlite(db, busyTimeoutMs);
}
