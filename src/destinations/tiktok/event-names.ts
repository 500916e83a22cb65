import type { TikTokEventToggle, TikTokSettings } from './settings.ts';

/** A TikTok standard event, or the purchase event whose name the merchant configures. */
type TikTokEventName = 'ViewContent' | 'AddToCart' | 'InitiateCheckout' | 'AddPaymentInfo' | 'configured purchase event';

interface TikTokEventRow {
  tiktok: TikTokEventName;
  /** The settings switch (settings.events) that turns this event on or off. */
  toggle: TikTokEventToggle;
}

/**
 * Segment Ecommerce Spec event → TikTok standard event: the one place this mapping lives. TikTok only optimises on
 * standard events, so anything not listed here is skipped. A Post Purchase Upsell (products added to an order after
 * payment) is a completed purchase of those products, so it is sent as the configured purchase event with its own
 * event_id, and TikTok counts it as a further purchase instead of deduplicating it against the order.
 */
export const tiktokEventTable: Readonly<Record<string, TikTokEventRow>> = {
  'Product Viewed': { tiktok: 'ViewContent', toggle: 'viewContent' },
  'Product Added': { tiktok: 'AddToCart', toggle: 'addToCart' },
  'Checkout Started': { tiktok: 'InitiateCheckout', toggle: 'initiateCheckout' },
  'Payment Info Entered': { tiktok: 'AddPaymentInfo', toggle: 'addPaymentInfo' },
  'Order Completed': { tiktok: 'configured purchase event', toggle: 'completePayment' },
  'Post Purchase Upsell': { tiktok: 'configured purchase event', toggle: 'postPurchaseUpsell' },
};

export type TikTokEventLookup = { kind: 'event'; name: string } | { kind: 'skip'; reason: string };

/** The TikTok event name for a Segment track event under these settings, or why it is not sent. */
export function tiktokEventFor(segmentEvent: string, settings: Pick<TikTokSettings, 'events' | 'completePaymentEventName'>): TikTokEventLookup {
  const row = Object.hasOwn(tiktokEventTable, segmentEvent) ? tiktokEventTable[segmentEvent] : undefined;
  if (row === undefined) return { kind: 'skip', reason: `${segmentEvent} is not a TikTok standard event` };
  const name = row.tiktok === 'configured purchase event' ? settings.completePaymentEventName : row.tiktok;
  if (!settings.events[row.toggle]) {
    return { kind: 'skip', reason: `${segmentEvent} → ${name} is switched off for TikTok (events.${row.toggle})` };
  }
  return { kind: 'event', name };
}
