import type { ColumnType, ColumnValue } from './column-types.ts';
import { quoteIdentifier } from './identifiers.ts';

/** What the drivers bind: node:sqlite takes numbers and strings, pg also booleans. */
export type SqlValue = string | number | boolean | null;

/** The few places SQLite and PostgreSQL differ for the warehouse; everything else is the same SQL. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** The quoted (and, on PostgreSQL, schema-qualified) name of a table. */
  table(name: string): string;
  /** The n-th (1-based) parameter of a statement. */
  placeholder(position: number): string;
  columnType(type: ColumnType): string;
  bind(value: ColumnValue): SqlValue;
  addColumn(table: string, column: string, type: ColumnType): string;
  /** DDL making a BIGINT column DOUBLE PRECISION; null where the column already stores fractions exactly. */
  widenToDouble(table: string, column: string): string | null;
}

/**
 * SQLite: INTEGER for integers and booleans (0/1), REAL for numbers, TEXT for text and for timestamps (ISO-8601 UTC,
 * so they sort). An INTEGER column keeps a later fraction exactly (stored as REAL), so nothing needs widening.
 */
export const sqliteDialect: Dialect = {
  name: 'sqlite',
  table: quoteIdentifier,
  placeholder: () => '?',
  columnType: (type) => ({ text: 'TEXT', bigint: 'INTEGER', double: 'REAL', boolean: 'INTEGER', timestamp: 'TEXT' })[type],
  bind: (value) => (typeof value === 'boolean' ? Number(value) : value),
  addColumn: (table, column, type) => `ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN ${quoteIdentifier(column)} ${sqliteDialect.columnType(type)}`,
  widenToDouble: () => null,
};

/** PostgreSQL, with every table in one schema (cartstream's `?schema=` or the connection's current schema). */
export function postgresDialect(schema: string): Dialect {
  const table = (name: string) => `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
  const columnType = (type: ColumnType) =>
    ({ text: 'TEXT', bigint: 'BIGINT', double: 'DOUBLE PRECISION', boolean: 'BOOLEAN', timestamp: 'TIMESTAMPTZ' })[type];
  return {
    name: 'postgres',
    table,
    placeholder: (position) => `$${position}`,
    columnType,
    bind: (value) => value,
    // IF NOT EXISTS: another cartstream process may have added the column since we looked.
    addColumn: (name, column, type) => `ALTER TABLE ${table(name)} ADD COLUMN IF NOT EXISTS ${quoteIdentifier(column)} ${columnType(type)}`,
    widenToDouble: (name, column) => `ALTER TABLE ${table(name)} ALTER COLUMN ${quoteIdentifier(column)} TYPE DOUBLE PRECISION`,
  };
}

/** A column's type as SQLite declares it, read back by affinity (INTEGER also holds booleans, TEXT timestamps). */
export function columnTypeFromSqlite(declared: string): ColumnType {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'bigint';
  if (/REAL|FLOA|DOUB/.test(type)) return 'double';
  return 'text';
}

/** A column's type from information_schema.columns.data_type; anything unfamiliar is written as text. */
export function columnTypeFromPostgres(dataType: string): ColumnType {
  if (['bigint', 'integer', 'smallint'].includes(dataType)) return 'bigint';
  if (['double precision', 'real', 'numeric'].includes(dataType)) return 'double';
  if (dataType === 'boolean') return 'boolean';
  if (dataType.startsWith('timestamp')) return 'timestamp';
  return 'text';
}
