import { describe, expect, it } from 'vitest';
import { missingMigrations } from './migration.ts';
import { postgresMigrations } from './postgres/migrations.ts';
import { sqliteMigrations } from './sqlite/migrations.ts';

const step = (version: number) => ({ version, name: `step ${version}`, sql: '' });

describe('missingMigrations', () => {
  it('returns the steps not yet applied, in version order', () => {
    expect(missingMigrations([step(1), step(2), step(3)], new Set([1, 3])).map((s) => s.version)).toEqual([2]);
    expect(missingMigrations([step(1), step(2)], new Set())).toHaveLength(2);
  });

  it('refuses a list whose versions do not grow', () => {
    expect(() => missingMigrations([step(1), step(3), step(2)], new Set())).toThrow(/migration 2/);
    expect(() => missingMigrations([step(1), step(1)], new Set())).toThrow(/migration 1/);
  });

  it('keeps both engines at the same schema versions', () => {
    expect(sqliteMigrations.map((s) => s.version)).toEqual(postgresMigrations.map((s) => s.version));
  });
});
