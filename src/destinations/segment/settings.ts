import { z } from 'zod';
import { destinationOptionsShape } from '../destination-options.ts';

/**
 * Segment's documented HTTP Tracking API limits: 32 KB per event, 500 KB per /v1/batch request, 2,500 events per
 * batch (over that Segment answers 200 and drops the events, so we must never send more).
 * https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#max-request-size
 */
export const segmentApiLimits = {
  maxBatchEvents: 2500,
  maxBatchBytes: 500 * 1024,
  maxEventBytes: 32 * 1024,
} as const;

/** Where each region's HTTP Tracking API lives (EU workspaces must use the EU host or their events vanish). */
export const segmentRegionEndpoints = {
  us: 'https://api.segment.io',
  eu: 'https://events.eu1.segmentapis.com',
} as const;

export const segmentSettingsSchema = z.strictObject({
  /** The HTTP API source's write key; sent as Basic auth (`writeKey:`). */
  writeKey: z.string().min(1, 'must not be empty'),
  region: z.enum(['us', 'eu']).default('us'),
  /** Overrides the region's host, e.g. a proxy or a local Segment-compatible sink. No trailing /v1. */
  endpoint: z.url().optional(),
  maxBatchEvents: z.number().int().min(1).max(segmentApiLimits.maxBatchEvents).default(500),
  /** Decimal 500 kB by default: a little under the 500 KiB cap, since Segment does not say which it means. */
  maxBatchBytes: z.number().int().min(4 * 1024).max(segmentApiLimits.maxBatchBytes).default(500_000),
  requestTimeoutMs: z.number().int().min(1).default(10_000),
  ...destinationOptionsShape,
});

export type SegmentSettings = z.infer<typeof segmentSettingsSchema>;
/** Settings as written in a config file, before defaults. */
export type SegmentSettingsInput = z.input<typeof segmentSettingsSchema>;

/** The base URL requests go to: the explicit endpoint, else the region's host. */
export function segmentBaseUrl(settings: Pick<SegmentSettings, 'endpoint' | 'region'>): string {
  const base = settings.endpoint ?? segmentRegionEndpoints[settings.region];
  return base.replace(/\/+$/, '');
}
