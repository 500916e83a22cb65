import { z } from 'zod';
import { identifierPattern } from './identifiers.ts';
import type { WarehouseRow } from './warehouse-rows.ts';

const identifier = z.string().regex(identifierPattern, 'must be a lower-case identifier of letters, digits and _');

const storedRow = z
  .strictObject({
    table: identifier.refine((table) => !table.startsWith('sqlite_'), 'SQLite reserves names starting with sqlite_'),
    write: z.enum(['insert', 'merge']),
    // Keys are checked in one pass below: a regex key schema makes zod several times slower on this hot path.
    values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).superRefine((values, context) => {
      for (const key of Object.keys(values)) {
        if (!identifierPattern.test(key)) context.addIssue({ code: 'custom', path: [key], message: 'must be a lower-case identifier of letters, digits and _' });
      }
    }),
  })
  .refine((row) => typeof row.values.id === 'string' && row.values.id.length > 0, { message: 'needs a text id', path: ['values', 'id'] })
  .refine((row) => row.write === 'insert' || typeof row.values.timestamp === 'string', {
    message: 'a merge row needs a timestamp', path: ['values', 'timestamp'],
  });

const storedEvent = z.strictObject({ rows: z.array(storedRow).min(1) });

export type StoredEvent = { ok: true; rows: WarehouseRow[] } | { ok: false; reason: string };

/**
 * An outbox payload back into rows. The payload is input like any other (written by an older version, or edited by
 * hand), so every name is checked again before it goes near SQL; one that fails makes that event unwritable.
 */
export function parseStoredEvent(payload: string): StoredEvent {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (error) {
    return { ok: false, reason: `not a warehouse event: ${(error as Error).message}` };
  }
  const parsed = storedEvent.safeParse(json);
  if (parsed.success) return { ok: true, rows: parsed.data.rows };
  const issues = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
  return { ok: false, reason: `not a writable warehouse event: ${issues.join('; ')}` };
}
