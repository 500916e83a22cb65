/**
 * JSON with Shopify's 18-digit ids written as exact numbers. Payload builders wrap ids with exactId, which
 * JSON.stringify writes as raw number text (JSON.rawJSON, Node ≥ 21), so the bytes carry every digit, as
 * Shopify's do. A bare bigint left in a payload makes JSON.stringify throw, so a missed id cannot go unnoticed.
 */
const { rawJSON } = JSON as unknown as { rawJSON: (text: string) => unknown };

/** A value that JSON.stringify writes as the given number text, verbatim (e.g. "89.99", never 89.98999…). */
export function jsonNumber(text: string): unknown {
  return rawJSON(text);
}

/** An id as an exact JSON number. */
export function exactId(id: bigint): unknown {
  return rawJSON(id.toString());
}

export function exactIdOrNull(id: bigint | null | undefined): unknown {
  return id === null || id === undefined ? null : exactId(id);
}

/** Serialises a payload object to UTF-8 bytes. */
export function toJsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

type SourceReviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

/** Parses JSON keeping integers beyond 2^53 exact, as bigints (uses the reviver's source text). */
export function parseJsonExact(text: string | Buffer): unknown {
  const reviver: SourceReviver = (_key, value, context) => {
    const source = context?.source;
    if (typeof value === 'number' && !Number.isSafeInteger(value) && source && /^-?\d+$/.test(source)) {
      return BigInt(source);
    }
    return value;
  };
  return JSON.parse(text.toString(), reviver as Parameters<typeof JSON.parse>[1]);
}
