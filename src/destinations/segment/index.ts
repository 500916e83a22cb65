import packageJson from '../../../package.json' with { type: 'json' };
import { destinationOptionsOf } from '../destination-options.ts';
import type { Destination, SendResult } from '../destination.ts';
import { classifyFetchError } from '../http-outcomes.ts';
import { classifySegmentResponse } from './classify-response.ts';
import { segmentApiLimits, segmentBaseUrl, type SegmentSettings } from './settings.ts';
import { toSegmentWireEvent, type LibraryInfo } from './wire-event.ts';

export { segmentSettingsSchema, type SegmentSettings } from './settings.ts';

/** The HTTP client the destination uses; tests and the runtime may pass their own. */
export interface SegmentHttp {
  fetch: typeof fetch;
}

const library: LibraryInfo = { name: 'cartstream', version: packageJson.version };

/** `{"batch":[e1,e2],"sentAt":"…"}` from the stored wire JSON, without parsing it again (the hot path). */
export function segmentBatchBody(events: readonly string[], sentAt: string): string {
  return `{"batch":[${events.join(',')}],"sentAt":"${sentAt}"}`;
}

/** `Basic base64("writeKey:")`, the form Segment documents (the colon matters). */
export function segmentAuthorization(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}

async function post(http: SegmentHttp, url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<SendResult> {
  try {
    const response = await http.fetch(url, { method: 'POST', headers, body, signal });
    // Reading the (small) body lets the connection be reused and gives operators Segment's own words.
    const text = await response.text();
    return { scope: 'batch', outcome: classifySegmentResponse(response.status, response.headers.get('retry-after'), text, Date.now()) };
  } catch (error) {
    return { scope: 'batch', outcome: classifyFetchError(error) };
  }
}

/** Segment's HTTP Tracking API as a destination: one /v1/batch request per batch, classified as a whole. */
export function createSegmentDestination(settings: SegmentSettings, http: SegmentHttp = { fetch: globalThis.fetch }): Destination {
  const url = `${segmentBaseUrl(settings)}/v1/batch`;
  const headers = { 'Content-Type': 'application/json', Authorization: segmentAuthorization(settings.writeKey) };
  return {
    name: 'segment',
    options: destinationOptionsOf(settings),
    limits: {
      maxBatchEvents: settings.maxBatchEvents,
      maxBatchBytes: settings.maxBatchBytes,
      maxEventBytes: segmentApiLimits.maxEventBytes,
    },
    transform: (message) => toSegmentWireEvent(message, library),
    send(events, signal) {
      const body = segmentBatchBody(events, new Date().toISOString());
      const timeout = AbortSignal.timeout(settings.requestTimeoutMs);
      return post(http, url, headers, body, AbortSignal.any([signal, timeout]));
    },
  };
}
