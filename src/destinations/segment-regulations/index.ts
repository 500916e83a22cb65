/**
 * Segment's Public API as a destination for privacy requests: each outbox row is one
 * `POST {endpoint}/regulations` ("Create Workspace Regulation") asking Segment to suppress the user and delete their
 * data in Segment and its connected destinations. Queued by customers/redact (privacy/), delivered with the same
 * retries, Retry-After and dead letters as events; an invalid token pauses it rather than burning retries.
 */
import { z } from 'zod';
import type { Destination, SendOutcome, SendResult } from '../destination.ts';
import { classifyFetchError, parseRetryAfter } from '../http-outcomes.ts';

export const segmentRegulationsSettingsSchema = z.strictObject({
  /** A Public API token with the Workspace Owner role (Segment requires it for regulations). */
  token: z.string().min(1),
  endpoint: z.url().default('https://api.segmentapis.com'),
  requestTimeoutMs: z.number().int().positive().default(15_000),
});
export type SegmentRegulationsSettings = z.infer<typeof segmentRegulationsSettingsSchema>;

export const segmentRegulationsName = 'segment-regulations';

/** Segment accepts at most 5,000 subjects per regulation. */
export const maxSubjectsPerRegulation = 5_000;

/** The request body: suppress new data for these userIds and delete what Segment and its destinations hold. */
export function regulationBody(userIds: readonly string[]): string {
  return JSON.stringify({ regulationType: 'SUPPRESS_WITH_DELETE', subjectType: 'USER_ID', subjectIds: userIds });
}

function classify(status: number, retryAfter: string | null, body: string): SendOutcome {
  const reason = `HTTP ${status}${body.trim() ? `: ${body.trim().slice(0, 300)}` : ''}`;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 401 || status === 403) return { kind: 'auth-failed', reason, status };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfter, Date.now());
    return retryAfterMs === undefined ? { kind: 'rate-limited', reason, status } : { kind: 'rate-limited', reason, status, retryAfterMs };
  }
  if (status === 408 || status >= 500) return { kind: 'retryable', reason, status };
  return { kind: 'permanent', reason, status };
}

export function createSegmentRegulationsDestination(settings: SegmentRegulationsSettings, http: { fetch: typeof fetch } = { fetch: globalThis.fetch }): Destination {
  const url = `${settings.endpoint.replace(/\/+$/, '')}/regulations`;
  const headers = { 'Content-Type': 'application/vnd.segment.v1+json', Accept: 'application/vnd.segment.v1+json', Authorization: `Bearer ${settings.token}` };
  async function sendOne(body: string, signal: AbortSignal): Promise<SendOutcome> {
    try {
      const response = await http.fetch(url, { method: 'POST', headers, body, signal: AbortSignal.any([signal, AbortSignal.timeout(settings.requestTimeoutMs)]) });
      return classify(response.status, response.headers.get('retry-after'), await response.text());
    } catch (error) {
      return classifyFetchError(error);
    }
  }
  return {
    name: segmentRegulationsName,
    // One regulation per request; the body is written by privacy/ straight into the outbox.
    limits: { maxBatchEvents: 1, maxBatchBytes: 512 * 1024, maxEventBytes: 512 * 1024 },
    transform: () => ({ kind: 'skip', reason: 'the regulations destination takes privacy requests only, never events' }),
    async send(events, signal): Promise<SendResult> {
      const outcomes: SendOutcome[] = [];
      for (const event of events) outcomes.push(await sendOne(event, signal));
      return { scope: 'per-event', outcomes };
    },
  };
}
