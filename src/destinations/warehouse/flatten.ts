import { normalizedTimestamp, type ColumnValue } from './column-types.ts';
import { identifierFor } from './identifiers.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A leaf as a column value: arrays become JSON text, timestamps their UTC form, nulls nothing. */
function leafValue(value: unknown): ColumnValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === 'string') return normalizedTimestamp(value) ?? value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  return undefined;
}

/**
 * Segment's flattening: nested objects become `parent_child` columns, arrays (e.g. `products`) are stored as JSON
 * text, nulls are left out. Names are snake_cased; a name with nothing left is dropped, so is a `reserved` one
 * (Segment discards properties named like its own columns), and a name already in `into` (an envelope column, or
 * an earlier key that snake_cases the same) keeps its first value.
 */
export function flattenInto(
  into: Record<string, ColumnValue>,
  value: Record<string, unknown>,
  reserved: ReadonlySet<string>,
  prefix: readonly string[] = [],
): void {
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, key];
    if (isPlainObject(child)) {
      flattenInto(into, child, reserved, path);
      continue;
    }
    const column = identifierFor(path.join('_'));
    const leaf = leafValue(child);
    if (column === '' || leaf === undefined || column in into || reserved.has(column)) continue;
    into[column] = leaf;
  }
}
