import type { TransformResult } from '../destination.ts';
import type { SegmentMessage } from '../../pipeline/segment-message.ts';
import { tiktokEventFor } from './event-names.ts';
import { tiktokPage, tiktokProperties } from './event-properties.ts';
import { bagOf } from './read-values.ts';
import type { TikTokSettings } from './settings.ts';
import { tiktokUser } from './user-data.ts';

export type TikTokTransformSettings = Pick<TikTokSettings, 'events' | 'completePaymentEventName'>;

/**
 * Consent travels in `context.consent.marketing` (a boolean, written by whoever knows the shopper's choice: the
 * collector, or a mapper from Shopify's marketing consent). Only an explicit `false` withholds the event; an
 * unknown choice is not a refusal.
 */
export function marketingConsentWithheld(message: SegmentMessage): boolean {
  return bagOf(bagOf(message.context)?.consent)?.marketing === false;
}

/** Unix seconds of an ISO-8601 time, or undefined when it is not one. */
export function unixSeconds(timestamp: string): number | undefined {
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function skip(reason: string): TransformResult {
  return { kind: 'skip', reason };
}

/**
 * A spec message → one element of TikTok's `data[]`, serialized once, or a skip with the reason. Pure. `event_id`
 * is the deterministic messageId, so TikTok drops a resend within its 48 h window, and the browser pixel can send
 * the same id for the same action so pixel and server events merge.
 */
export function toTikTokWireEvent(message: SegmentMessage, settings: TikTokTransformSettings): TransformResult {
  if (message.type !== 'track') return skip(`${message.type} calls are not sent to TikTok, which takes conversion events only`);
  if (!message.event) return skip('a track call without an event name is not sent to TikTok');
  const lookup = tiktokEventFor(message.event, settings);
  if (lookup.kind === 'skip') return lookup;
  if (marketingConsentWithheld(message)) return skip('marketing consent withheld');
  const eventTime = unixSeconds(message.timestamp);
  if (eventTime === undefined) return skip(`timestamp ${JSON.stringify(message.timestamp)} is not an ISO-8601 time`);
  return {
    kind: 'event',
    json: JSON.stringify({
      event: lookup.name,
      event_time: eventTime,
      event_id: message.messageId,
      user: tiktokUser(message),
      properties: tiktokProperties(message),
      page: tiktokPage(message),
    }),
  };
}
