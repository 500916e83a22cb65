import type { SendOutcome } from '../destination.ts';

/**
 * Database errors → outcomes. Two questions: is it this one event's fault (its values break a constraint or a type
 * the merchant set) — then only that event fails, for good — or the batch's circumstances (a lock, a lost
 * connection, a schema that changed under us) — then the whole batch is tried again later.
 */

interface SqliteError {
  code?: string;
  errcode?: number;
  message?: string;
}

/** SQLite's primary result codes (https://sqlite.org/rescode.html) that are about one row's values. */
const sqliteRowCodes = new Set([18 /* TOOBIG */, 19 /* CONSTRAINT */, 20 /* MISMATCH */, 25 /* RANGE */]);

function sqlitePrimaryCode(error: unknown): number | undefined {
  const err = error as SqliteError;
  return err?.code === 'ERR_SQLITE_ERROR' && typeof err.errcode === 'number' ? err.errcode & 0xff : undefined;
}

function messageOf(error: unknown): string {
  return (error as { message?: string })?.message || String(error);
}

/** True when a SQLite error while inserting one event's rows is that event's fault. */
export function isSqliteRowError(error: unknown): boolean {
  const code = sqlitePrimaryCode(error);
  return code !== undefined && sqliteRowCodes.has(code);
}

/** A SQLite error that stopped the batch: busy, locked, I/O, a stale schema — all worth another try. */
export function sqliteBatchOutcome(error: unknown): SendOutcome {
  const code = sqlitePrimaryCode(error);
  const what = code === 5 || code === 6 ? 'warehouse database is busy' : 'warehouse database error';
  return { kind: 'retryable', reason: `${what}: ${messageOf(error)}` };
}

interface PostgresError {
  code?: string;
  message?: string;
}

/** The server's SQLSTATE, or '' for a client-side error (Node's codes, like EPIPE, start with E; no SQLSTATE class does). */
const sqlState = (error: unknown): string => {
  const code = (error as PostgresError)?.code;
  return typeof code === 'string' && /^[0-9A-DF-Z][0-9A-Z]{4}$/.test(code) ? code : '';
};

/** The server answered with an error (a SQLSTATE), so the connection itself is still good. */
export function isServerError(error: unknown): boolean {
  return sqlState(error) !== '';
}

/**
 * True when a PostgreSQL error while inserting one event's rows is that event's fault: data exceptions (class 22)
 * and integrity violations (23). Class 42 is not: an undefined table or column means our cached schema is stale.
 */
export function isPostgresRowError(error: unknown): boolean {
  const state = sqlState(error);
  return state.startsWith('22') || state.startsWith('23');
}

/** A PostgreSQL error that stopped the batch: credentials pause the destination; the rest is retried. */
export function postgresBatchOutcome(error: unknown): SendOutcome {
  const state = sqlState(error);
  const reason = `warehouse database error${state ? ` ${state}` : ''}: ${messageOf(error)}`;
  // 28: bad user or password; 3D000: no such database; 42501: no privilege (e.g. to create the schema).
  if (state.startsWith('28') || state === '3D000' || state === '42501') return { kind: 'auth-failed', reason };
  return { kind: 'retryable', reason };
}
