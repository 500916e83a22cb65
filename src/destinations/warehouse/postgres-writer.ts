import pg from 'pg';
import type { SendOutcome, SendResult } from '../destination.ts';
import { planBatch, type BatchPlan, type DdlStatement } from './batch-plan.ts';
import { isPostgresRowError, isServerError, postgresBatchOutcome } from './classify-error.ts';
import type { ColumnType } from './column-types.ts';
import { columnTypeFromPostgres, postgresDialect, type Dialect } from './dialect.ts';
import { forgetStatements } from './forget-people.ts';
import { quoteIdentifier } from './identifiers.ts';
import { columnKey, type SchemaSnapshot } from './schema-evolution.ts';
import { batchStatements, rowStatement, type BoundRow, type Statement } from './statements.ts';
import { delivered, perEvent, permanent, type WarehouseWriter } from './warehouse-writer.ts';

export interface PostgresWarehouseOptions {
  /** A postgres:// URL without cartstream's `?schema=` (see postgresTarget). */
  url: string;
  /** The schema the tables live in, created when absent; default: the connection's current schema. */
  schema?: string;
  statementTimeoutMs: number;
  maxColumnsPerTable: number;
}

async function readSchema(client: pg.PoolClient, schema: string): Promise<SchemaSnapshot> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = $1 ORDER BY table_name, ordinal_position`, [schema]);
  const snapshot = new Map<string, Map<string, ColumnType>>();
  for (const row of rows) {
    const columns = snapshot.get(row.table_name) ?? new Map<string, ColumnType>();
    snapshot.set(row.table_name, columns.set(row.column_name, columnTypeFromPostgres(row.data_type)));
  }
  return snapshot;
}

async function resolveSchema(client: pg.PoolClient, wanted: string | undefined): Promise<string> {
  if (wanted !== undefined) {
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [wanted]);
    if (rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(wanted)}`);
    return wanted;
  }
  const { rows } = await client.query<{ name: string | null }>('SELECT current_schema() AS name');
  const name = rows[0]?.name;
  if (!name) throw new Error('the search_path names no existing schema: add ?schema=name to the warehouse URL');
  return name;
}

async function run(client: pg.PoolClient, statements: readonly Statement[]): Promise<void> {
  for (const { sql, params } of statements) await client.query(sql, params);
}

/** One event's rows inside a savepoint, so a row the database refuses fails that event and no other. */
async function writeIsolated(client: pg.PoolClient, rows: readonly BoundRow[], dialect: Dialect): Promise<SendOutcome> {
  await client.query('SAVEPOINT event');
  try {
    await run(client, rows.map((row) => rowStatement(row, dialect)));
    await client.query('RELEASE SAVEPOINT event');
    return delivered;
  } catch (error) {
    if (!isPostgresRowError(error)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT event');
    return permanent(`the warehouse refused this event: ${(error as Error).message}`);
  }
}

/** The whole batch in a few multi-row statements; every event not refused by the plan is delivered. */
async function writeTogether(client: pg.PoolClient, plan: BatchPlan, dialect: Dialect): Promise<SendOutcome[]> {
  await run(client, batchStatements(plan.events.flatMap((event) => (event.kind === 'write' ? event.rows : [])), dialect));
  return plan.events.map((event) => (event.kind === 'refused' ? permanent(event.reason) : delivered));
}

async function writeApart(client: pg.PoolClient, plan: BatchPlan, dialect: Dialect): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = [];
  for (const event of plan.events) {
    outcomes.push(event.kind === 'refused' ? permanent(event.reason) : await writeIsolated(client, event.rows, dialect));
  }
  return outcomes;
}

/** PostgreSQL would not widen a column to double (a view depends on it): plan again, keeping it bigint. */
class WidenRefused extends Error {
  readonly column: string;
  constructor(column: string, cause: unknown) {
    super(`could not widen ${column}: ${(cause as Error).message}`);
    this.column = column;
  }
}

async function runDdl(client: pg.PoolClient, ddl: readonly DdlStatement[]): Promise<void> {
  for (const { sql, change } of ddl) {
    try {
      await client.query(sql);
    } catch (error) {
      if (change.kind === 'widen-column' && isServerError(error)) throw new WidenRefused(columnKey(change.table, change.column), error);
      throw error;
    }
  }
}

/**
 * The batch in one transaction. Optimistic first: multi-row INSERTs, a few round trips for the whole batch. When a
 * row is refused, the transaction is rolled back and null returned, and the batch is written again event by event,
 * each in a savepoint, so only the refused event fails.
 */
async function attempt(client: pg.PoolClient, plan: BatchPlan, dialect: Dialect, isolate: boolean): Promise<SendOutcome[] | null> {
  await client.query('BEGIN');
  try {
    await runDdl(client, plan.ddl);
    const outcomes = isolate ? await writeApart(client, plan, dialect) : await writeTogether(client, plan, dialect);
    await client.query('COMMIT');
    return outcomes;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (!isolate && isPostgresRowError(error)) return null;
    throw error;
  }
}

/** The PostgreSQL warehouse: one pooled connection, so this process writes one batch at a time. */
export function createPostgresWarehouse(options: PostgresWarehouseOptions): WarehouseWriter {
  let pool: pg.Pool | null = null;
  let schemaName: string | null = null;
  let snapshot: SchemaSnapshot | null = null;
  const keepInteger = new Set<string>();

  function connect(): Promise<pg.PoolClient> {
    if (pool === null) {
      pool = new pg.Pool({
        connectionString: options.url, max: 1, application_name: 'cartstream-warehouse',
        statement_timeout: options.statementTimeoutMs, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 60_000,
      });
      // A connection the server dropped: the pool discards it and the next batch connects again. The error also
      // reaches the query that was running, if any; the socket's late ECONNRESET must not crash the process.
      pool.on('error', () => undefined);
      pool.on('connect', (client) => client.on('error', () => undefined));
    }
    return pool.connect();
  }

  async function writeWith(client: pg.PoolClient, payloads: readonly string[], loadedAt: string): Promise<SendResult> {
    schemaName ??= await resolveSchema(client, options.schema);
    snapshot ??= await readSchema(client, schemaName);
    const dialect = postgresDialect(schemaName);
    for (;;) {
      const plan = planBatch(snapshot, payloads, dialect, loadedAt, options.maxColumnsPerTable, keepInteger);
      try {
        // Only the optimistic attempt gives up with null; the isolating one answers for every event or throws.
        const outcomes = (await attempt(client, plan, dialect, false)) ?? (await attempt(client, plan, dialect, true))!;
        snapshot = plan.snapshot;
        return perEvent(outcomes);
      } catch (error) {
        // Ends: each round keeps one more column bigint, and a batch widens finitely many.
        if (!(error instanceof WidenRefused)) throw error;
        keepInteger.add(error.column);
      }
    }
  }

  return {
    async write(payloads, loadedAt) {
      let client: pg.PoolClient | undefined;
      let broken = false;
      try {
        client = await connect();
        return await writeWith(client, payloads, loadedAt);
      } catch (error) {
        snapshot = null; // read again: the failure may be a table or column someone else changed
        broken = !isServerError(error);
        return { scope: 'batch', outcome: postgresBatchOutcome(error) };
      } finally {
        // A connection that failed below SQL (reset, timeout) is closed rather than handed out again.
        client?.release(broken);
      }
    },
    async forget(subject) {
      const client = await connect();
      try {
        schemaName ??= await resolveSchema(client, options.schema);
        snapshot = await readSchema(client, schemaName);
        await client.query('BEGIN');
        let deleted = 0;
        for (const { sql, params } of forgetStatements(snapshot, postgresDialect(schemaName), subject)) {
          deleted += (await client.query(sql, params)).rowCount ?? 0;
        }
        await client.query('COMMIT');
        return deleted;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      const closing = pool;
      pool = null;
      snapshot = null;
      await closing?.end();
    },
  };
}
