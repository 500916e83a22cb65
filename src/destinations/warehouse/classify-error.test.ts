import { describe, expect, it } from 'vitest';
import { isPostgresRowError, isServerError, isSqliteRowError, postgresBatchOutcome, sqliteBatchOutcome } from './classify-error.ts';

const sqliteError = (errcode: number, message: string) => Object.assign(new Error(message), { code: 'ERR_SQLITE_ERROR', errcode });
const postgresError = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('SQLite errors', () => {
  it.each([
    [sqliteError(275, 'CHECK constraint failed: price'), true], // SQLITE_CONSTRAINT_CHECK
    [sqliteError(1811, 'price_not_negative'), true], // SQLITE_CONSTRAINT_TRIGGER
    [sqliteError(18, 'string or blob too big'), true],
    [sqliteError(5, 'database is locked'), false],
    [sqliteError(1, 'no such column: gift_note'), false], // our cached schema is stale: the batch is retried
    [new Error('something else'), false],
  ])('%s is one event\'s fault: %s', (error, rowError) => {
    expect(isSqliteRowError(error)).toBe(rowError);
  });

  it('retries a batch that found the file locked, saying so', () => {
    expect(sqliteBatchOutcome(sqliteError(5, 'database is locked'))).toStrictEqual({ kind: 'retryable', reason: 'warehouse database is busy: database is locked' });
    expect(sqliteBatchOutcome(sqliteError(262, 'database table is locked'))).toMatchObject({ reason: 'warehouse database is busy: database table is locked' });
    expect(sqliteBatchOutcome(sqliteError(10, 'disk I/O error'))).toStrictEqual({ kind: 'retryable', reason: 'warehouse database error: disk I/O error' });
  });
});

describe('PostgreSQL errors', () => {
  it.each([
    ['23514', true], ['23502', true], ['22003', true], ['22P02', true],
    ['42703', false], ['42P01', false], ['40P01', false], ['57014', false], ['08006', false], ['ECONNRESET', false],
  ])('SQLSTATE %s is one event\'s fault: %s', (code, rowError) => {
    expect(isPostgresRowError(postgresError(code))).toBe(rowError);
  });

  it.each([
    ['28P01', 'auth-failed'], ['3D000', 'auth-failed'], ['42501', 'auth-failed'],
    ['40P01', 'retryable'], ['55P03', 'retryable'], ['57P01', 'retryable'], ['42P07', 'retryable'], ['ECONNREFUSED', 'retryable'],
  ])('a batch stopped by %s is %s', (code, kind) => {
    expect(postgresBatchOutcome(postgresError(code))).toMatchObject({ kind });
  });

  it('names the SQLSTATE in the reason, and tells server errors from broken connections', () => {
    expect(postgresBatchOutcome(postgresError('40P01', 'deadlock detected'))).toStrictEqual({ kind: 'retryable', reason: 'warehouse database error 40P01: deadlock detected' });
    expect(postgresBatchOutcome(new Error('Connection terminated unexpectedly'))).toStrictEqual({ kind: 'retryable', reason: 'warehouse database error: Connection terminated unexpectedly' });
    expect(isServerError(postgresError('40P01'))).toBe(true);
    expect(isServerError(postgresError('ECONNRESET'))).toBe(false);
    expect(isServerError(postgresError('EPIPE'))).toBe(false);
  });
});
