import type { SendOutcome } from './destination.ts';

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A fetch that threw (connection refused, reset, DNS, our timeout) is always worth retrying. */
export function classifyFetchError(error: unknown): SendOutcome {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return { kind: 'retryable', reason: 'request timed out' };
  const cause = err?.cause?.code ?? err?.cause?.message;
  return { kind: 'retryable', reason: `network error: ${err?.message ?? String(error)}${cause ? ` (${cause})` : ''}` };
}
