import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SendOutcome, SendResult } from '../destination.ts';
import { planBatch, type EventPlan } from './batch-plan.ts';
import { isSqliteRowError, sqliteBatchOutcome } from './classify-error.ts';
import { columnTypeFromSqlite, sqliteDialect } from './dialect.ts';
import { forgetStatements } from './forget-people.ts';
import { rowStatement } from './statements.ts';
import type { ColumnType } from './column-types.ts';
import type { SchemaSnapshot } from './schema-evolution.ts';
import { delivered, perEvent, permanent, type WarehouseWriter } from './warehouse-writer.ts';

export interface SqliteWarehouseOptions {
  /** A file path (often the store's own file) or ':memory:'. */
  path: string;
  /** How long a write waits for another connection's lock — the store's threads write the same file. */
  busyTimeoutMs: number;
  maxColumnsPerTable: number;
}

/** Prepared statements kept per SQL text; cleared past this many (a stream of new property sets). */
const statementCacheSize = 500;

function readSchema(db: DatabaseSync): SchemaSnapshot {
  const rows = db.prepare(`SELECT m.name AS t, p.name AS c, p.type AS ty FROM sqlite_schema AS m
    JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table' ORDER BY m.name, p.cid`).all();
  const schema = new Map<string, Map<string, ColumnType>>();
  for (const row of rows) {
    const table = String(row.t);
    const columns = schema.get(table) ?? new Map<string, ColumnType>();
    schema.set(table, columns.set(String(row.c), columnTypeFromSqlite(String(row.ty))));
  }
  return schema;
}

function open(path: string, busyTimeoutMs: number): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path, { timeout: busyTimeoutMs });
  try {
    // WAL lets a merchant's SQL tool read while we write; FULL because a row we report delivered is never re-sent.
    // secure_delete, as the store does: a deleted person's bytes are overwritten, not left in free space.
    db.exec('PRAGMA secure_delete = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The SQLite warehouse. node:sqlite is synchronous and so is every batch here, from BEGIN to COMMIT: nothing else
 * on this thread (the store's connection to the same file, say) can run in between and wait on our lock.
 */
export function createSqliteWarehouse(options: SqliteWarehouseOptions): WarehouseWriter {
  let db: DatabaseSync | null = null;
  let schema: SchemaSnapshot | null = null;
  const prepared = new Map<string, StatementSync>();

  function statement(connection: DatabaseSync, sql: string): StatementSync {
    let found = prepared.get(sql);
    if (found === undefined) {
      if (prepared.size >= statementCacheSize) prepared.clear();
      found = connection.prepare(sql);
      prepared.set(sql, found);
    }
    return found;
  }

  /** One event's rows inside a savepoint, so a row the database refuses fails that event and no other. */
  function writeEvent(connection: DatabaseSync, event: EventPlan): SendOutcome {
    if (event.kind === 'refused') return permanent(event.reason);
    connection.exec('SAVEPOINT event');
    try {
      // sqliteDialect.bind turned booleans into 0/1, so every parameter is one node:sqlite takes.
      for (const row of event.rows) {
        const { sql, params } = rowStatement(row, sqliteDialect);
        statement(connection, sql).run(...(params as SQLInputValue[]));
      }
      connection.exec('RELEASE event');
      return delivered;
    } catch (error) {
      if (!isSqliteRowError(error)) throw error;
      connection.exec('ROLLBACK TO event; RELEASE event');
      return permanent(`the warehouse refused this event: ${(error as Error).message}`);
    }
  }

  function writeBatch(payloads: readonly string[], loadedAt: string): SendResult {
    db ??= open(options.path, options.busyTimeoutMs);
    const connection = db;
    schema ??= readSchema(connection);
    const plan = planBatch(schema, payloads, sqliteDialect, loadedAt, options.maxColumnsPerTable);
    connection.exec('BEGIN IMMEDIATE');
    try {
      for (const { sql } of plan.ddl) connection.exec(sql);
      const outcomes = plan.events.map((event) => writeEvent(connection, event));
      connection.exec('COMMIT');
      schema = plan.snapshot;
      return perEvent(outcomes);
    } catch (error) {
      if (connection.isTransaction) connection.exec('ROLLBACK');
      throw error;
    }
  }

  return {
    async write(payloads, loadedAt) {
      try {
        return writeBatch(payloads, loadedAt);
      } catch (error) {
        // Read the schema again next time: the failure may be a column someone else added or dropped.
        schema = null;
        prepared.clear();
        return { scope: 'batch', outcome: sqliteBatchOutcome(error) };
      }
    },
    async forget(subject) {
      db ??= open(options.path, options.busyTimeoutMs);
      const connection = db;
      schema = readSchema(connection);
      connection.exec('BEGIN IMMEDIATE');
      try {
        let deleted = 0;
        for (const { sql, params } of forgetStatements(schema, sqliteDialect, subject)) {
          deleted += Number(connection.prepare(sql).run(...(params as SQLInputValue[])).changes);
        }
        connection.exec('COMMIT');
        // Earlier copies of the deleted pages must not survive in the write-ahead log either.
        connection.exec('PRAGMA wal_checkpoint(TRUNCATE)');
        return deleted;
      } catch (error) {
        if (connection.isTransaction) connection.exec('ROLLBACK');
        throw error;
      }
    },
    async close() {
      prepared.clear();
      db?.close();
      db = null;
      schema = null;
    },
  };
}
