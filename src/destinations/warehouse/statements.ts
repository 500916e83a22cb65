import { coerce } from './column-types.ts';
import type { Dialect, SqlValue } from './dialect.ts';
import { quoteIdentifier } from './identifiers.ts';
import type { TableColumns } from './schema-evolution.ts';
import type { WarehouseRow } from './warehouse-rows.ts';

/** One parameterised statement: names come only from identifiers.ts, values only as parameters. */
export interface Statement {
  sql: string;
  params: SqlValue[];
}

/** A row ready to write: the columns its table has, each value coerced to that column's type and bound. */
export interface BoundRow {
  table: string;
  write: WarehouseRow['write'];
  columns: string[];
  params: SqlValue[];
}

/** PostgreSQL takes at most 65,535 parameters per statement; a multi-row INSERT stays well under. */
const maxParamsPerStatement = 30_000;

/** Binds the row's values the table has a column for (an unfit value — "n/a" for a number — is left out). */
export function bindRow(row: WarehouseRow, columns: TableColumns, dialect: Dialect): BoundRow {
  const bound: BoundRow = { table: row.table, write: row.write, columns: [], params: [] };
  for (const column in row.values) {
    const type = columns.get(column);
    const value = type === undefined ? null : coerce(row.values[column]!, type);
    if (value === null) continue;
    bound.columns.push(column);
    bound.params.push(dialect.bind(value));
  }
  return bound;
}

/**
 * users keeps the newest state: a value from a call at least as new as the stored row replaces it; a value from an
 * older call (a retried or replayed identify) only fills a column that is still empty. Columns the call does not
 * carry are left as they are, so traits accumulate as Segment's profiles do.
 */
function mergeAssignments(columns: readonly string[]): string {
  const newer = `"stored"."timestamp" IS NULL OR excluded."timestamp" >= "stored"."timestamp"`;
  return columns
    .filter((column) => column !== 'id')
    .map((column) => {
      const name = quoteIdentifier(column);
      return `${name} = CASE WHEN ${newer} THEN excluded.${name} ELSE COALESCE("stored".${name}, excluded.${name}) END`;
    })
    .join(', ');
}

function valuesList(rows: readonly BoundRow[], dialect: Dialect): string {
  let position = 0;
  return rows.map((row) => `(${row.params.map(() => dialect.placeholder(++position)).join(', ')})`).join(', ');
}

/** INSERT … ON CONFLICT (id) DO NOTHING for rows of one table and column list, or the users upsert for one row. */
function statementFor(rows: readonly BoundRow[], dialect: Dialect): Statement {
  const [first] = rows as [BoundRow];
  const head = `INSERT INTO ${dialect.table(first.table)} AS "stored" (${first.columns.map(quoteIdentifier).join(', ')}) VALUES ${valuesList(rows, dialect)}`;
  const conflict = first.write === 'merge' ? `DO UPDATE SET ${mergeAssignments(first.columns)}` : 'DO NOTHING';
  return { sql: `${head} ON CONFLICT ("id") ${conflict}`, params: rows.flatMap((row) => row.params) };
}

/** One row's statement; a replayed messageId is a no-op either way. */
export function rowStatement(row: BoundRow, dialect: Dialect): Statement {
  return statementFor([row], dialect);
}

/**
 * A whole batch in few statements: insert rows grouped by table and column list into multi-row INSERTs (a
 * duplicate id inside one is skipped like any other), then the users upserts one by one, in the batch's order,
 * since one INSERT cannot upsert the same id twice.
 */
export function batchStatements(rows: readonly BoundRow[], dialect: Dialect): Statement[] {
  const groups = new Map<string, BoundRow[]>();
  const merges: Statement[] = [];
  for (const row of rows) {
    if (row.write === 'merge') { merges.push(rowStatement(row, dialect)); continue; }
    const key = `${row.table}\u0000${row.columns.join(',')}`;
    const group = groups.get(key) ?? [];
    groups.set(key, group);
    group.push(row);
  }
  const inserts = [...groups.values()].flatMap((group) => {
    const perStatement = Math.max(1, Math.floor(maxParamsPerStatement / group[0]!.columns.length));
    return Array.from({ length: Math.ceil(group.length / perStatement) }, (_, n) =>
      statementFor(group.slice(n * perStatement, (n + 1) * perStatement), dialect));
  });
  return [...inserts, ...merges];
}
