/** Small readers for the loosely typed property bags of a spec message. */

export type Bag = Record<string, unknown>;

export function bagOf(value: unknown): Bag | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Bag) : undefined;
}

/** A non-empty string (numbers, e.g. ids, as their decimal text), else undefined. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A finite number; numeric strings (as analytics.js callers sometimes send) are read too. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** The first of the values that reads as non-empty text. */
export function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    const text = textOf(value);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** The first of the values that reads as a number. */
export function firstNumber(...values: unknown[]): number | undefined {
  for (const value of values) {
    const number = numberOf(value);
    if (number !== undefined) return number;
  }
  return undefined;
}

/** The object without its undefined fields, or undefined when nothing is left (so empty objects are not sent). */
export function nonEmpty<T extends Bag>(object: T): T | undefined {
  const kept = Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
  return Object.keys(kept).length > 0 ? (kept as T) : undefined;
}
