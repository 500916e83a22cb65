/**
 * Column types, as Segment infers them from values (timestamp, integer, float, boolean, varchar), and how a value
 * is written into a column that already has another type.
 */
export type ColumnType = 'text' | 'bigint' | 'double' | 'boolean' | 'timestamp';

/** A value a row can hold: nulls get no column (Segment creates columns for non-null values only). */
export type ColumnValue = string | number | boolean;

/** An ISO-8601 date-time with a zone (`Z` or an offset), which Segment types as a timestamp. */
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** toISOString's form: what the transform wrote, so it is taken as is (Date.parse + toISOString cost ~10 µs). */
const canonical = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** The UTC form every timestamp is stored in, so they sort as text in SQLite; undefined when not a date-time. */
export function normalizedTimestamp(value: string): string | undefined {
  // Most strings are not dates: two character checks spare them the regex (this runs for every value written).
  if (value.length < 17 || value.charCodeAt(4) !== 45 /* - */) return undefined;
  if (canonical.test(value)) return value;
  if (!isoDateTime.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The type Segment would give a column first seen with this value. Integers past 2^53 are not exact: double. */
export function typeOf(value: ColumnValue): ColumnType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'bigint' : 'double';
  return normalizedTimestamp(value) === value ? 'timestamp' : 'text';
}

/** One type for a new column seen with several types in one batch: numbers widen to double, any other mix is text. */
export function mergeTypes(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) return a;
  const numeric = (type: ColumnType) => type === 'bigint' || type === 'double';
  return numeric(a) && numeric(b) ? 'double' : 'text';
}

const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function asNumber(value: ColumnValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return decimal.test(value.trim()) ? Number(value) : null;
}

function asBoolean(value: ColumnValue): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (value === 'true' || value === 'false') return value === 'true';
  return null;
}

/**
 * A value written into a column of `column` type: converted when that loses nothing (19.99 → '19.99' in a text
 * column, '19.99' → 19.99 in a number column, true → 1), else null — the column keeps its type, so a merchant's
 * SUM(total) keeps working when one event sends `"total": "n/a"`. A bigint column never gets a fraction: the
 * schema widens it to double first (schema-evolution.ts).
 */
export function coerce(value: ColumnValue, column: ColumnType): ColumnValue | null {
  switch (column) {
    case 'text': return typeof value === 'string' ? value : String(value);
    case 'double': return asNumber(value);
    case 'bigint': { const number = asNumber(value); return number !== null && Number.isSafeInteger(number) ? number : null; }
    case 'boolean': return asBoolean(value);
    case 'timestamp': return typeof value === 'string' ? (normalizedTimestamp(value) ?? null) : null;
  }
}
