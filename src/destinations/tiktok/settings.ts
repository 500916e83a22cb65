import { z } from 'zod';
import { destinationOptionsShape } from '../destination-options.ts';

/**
 * TikTok Events API 2.0 limits. `data` holds at most 1,000 events; over that TikTok rejects the whole request
 * (Events API 2.0 "Report App, Web, Offline, or CRM events", /event/track/). TikTok documents no byte limit per
 * request or per event, so the byte caps below are our own safety margins, not TikTok's.
 */
export const tiktokApiLimits = {
  maxBatchEvents: 1000,
  maxBatchBytes: 4 * 1024 * 1024,
  maxEventBytes: 256 * 1024,
} as const;

/** TikTok's API for Business host; the path is /open_api/v1.3/event/track/ (the trailing slash matters: 404 without). */
export const tiktokDefaultEndpoint = 'https://business-api.tiktok.com';
export const tiktokTrackPath = '/open_api/v1.3/event/track/';

/** The names TikTok accepts for a completed purchase; merchants pick the one their campaigns optimise for. */
export const purchaseEventNames = ['CompletePayment', 'PlaceAnOrder', 'Purchase'] as const;

const on = z.boolean().default(true);

/** One switch per event cartstream can send to TikTok (see event-names.ts); all on by default. */
export const tiktokEventTogglesSchema = z.strictObject({
  viewContent: on,
  addToCart: on,
  initiateCheckout: on,
  addPaymentInfo: on,
  completePayment: on,
  postPurchaseUpsell: on,
});

export type TikTokEventToggle = keyof z.infer<typeof tiktokEventTogglesSchema>;

export const tiktokSettingsSchema = z.strictObject({
  /** An Events API access token generated for the pixel in TikTok Events Manager; sent as the Access-Token header. */
  accessToken: z.string().min(1, 'must not be empty'),
  /** The TikTok Pixel code the events belong to (`event_source_id`), e.g. C9Q2MJ3C77U4P674RPG0. */
  pixelCode: z.string().regex(/^[A-Za-z0-9]+$/, 'must be a TikTok pixel code (letters and digits)'),
  /** TikTok's API host, or a proxy / local sink. No path. */
  endpoint: z.url().default(tiktokDefaultEndpoint),
  /** When set, events go to Events Manager's "Test events" view instead of counting as real conversions. */
  testEventCode: z.string().min(1, 'must not be empty').optional(),
  events: tiktokEventTogglesSchema.prefault({}),
  completePaymentEventName: z.enum(purchaseEventNames).default('CompletePayment'),
  maxBatchEvents: z.number().int().min(1).max(tiktokApiLimits.maxBatchEvents).default(tiktokApiLimits.maxBatchEvents),
  maxBatchBytes: z.number().int().min(16 * 1024).max(tiktokApiLimits.maxBatchBytes).default(1_000_000),
  requestTimeoutMs: z.number().int().min(1).default(10_000),
  // TikTok takes no refunds, so negativeRefunds is not an option here.
  orders: destinationOptionsShape.orders,
  userId: destinationOptionsShape.userId,
});

export type TikTokSettings = z.infer<typeof tiktokSettingsSchema>;
/** Settings as written in a config file, before defaults. */
export type TikTokSettingsInput = z.input<typeof tiktokSettingsSchema>;

/** The full /event/track/ URL for these settings, without a doubled slash. */
export function tiktokTrackUrl(settings: Pick<TikTokSettings, 'endpoint'>): string {
  return `${settings.endpoint.replace(/\/+$/, '')}${tiktokTrackPath}`;
}
