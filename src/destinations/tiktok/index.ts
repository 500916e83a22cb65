import { destinationOptionsOf } from '../destination-options.ts';
import type { Destination, SendResult } from '../destination.ts';
import { classifyFetchError } from '../http-outcomes.ts';
import { classifyTikTokResponse } from './classify-response.ts';
import { tiktokApiLimits, tiktokTrackUrl, type TikTokSettings } from './settings.ts';
import { toTikTokWireEvent } from './wire-event.ts';

export { tiktokSettingsSchema, type TikTokSettings, type TikTokSettingsInput } from './settings.ts';
export { tiktokEventTable } from './event-names.ts';

/** The HTTP client the destination uses; tests and the runtime may pass their own. */
export interface TikTokHttp {
  fetch: typeof fetch;
}

type EnvelopeSettings = Pick<TikTokSettings, 'pixelCode' | 'testEventCode'>;

/** `{"event_source":"web","event_source_id":…,"test_event_code"?:…,"data":[` — everything before the events. */
function envelopeHead(settings: EnvelopeSettings): string {
  const testCode = settings.testEventCode === undefined ? '' : `,"test_event_code":${JSON.stringify(settings.testEventCode)}`;
  return `{"event_source":"web","event_source_id":${JSON.stringify(settings.pixelCode)}${testCode},"data":[`;
}

/** The /event/track/ body from the stored wire JSON, without parsing the events again (the hot path). */
export function tiktokRequestBody(events: readonly string[], settings: EnvelopeSettings): string {
  return `${envelopeHead(settings)}${events.join(',')}]}`;
}

/** Bytes the request adds around its events. */
export function tiktokEnvelopeBytes(settings: EnvelopeSettings): number {
  return Buffer.byteLength(tiktokRequestBody([], settings));
}

async function post(http: TikTokHttp, url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<SendResult> {
  try {
    const response = await http.fetch(url, { method: 'POST', headers, body, signal });
    // The body carries the outcome (TikTok answers 200 with a code), so it is always read.
    const text = await response.text();
    return { scope: 'batch', outcome: classifyTikTokResponse(response.status, response.headers.get('retry-after'), text, Date.now()) };
  } catch (error) {
    return { scope: 'batch', outcome: classifyFetchError(error) };
  }
}

/**
 * TikTok's Events API 2.0 as a destination (web events of one pixel): one POST /open_api/v1.3/event/track/ per
 * batch, classified as a whole by TikTok's return code. The engine's batcher counts a smaller envelope than ours,
 * so the byte limit it gets is reduced by our envelope's size, keeping every request within maxBatchBytes.
 */
export function createTikTokDestination(settings: TikTokSettings, http: TikTokHttp = { fetch: globalThis.fetch }): Destination {
  const url = tiktokTrackUrl(settings);
  const headers = { 'Content-Type': 'application/json', 'Access-Token': settings.accessToken };
  return {
    name: 'tiktok',
    options: destinationOptionsOf(settings),
    limits: {
      maxBatchEvents: settings.maxBatchEvents,
      maxBatchBytes: settings.maxBatchBytes - tiktokEnvelopeBytes(settings),
      maxEventBytes: tiktokApiLimits.maxEventBytes,
    },
    transform: (message) => toTikTokWireEvent(message, settings),
    send(events, signal) {
      const timeout = AbortSignal.timeout(settings.requestTimeoutMs);
      return post(http, url, headers, tiktokRequestBody(events, settings), AbortSignal.any([signal, timeout]));
    },
  };
}
