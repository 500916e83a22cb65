import type { TransformResult } from '../destination.ts';
import type { SegmentMessage } from '../../pipeline/segment-message.ts';
import { normalizedTimestamp, type ColumnValue } from './column-types.ts';
import { flattenInto } from './flatten.ts';
import { eventTableProblem, identifierFor } from './identifiers.ts';

/**
 * One row for one warehouse table. `insert` rows are written once per id (the messageId), so a replay adds
 * nothing; `merge` rows (users) are upserted on id, the newer call's values winning.
 */
export interface WarehouseRow {
  table: string;
  write: 'insert' | 'merge';
  values: Record<string, ColumnValue>;
}

/** Filled by the writer with the time it writes the batch (Segment's load-time columns). */
export const loadTimeColumns = ['received_at', 'sent_at'] as const;

/** Segment's own column names: a property or trait named like one is discarded, as Segment does. */
const reservedColumns: ReadonlySet<string> = new Set([
  'id', 'received_at', 'sent_at', 'timestamp', 'original_timestamp', 'user_id', 'anonymous_id', 'event', 'event_text',
  'previous_id', 'uuid', 'uuid_ts', 'loaded_at',
]);

type Envelope = Record<string, ColumnValue>;

/** The columns every call's row starts with, in the order a merchant reads them. */
function envelope(message: SegmentMessage, timestamp: string, extra: Envelope = {}): Envelope {
  const values: Envelope = { id: message.messageId };
  if (message.userId) values.user_id = message.userId;
  if (message.anonymousId) values.anonymous_id = message.anonymousId;
  Object.assign(values, extra, { timestamp, original_timestamp: timestamp });
  if (message.context) flattenInto(values, message.context, reservedColumns, ['context']);
  return values;
}

function withFlattened(values: Envelope, bag: Record<string, unknown> | undefined): Envelope {
  const row = { ...values };
  if (bag) flattenInto(row, bag, reservedColumns);
  return row;
}

type Rows = { kind: 'rows'; rows: WarehouseRow[] } | { kind: 'skip'; reason: string };

function trackRows(message: SegmentMessage, timestamp: string): Rows {
  if (!message.event) return { kind: 'skip', reason: 'a track call without an event name has no event table' };
  const table = identifierFor(message.event);
  const problem = eventTableProblem(table);
  if (problem) return { kind: 'skip', reason: `event ${JSON.stringify(message.event)} cannot have an event table: ${problem}` };
  const common = envelope(message, timestamp, { event: table, event_text: message.event });
  return { kind: 'rows', rows: [
    { table: 'tracks', write: 'insert', values: common },
    { table, write: 'insert', values: withFlattened(common, message.properties) },
  ] };
}

/** identifies gets every call; users one row per userId with the latest traits (Segment has no users row without one). */
function identifyRows(message: SegmentMessage, timestamp: string): Rows {
  const rows: WarehouseRow[] = [{ table: 'identifies', write: 'insert', values: withFlattened(envelope(message, timestamp), message.traits) }];
  if (message.userId) rows.push({ table: 'users', write: 'merge', values: withFlattened({ id: message.userId, timestamp }, message.traits) });
  return { kind: 'rows', rows };
}

function aliasRows(message: SegmentMessage, timestamp: string): Rows {
  if (!message.previousId) return { kind: 'skip', reason: 'an alias call without previousId links nothing' };
  return { kind: 'rows', rows: [{ table: 'aliases', write: 'insert', values: envelope(message, timestamp, { previous_id: message.previousId }) }] };
}

/** Pure: a spec message → the rows Segment's warehouse layout has for it, or why it has none. */
export function warehouseRows(message: SegmentMessage): Rows {
  if (message.messageId.length === 0) return { kind: 'skip', reason: 'a call without a messageId cannot be deduplicated' };
  const timestamp = normalizedTimestamp(message.timestamp);
  if (timestamp === undefined) return { kind: 'skip', reason: `timestamp ${JSON.stringify(message.timestamp)} is not an ISO-8601 time` };
  switch (message.type) {
    case 'track': return trackRows(message, timestamp);
    case 'identify': return identifyRows(message, timestamp);
    case 'page': return { kind: 'rows', rows: [{ table: 'pages', write: 'insert', values: withFlattened(envelope(message, timestamp), message.properties) }] };
    case 'alias': return aliasRows(message, timestamp);
  }
}

/** The destination's transform: the rows as the JSON stored in the outbox. */
export function toWarehouseEvent(message: SegmentMessage): TransformResult {
  const result = warehouseRows(message);
  return result.kind === 'skip' ? result : { kind: 'event', json: JSON.stringify({ rows: result.rows }) };
}
