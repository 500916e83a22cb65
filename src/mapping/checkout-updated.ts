import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { parseCheckout, type ShopifyCheckout } from '../shopify/checkout.ts';
import { checkoutIdentify, checkoutIdentity, type CheckoutIdentity } from './checkout-identity.ts';
import { furthestCheckoutStep, paymentMethod, shippingMethod, type CheckoutStep } from './checkout-steps.ts';
import { couponTracks } from './coupon-applied.ts';
import { specEvents } from './event-names.ts';
import type { MapContext, Mapper, MapResult } from './mapper.ts';
import { trackMessage } from './track-message.ts';
import { compact, isoTimestamp, quoted } from './values.ts';

interface StepCommon {
  shop: string;
  timestamp: string;
  identity: CheckoutIdentity;
}

/**
 * A step's properties hold only what that step is about (step 2 its shipping method, step 3 also the payment
 * method), so every update that re-derives a step's message derives the same body for its messageId.
 */
function stepProperties(checkout: ShopifyCheckout, step: CheckoutStep): Record<string, unknown> {
  return compact({
    checkout_id: checkout.token,
    cart_id: checkout.cart_token,
    email: checkout.email || checkout.customer?.email,
    step,
    shipping_method: step >= 2 ? shippingMethod(checkout) : undefined,
    payment_method: step >= 3 ? paymentMethod(checkout) : undefined,
  });
}

/** Checkout Step Viewed and Completed for one step; messageIds keyed by checkout token + step. */
function stepTracks(checkout: ShopifyCheckout, step: CheckoutStep, common: StepCommon): SegmentMessage[] {
  const properties = stepProperties(checkout, step);
  const shared = { ...common, ...common.identity, resource: checkout.token, version: `step ${step}`, properties };
  return [
    trackMessage({ ...shared, event: specEvents.checkoutStepViewed }),
    trackMessage({ ...shared, event: specEvents.checkoutStepCompleted }),
  ];
}

/** Both step events for each step 1 … the furthest reached, then Payment Info Entered once payment is reached. */
function progressTracks(checkout: ShopifyCheckout, common: StepCommon): SegmentMessage[] {
  const furthest = furthestCheckoutStep(checkout);
  const steps = ([1, 2, 3] as const).filter((step) => step <= furthest);
  const tracks = steps.flatMap((step) => stepTracks(checkout, step, common));
  if (furthest !== 3) return tracks;
  const properties = stepProperties(checkout, 3);
  const resource = checkout.token;
  return [...tracks, trackMessage({ ...common, ...common.identity, event: specEvents.paymentInfoEntered, resource, properties })];
}

function updateMessages(checkout: ShopifyCheckout, context: MapContext): MapResult {
  const time = checkout.updated_at ?? checkout.created_at;
  const timestamp = isoTimestamp(time);
  if (timestamp === undefined) return { kind: 'unmappable', reason: `updated_at: ${quoted(time)} is not an ISO-8601 time` };
  const { shop } = context;
  const identity = checkoutIdentity(checkout, shop, context.linkedAnonymousId);
  const coupons = couponTracks(checkout, { shop, timestamp, identity });
  if (!coupons.ok) return { kind: 'unmappable', reason: coupons.reason };
  const tracks = [...progressTracks(checkout, { shop, timestamp, identity }), ...coupons.value];
  if (tracks.length === 0) return { kind: 'ignored', reason: 'the checkout has reached no step yet (no email, phone, shipping or payment)' };
  return { kind: 'mapped', messages: [...checkoutIdentify(checkout, identity, timestamp, context), ...tracks] };
}

/**
 * checkouts/update → Checkout Step Viewed / Completed for each step the checkout reached, Payment Info Entered,
 * and Coupon Applied per discount code. Shopify sends many updates per checkout and nothing is stored between them:
 * every messageId is derived from shop + checkout token + step (or code), so a repeated step is refused by the
 * outbox. A completed checkout maps the same way; its order sends Order Completed.
 */
export const mapCheckoutUpdated: Mapper = (payload, context) => {
  const parsed = parseCheckout(payload);
  return parsed.ok ? updateMessages(parsed.value, context) : { kind: 'unmappable', reason: parsed.reason };
};
