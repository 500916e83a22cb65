import { parseRetryAfter } from '../http-outcomes.ts';
import type { SendOutcome } from '../destination.ts';

function describe(status: number, body: string): string {
  const detail = body.trim().slice(0, 300);
  return detail ? `HTTP ${status}: ${detail}` : `HTTP ${status}`;
}

/**
 * Segment's answer to one /v1/batch request → what happened to the batch. Segment answers 200 to everything it
 * accepts and 400 when the JSON is bad or a size limit is exceeded, for the request as a whole.
 */
export function classifySegmentResponse(status: number, retryAfter: string | null, body: string, now: number): SendOutcome {
  const reason = describe(status, body);
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 400 || status === 413) return { kind: 'batch-rejected', reason, status };
  if (status === 401 || status === 403) return { kind: 'auth-failed', reason, status };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfter, now);
    return retryAfterMs === undefined
      ? { kind: 'rate-limited', reason, status }
      : { kind: 'rate-limited', reason, status, retryAfterMs };
  }
  if (status === 408 || status >= 500) return { kind: 'retryable', reason, status };
  return { kind: 'permanent', reason, status };
}

