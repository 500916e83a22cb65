import type { Dialect } from './dialect.ts';
import { ddlFor, evolveSchema, isWarehouseTable, type SchemaChange, type SchemaSnapshot } from './schema-evolution.ts';
import { bindRow, type BoundRow } from './statements.ts';
import { parseStoredEvent } from './stored-event.ts';
import { loadTimeColumns, type WarehouseRow } from './warehouse-rows.ts';

/** What to do for one event of the batch: its rows, bound to the evolved schema, or why it can never be written. */
export type EventPlan = { kind: 'write'; rows: BoundRow[] } | { kind: 'refused'; reason: string };

/** One DDL statement and the change it makes (a writer may need to know which one the database refused). */
export interface DdlStatement {
  sql: string;
  change: SchemaChange;
}

export interface BatchPlan {
  /** Run first, in the batch's transaction. */
  ddl: DdlStatement[];
  /** The schema once the DDL is committed (the writer's cache). */
  snapshot: SchemaSnapshot;
  /** One per event, in the batch's order. */
  events: EventPlan[];
}

const loadTimes: ReadonlySet<string> = new Set(loadTimeColumns);

/** The load-time columns, placed after id so a new table reads id, received_at, sent_at, timestamp, … */
function withLoadTimes(row: WarehouseRow, loadedAt: string): WarehouseRow {
  const values: WarehouseRow['values'] = row.write === 'merge'
    ? { id: row.values.id!, received_at: loadedAt }
    : { id: row.values.id!, received_at: loadedAt, sent_at: loadedAt };
  // A loop, not rest/spread: this runs for every row written, and V8's object rest is slow on wide rows.
  for (const column in row.values) if (!(column in values) && !loadTimes.has(column)) values[column] = row.values[column]!;
  return { ...row, values };
}

function foreignTables(rows: readonly WarehouseRow[], snapshot: SchemaSnapshot): string[] {
  return [...new Set(rows.map((row) => row.table))].filter((table) => {
    const columns = snapshot.get(table);
    return columns !== undefined && !isWarehouseTable(columns);
  });
}

type Accepted = { ok: true; rows: WarehouseRow[] } | { ok: false; reason: string };

function accept(payload: string, loadedAt: string, snapshot: SchemaSnapshot): Accepted {
  const stored = parseStoredEvent(payload);
  if (!stored.ok) return stored;
  const foreign = foreignTables(stored.rows, snapshot);
  if (foreign.length > 0) {
    return { ok: false, reason: `table ${foreign.join(', ')} exists and is not a warehouse table (no text id and received_at), so it is left alone` };
  }
  return { ok: true, rows: stored.rows.map((row) => withLoadTimes(row, loadedAt)) };
}

/**
 * Pure: a batch of stored events → the DDL it needs and each event's statements against the evolved schema.
 * Events that can never be written (an invalid payload, a table that is not ours) are refused on their own.
 */
export function planBatch(
  snapshot: SchemaSnapshot,
  payloads: readonly string[],
  dialect: Dialect,
  loadedAt: string,
  maxColumns: number,
  keepInteger: ReadonlySet<string> = new Set(),
): BatchPlan {
  const accepted = payloads.map((payload) => accept(payload, loadedAt, snapshot));
  const rows = accepted.flatMap((event) => (event.ok ? event.rows : []));
  const evolved = evolveSchema(snapshot, rows, { maxColumns, keepInteger });
  const events = accepted.map((event): EventPlan => {
    if (!event.ok) return { kind: 'refused', reason: event.reason };
    return { kind: 'write', rows: event.rows.map((row) => bindRow(row, evolved.snapshot.get(row.table)!, dialect)) };
  });
  const ddl = evolved.changes.flatMap((change) => ddlFor(change, dialect).map((sql) => ({ sql, change })));
  return { ddl, snapshot: evolved.snapshot, events };
}
