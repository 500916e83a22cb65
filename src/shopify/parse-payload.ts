import type { z } from 'zod';

/** A validated webhook body, or every wrong field path with what is wrong ("line_items[0].price: missing"). */
export type ParsedPayload<T> = { ok: true; value: T } | { ok: false; reason: string };

/** "line_items[0].price" from zod's ['line_items', 0, 'price']. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((joined, key) => {
    if (typeof key === 'number') return `${joined}[${key}]`;
    return joined === '' ? String(key) : `${joined}.${String(key)}`;
  }, '');
}

/** "missing" instead of zod's "expected string, received undefined"; other issues keep zod's message. */
function missingFieldMessage(issue: { input?: unknown }): string | undefined {
  return issue.input === undefined ? 'missing' : undefined;
}

/** Validates a body against a schema; never throws. */
export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown): ParsedPayload<z.infer<S>> {
  const result = schema.safeParse(payload, { error: missingFieldMessage });
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((issue) => `${fieldPath(issue.path) || '(body)'}: ${issue.message}`);
  return { ok: false, reason: problems.join('; ') };
}
