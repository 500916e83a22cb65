import { coerce, mergeTypes, typeOf, type ColumnType, type ColumnValue } from './column-types.ts';
import type { Dialect } from './dialect.ts';
import { quoteIdentifier } from './identifiers.ts';
import type { WarehouseRow } from './warehouse-rows.ts';

/** Column name → type, in the table's column order. */
export type TableColumns = ReadonlyMap<string, ColumnType>;
/** Table name → columns: what the warehouse database holds (all its tables, the store's too when it shares one). */
export type SchemaSnapshot = ReadonlyMap<string, TableColumns>;

export type SchemaChange =
  | { kind: 'create-table'; table: string; columns: readonly (readonly [string, ColumnType])[] }
  | { kind: 'add-column'; table: string; column: string; type: ColumnType }
  | { kind: 'widen-column'; table: string; column: string };

/**
 * Whether an existing table is one the warehouse writes (ours, or Segment's own layout): a text `id` and a
 * `received_at` time. Anything else of the same name — the store's `outbox` when the warehouse shares the store's
 * database, a merchant's own table — is never written to.
 */
export function isWarehouseTable(columns: TableColumns): boolean {
  const receivedAt = columns.get('received_at');
  return columns.get('id') === 'text' && (receivedAt === 'timestamp' || receivedAt === 'text');
}

/** Segment's columns have fixed types: an id that happens to look like a date is still text. */
const fixedTypes: ReadonlyMap<string, ColumnType> = new Map([
  ...(['id', 'user_id', 'anonymous_id', 'previous_id', 'event', 'event_text'] as const).map((c) => [c, 'text'] as const),
  ...(['received_at', 'sent_at', 'timestamp', 'original_timestamp'] as const).map((c) => [c, 'timestamp'] as const),
]);

export interface EvolveLimits {
  /** A table takes no new columns past this many. */
  maxColumns: number;
  /** Columns (columnKey) the database would not widen to double: they stay bigint. */
  keepInteger: ReadonlySet<string>;
}

interface Wanted {
  /** The type a new column gets: its values' types merged. */
  type: ColumnType;
  /** Some value is a number only double keeps (19.99, or "19.99"): an existing bigint column must widen. */
  fraction: boolean;
}

function hasFraction(value: ColumnValue): boolean {
  if (typeof value === 'number') return !Number.isSafeInteger(value);
  return typeof value === 'string' && /^\s*[-+.\d]/.test(value) && coerce(value, 'bigint') === null && coerce(value, 'double') !== null;
}

/** Each table's columns as this batch's rows want them, in first-seen order. */
function wantedColumns(rows: readonly WarehouseRow[]): Map<string, Map<string, Wanted>> {
  const wanted = new Map<string, Map<string, Wanted>>();
  for (const row of rows) {
    const columns = wanted.get(row.table) ?? new Map<string, Wanted>();
    wanted.set(row.table, columns);
    for (const [column, value] of Object.entries(row.values)) {
      const type = fixedTypes.get(column) ?? typeOf(value);
      const seen = columns.get(column);
      columns.set(column, {
        type: seen === undefined ? type : mergeTypes(seen.type, type),
        fraction: (seen?.fraction ?? false) || hasFraction(value),
      });
    }
  }
  return wanted;
}

/** `table.column`: the key of a column the database refused to widen (a view depends on it). */
export const columnKey = (table: string, column: string) => `${table}.${column}`;

/** Columns an existing table lacks (up to maxColumns), and bigint columns that now see fractions. */
function changesTo(table: string, existing: TableColumns, wanted: Map<string, Wanted>, limits: EvolveLimits) {
  const changes: SchemaChange[] = [];
  const columns = new Map(existing);
  for (const [column, { type, fraction }] of wanted) {
    const current = columns.get(column);
    if (current === undefined && columns.size < limits.maxColumns) {
      changes.push({ kind: 'add-column', table, column, type });
      columns.set(column, type);
    } else if (current === 'bigint' && fraction && !limits.keepInteger.has(columnKey(table, column))) {
      changes.push({ kind: 'widen-column', table, column });
      columns.set(column, 'double');
    }
  }
  return { changes, columns };
}

/**
 * Pure: the tables and columns a batch needs that the snapshot lacks, and the schema after them. Segment's rules:
 * a new event makes a table, a new property a column typed by its value; an existing column keeps its type (values
 * are coerced into it), except that an integer column seeing a fraction becomes double rather than lose the cents.
 * Past maxColumns a table takes no new columns, so an unbounded property space cannot break the table; columns in
 * keepInteger stay bigint (their fractions are written as NULL).
 */
export function evolveSchema(snapshot: SchemaSnapshot, rows: readonly WarehouseRow[], limits: EvolveLimits) {
  const changes: SchemaChange[] = [];
  const next = new Map(snapshot);
  for (const [table, wanted] of wantedColumns(rows)) {
    const existing = snapshot.get(table);
    if (existing === undefined) {
      const columns = [...wanted].slice(0, limits.maxColumns).map(([column, { type }]) => [column, type] as const);
      changes.push({ kind: 'create-table', table, columns });
      next.set(table, new Map(columns));
      continue;
    }
    const evolved = changesTo(table, existing, wanted, limits);
    changes.push(...evolved.changes);
    next.set(table, evolved.columns);
  }
  return { changes, snapshot: next as SchemaSnapshot };
}

/** The DDL for one change; none for widening on SQLite. `id` is the primary key that makes replays no-ops. */
export function ddlFor(change: SchemaChange, dialect: Dialect): string[] {
  switch (change.kind) {
    case 'create-table': {
      const columns = change.columns.map(([column, type]) =>
        `${quoteIdentifier(column)} ${dialect.columnType(type)}${column === 'id' ? ' NOT NULL PRIMARY KEY' : ''}`);
      return [`CREATE TABLE IF NOT EXISTS ${dialect.table(change.table)} (${columns.join(', ')})`];
    }
    case 'add-column': return [dialect.addColumn(change.table, change.column, change.type)];
    case 'widen-column': { const sql = dialect.widenToDouble(change.table, change.column); return sql === null ? [] : [sql]; }
  }
}
