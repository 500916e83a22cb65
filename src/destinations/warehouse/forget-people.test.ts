import { describe, expect, it } from 'vitest';
import type { ColumnType } from './column-types.ts';
import { postgresDialect, sqliteDialect } from './dialect.ts';
import { forgetStatements } from './forget-people.ts';
import type { SchemaSnapshot } from './schema-evolution.ts';

function table(...columns: [string, ColumnType][]): Map<string, ColumnType> {
  return new Map(columns);
}

const schema: SchemaSnapshot = new Map([
  ['tracks', table(['id', 'text'], ['received_at', 'timestamp'], ['user_id', 'text'], ['anonymous_id', 'text'])],
  ['users', table(['id', 'text'], ['received_at', 'timestamp'], ['email', 'text'])],
  ['aliases', table(['id', 'text'], ['received_at', 'timestamp'], ['user_id', 'text'], ['previous_id', 'text'])],
  // The store's own table in a shared file: not the warehouse's, never touched.
  ['outbox', table(['id', 'bigint'], ['user_id', 'text'])],
]);

describe('forgetting people in the warehouse', () => {
  it("deletes by user_id, anonymous_id, an alias's previous_id and users.id, in the warehouse's tables only", () => {
    expect(forgetStatements(schema, sqliteDialect, { userIds: ['u1'], anonymousIds: ['a1', 'a2'] })).toEqual([
      { sql: 'DELETE FROM "aliases" WHERE "user_id" IN (?) OR "previous_id" IN (?, ?)', params: ['u1', 'a1', 'a2'] },
      { sql: 'DELETE FROM "tracks" WHERE "user_id" IN (?) OR "anonymous_id" IN (?, ?)', params: ['u1', 'a1', 'a2'] },
      { sql: 'DELETE FROM "users" WHERE "id" IN (?)', params: ['u1'] },
    ]);
  });

  it('numbers PostgreSQL parameters per statement, in the schema, and skips what there is nothing to match', () => {
    expect(forgetStatements(schema, postgresDialect('wh'), { userIds: [], anonymousIds: ['a1'] })).toEqual([
      { sql: 'DELETE FROM "wh"."aliases" WHERE "previous_id" IN ($1)', params: ['a1'] },
      { sql: 'DELETE FROM "wh"."tracks" WHERE "anonymous_id" IN ($1)', params: ['a1'] },
    ]);
    expect(forgetStatements(schema, sqliteDialect, { userIds: [], anonymousIds: [] })).toEqual([]);
  });
});
