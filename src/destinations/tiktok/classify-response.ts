import { parseRetryAfter } from '../http-outcomes.ts';
import type { SendOutcome } from '../destination.ts';

/**
 * TikTok API for Business return codes (docs: "Return codes", business-api.tiktok.com/portal/docs?id=1737172488964097).
 * TikTok answers HTTP 200 to almost everything and puts the outcome in the body's numeric `code`; the code wins
 * over the HTTP status. Only the codes that change what we do are listed; any other code is permanent.
 */
export const tiktokReturnCodes = {
  ok: [0],
  /** "Requests made too frequently": app-level (40016, 40100), per pixel_code (40132), per advertiser (40133). */
  rateLimited: [40016, 40100, 40132, 40133],
  /**
   * Credentials or permissions the operator must fix: no permission (40001), token expired (40102), empty (40104),
   * invalid (40105), core user invalid (40106), app blocked (40113), not allowlisted (40118), developer and
   * advertiser of different companies (40119), developer without permission (40125).
   */
  authFailed: [40001, 40102, 40104, 40105, 40106, 40113, 40118, 40119, 40125],
  /**
   * Something in the request is wrong: invalid parameters (40000), parameter error (40002), too many ids (40011).
   * Also "partially successful" (20001): resending the accepted events is safe, since TikTok deduplicates on event_id.
   */
  batchRejected: [20001, 40000, 40002, 40011],
  /** Worth retrying: write conflict (40202), system errors (50000, 50002, 51305), maintenance (60001). */
  retryable: [40202, 50000, 50002, 51305, 60001],
} as const;

/** The body TikTok answers with: `{ code, message, request_id, data }`. */
export interface TikTokAnswer {
  code: number;
  message: string;
  requestId?: string;
}

/** TikTok's JSON answer, or null when the body is not one. */
export function readTikTokAnswer(body: string): TikTokAnswer | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if (typeof record.code !== 'number') return null;
  const message = typeof record.message === 'string' ? record.message : '';
  return typeof record.request_id === 'string'
    ? { code: record.code, message, requestId: record.request_id }
    : { code: record.code, message };
}

function describeAnswer(answer: TikTokAnswer): string {
  const request = answer.requestId ? ` (request_id ${answer.requestId})` : '';
  return `TikTok code ${answer.code}: ${answer.message}${request}`;
}

function includes(codes: readonly number[], code: number): boolean {
  return codes.includes(code);
}

/** An answered request (HTTP 2xx) → outcome, by TikTok's return code. */
export function classifyTikTokAnswer(answer: TikTokAnswer, retryAfterMs?: number): SendOutcome {
  const reason = describeAnswer(answer);
  const { code } = answer;
  if (includes(tiktokReturnCodes.ok, code)) return { kind: 'delivered' };
  if (includes(tiktokReturnCodes.rateLimited, code)) {
    return retryAfterMs === undefined ? { kind: 'rate-limited', reason } : { kind: 'rate-limited', reason, retryAfterMs };
  }
  if (includes(tiktokReturnCodes.authFailed, code)) return { kind: 'auth-failed', reason };
  if (includes(tiktokReturnCodes.batchRejected, code)) return { kind: 'batch-rejected', reason };
  // 5xxxx are service errors (the docs say: retry after a while); 4xxxx not listed above are the request's fault.
  if (includes(tiktokReturnCodes.retryable, code) || (code >= 50000 && code < 60000)) return { kind: 'retryable', reason };
  return { kind: 'permanent', reason };
}

function describeHttp(status: number, body: string): string {
  const detail = body.trim().slice(0, 300);
  return detail ? `HTTP ${status}: ${detail}` : `HTTP ${status}`;
}

/** A non-2xx answer: it never reached TikTok's API logic (wrong path or method) or the service failed. */
function classifyHttpFailure(status: number, retryAfterMs: number | undefined, body: string): SendOutcome {
  const reason = describeHttp(status, body);
  if (status === 429) {
    return retryAfterMs === undefined ? { kind: 'rate-limited', reason, status } : { kind: 'rate-limited', reason, status, retryAfterMs };
  }
  if (status === 401 || status === 403) return { kind: 'auth-failed', reason, status };
  if (status === 408 || status >= 500) return { kind: 'retryable', reason, status };
  if (status === 400 || status === 413) return { kind: 'batch-rejected', reason, status };
  return { kind: 'permanent', reason, status };
}

/** TikTok's answer to one /event/track/ request → what happened to the batch. */
export function classifyTikTokResponse(status: number, retryAfter: string | null, body: string, now: number): SendOutcome {
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  if (status < 200 || status >= 300) return classifyHttpFailure(status, retryAfterMs, body);
  const answer = readTikTokAnswer(body);
  // An unreadable 200 tells us nothing; sending again is safe because TikTok deduplicates on event_id.
  if (answer === null) return { kind: 'retryable', reason: describeHttp(status, `unreadable answer: ${body}`), status };
  return classifyTikTokAnswer(answer, retryAfterMs);
}

