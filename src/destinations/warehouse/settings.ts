import { z } from 'zod';
import { destinationOptionsShape } from '../destination-options.ts';
import { isPostgresUrl, postgresTarget } from '../../store/open-store.ts';

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

/** Why `db` cannot name a warehouse database, or null when it can. */
function databaseProblem(db: string): string | null {
  if (!isPostgresUrl(db)) return null;
  let schema: string | undefined;
  try {
    schema = postgresTarget(db).schema;
  } catch {
    return 'must be a SQLite file path or a valid postgres:// URL';
  }
  return schema === undefined || schemaName.test(schema) ? null : `?schema= must be a lower-case SQL identifier, got ${JSON.stringify(schema)}`;
}

export const warehouseSettingsSchema = z.strictObject({
  /**
   * A SQLite file path or a postgres:// URL (add `?schema=name` for a schema of its own, created when absent).
   * Absent: the store's own database (`db` of the config).
   */
  db: z.string().min(1, 'must not be empty').optional().superRefine((db, context) => {
    const problem = db === undefined ? null : databaseProblem(db);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
  /** Events written per transaction. */
  maxBatchEvents: z.number().int().min(1).max(5000).default(500),
  /** A table takes no new columns past this many (PostgreSQL's hard limit is 1,600); their values are dropped. */
  maxColumnsPerTable: z.number().int().min(20).max(1500).default(1000),
  /** How long a SQLite write waits for the file's lock (the store writes the same file) before trying later. */
  busyTimeoutMs: z.number().int().min(0).default(5000),
  /** PostgreSQL statement_timeout for every statement the warehouse runs. */
  statementTimeoutMs: z.number().int().min(1).default(30_000),
  ...destinationOptionsShape,
});

export type WarehouseSettings = z.infer<typeof warehouseSettingsSchema>;
/** Settings as written in a config file, before defaults. */
export type WarehouseSettingsInput = z.input<typeof warehouseSettingsSchema>;
/** Settings with the database decided (the store's when the config named none). */
export type ResolvedWarehouseSettings = WarehouseSettings & { db: string };

/** Where the rows go: a SQLite file, or a PostgreSQL URL and schema. */
export type WarehouseTarget =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; schema?: string };

export function warehouseTarget(db: string): WarehouseTarget {
  if (!isPostgresUrl(db)) return { kind: 'sqlite', path: db };
  const { url, schema } = postgresTarget(db);
  return schema === undefined ? { kind: 'postgres', url } : { kind: 'postgres', url, schema };
}
