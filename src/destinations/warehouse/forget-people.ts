/**
 * Deleting a person from the warehouse (privacy: customers/redact). Pure: which DELETE statements remove every row
 * about the given userIds and anonymousIds from the warehouse's own tables. Tables that are not the warehouse's
 * (see isWarehouseTable) are never touched.
 */
import type { ForgetSubject } from '../destination.ts';
import type { Dialect, SqlValue } from './dialect.ts';
import { quoteIdentifier } from './identifiers.ts';
import { isWarehouseTable, type SchemaSnapshot } from './schema-evolution.ts';


export interface ForgetStatement {
  sql: string;
  params: SqlValue[];
}

/** One DELETE per table that can hold the person: by user_id, anonymous_id, an alias's previous_id, or users.id. */
export function forgetStatements(schema: SchemaSnapshot, dialect: Dialect, subject: ForgetSubject): ForgetStatement[] {
  const statements: ForgetStatement[] = [];
  for (const [table, columns] of [...schema.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!isWarehouseTable(columns)) continue;
    const params: SqlValue[] = [];
    const clauses: string[] = [];
    const matchAny = (column: string, values: readonly string[]): void => {
      if (!columns.has(column) || values.length === 0) return;
      const placeholders = values.map((value) => {
        params.push(value);
        return dialect.placeholder(params.length);
      });
      clauses.push(`${quoteIdentifier(column)} IN (${placeholders.join(', ')})`);
    };
    // users is keyed by the userId itself.
    if (table === 'users') matchAny('id', subject.userIds);
    matchAny('user_id', subject.userIds);
    matchAny('anonymous_id', subject.anonymousIds);
    matchAny('previous_id', subject.anonymousIds);
    if (clauses.length > 0) statements.push({ sql: `DELETE FROM ${dialect.table(table)} WHERE ${clauses.join(' OR ')}`, params });
  }
  return statements;
}
