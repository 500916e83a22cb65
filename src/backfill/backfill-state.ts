import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { isPostgresUrl } from '../store/open-store.ts';

/** Where a backfill stands: the cursor after the last page whose deliveries are stored. */
export const backfillProgressSchema = z.strictObject({
  cursor: z.string(),
  orders: z.number().int().nonnegative(),
  stored: z.number().int().nonnegative(),
  alreadyStored: z.number().int().nonnegative(),
  updatedAt: z.string(),
});

export type BackfillProgress = z.infer<typeof backfillProgressSchema>;

const stateFileSchema = z.strictObject({ version: z.literal(1), runs: z.record(z.string(), backfillProgressSchema) });

/**
 * The resume cursors of unfinished backfills, one per shop and period, in a small JSON file next to the data. A
 * file rather than a table: it is the CLI's own bookkeeping, and losing it only means re-reading pages whose
 * deliveries the inbox then recognises as already stored.
 */
export interface BackfillState {
  load(key: string): BackfillProgress | undefined;
  save(key: string, progress: BackfillProgress): void;
  clear(key: string): void;
}

/** One backfill: a shop and a period ("open" when it has no end). */
export function backfillKey(shop: string, since: Date, until: Date | undefined): string {
  return `${shop} ${since.toISOString()}..${until?.toISOString() ?? 'open'}`;
}

/** The state file's place: beside a SQLite database, else under ./data. */
export function backfillStatePath(db: string): string {
  const dir = isPostgresUrl(db) || db === ':memory:' ? './data' : dirname(db);
  return join(dir, 'backfill-state.json');
}

export function openBackfillState(path: string): BackfillState {
  function read(): Record<string, BackfillProgress> {
    if (!existsSync(path)) return {};
    const parsed = stateFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`${path} is not a backfill state file; remove it (the next backfill starts from the beginning of its period)`);
    return parsed.data.runs;
  }

  /** Write to a temporary file and rename: a crash mid-write never leaves half a file. */
  function write(runs: Record<string, BackfillProgress>): void {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ version: 1, runs }, null, 2)}\n`);
    renameSync(temporary, path);
  }

  return {
    load: (key) => read()[key],
    save: (key, progress) => write({ ...read(), [key]: progress }),
    clear: (key) => {
      const runs = read();
      if (!(key in runs)) return;
      delete runs[key];
      write(runs);
    },
  };
}
