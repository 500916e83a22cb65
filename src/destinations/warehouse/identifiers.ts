/**
 * Table and column names, by Segment's rule: every name is snake_cased with go-snakecase's word rule (a run of
 * capitals or digits followed by lower-case letters or digits is a word; anything else separates words; words are
 * joined with `_` in lower case). Everything outside [a-z0-9_] is dropped, so no event or property name can carry
 * SQL, and every name is quoted anyway (`order`, `user`, `timestamp` are reserved words).
 * https://segment.com/docs/connections/storage/warehouses/schema/
 */

/** PostgreSQL cuts identifiers past 63 bytes (NAMEDATALEN - 1); we cut them first so both dialects agree. */
export const maxIdentifierLength = 63;

/** What a stored name must look like before it is put into SQL. */
export const identifierPattern = /^[a-z0-9_]{1,63}$/;

/** Segment's own tables; an event whose table name would be one of these cannot have an event table. */
export const segmentTables: ReadonlySet<string> = new Set([
  'tracks', 'identifies', 'users', 'pages', 'screens', 'aliases', 'groups', 'accounts',
]);

/** go-snakecase: `Order Completed` → `order_completed`, `accountType` → `account_type`, `$#foo` → `foo`. */
export function snakeCase(name: string): string {
  const words = name.match(/[A-Z0-9]*[a-z0-9]*/g) ?? [];
  return words.filter((word) => word.length > 0).join('_').toLowerCase();
}

/** A name as a column or table identifier: snake_cased and cut to the length both databases keep; '' if nothing is left. */
export function identifierFor(name: string): string {
  return snakeCase(name).slice(0, maxIdentifierLength).replace(/_+$/, '');
}

/** Why a table of this name cannot hold an event's rows, or null when it can. */
export function eventTableProblem(table: string): string | null {
  if (!identifierPattern.test(table)) return 'it has no letters or digits to name a table with';
  if (segmentTables.has(table)) return `table ${table} is the warehouse's table for ${table === 'tracks' ? 'all track calls' : `${table} calls`}`;
  if (table.startsWith('sqlite_')) return 'SQLite reserves table names starting with sqlite_';
  return null;
}

/** `"name"`, with any double quote doubled (names are already [a-z0-9_]; this is the belt to that brace). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
