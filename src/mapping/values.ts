/** Keys of T whose value may be absent. */
type Present<T> = { [K in keyof T]?: Exclude<T[K], null | undefined> };

/** The record without null, undefined or empty-string values: absent data is left out, never sent as null or "". */
export function compact<T extends Record<string, unknown>>(record: T): Present<T> {
  // for…in, not Object.entries: this runs for every property object of every message, and entries allocates.
  const kept: Record<string, unknown> = {};
  for (const key in record) {
    const value = record[key];
    if (value !== null && value !== undefined && value !== '') kept[key] = value;
  }
  return kept as Present<T>;
}

const isoDateTimeStart = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** A Shopify time ("2021-12-31T19:00:00-05:00") as ISO-8601 UTC ("2022-01-01T00:00:00.000Z"), or undefined. */
export function isoTimestamp(value: string | null | undefined): string | undefined {
  if (value == null || !isoDateTimeStart.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** A short rendering of a bad value for a failure reason (dates, amounts, channel names; never personal data). */
export function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
