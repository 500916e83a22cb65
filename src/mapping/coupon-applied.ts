import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { ShopifyCheckout } from '../shopify/checkout.ts';
import { minorToNumber, parseMoney, type Parsed } from '../shopify/money.ts';
import type { CheckoutIdentity } from './checkout-identity.ts';
import { specEvents } from './event-names.ts';
import { trackMessage } from './track-message.ts';
import { compact } from './values.ts';

export interface CouponCommon {
  shop: string;
  timestamp: string;
  identity: CheckoutIdentity;
}

type Discount = NonNullable<ShopifyCheckout['discount_codes']>[number];

/** One Coupon Applied per code, keyed by checkout token + code: a code applied to one checkout is one fact. */
function couponTrack(checkout: ShopifyCheckout, discount: Discount, index: number, common: CouponCommon): Parsed<SegmentMessage> {
  let amount: number | undefined;
  if (discount.amount != null) {
    const money = parseMoney(discount.amount, checkout.currency);
    if (!money.ok) return { ok: false, reason: `discount_codes[${index}].amount: ${money.reason}` };
    amount = minorToNumber(money.value.minor, money.value.exponent);
  }
  const properties = compact({
    checkout_id: checkout.token,
    cart_id: checkout.cart_token,
    email: checkout.email || checkout.customer?.email,
    coupon_name: discount.code,
    discount: amount,
    discount_type: discount.type,
    currency: amount === undefined ? undefined : checkout.currency,
  });
  const { shop, timestamp, identity } = common;
  const version = `coupon ${discount.code}`;
  return { ok: true, value: trackMessage({ event: specEvents.couponApplied, shop, resource: checkout.token, version, timestamp, ...identity, properties }) };
}

/**
 * A Coupon Applied for each discount code on a checkout. checkouts/create and checkouts/update both call this and
 * get the same messageIds, so a code is sent once whichever delivery shows it first.
 */
export function couponTracks(checkout: ShopifyCheckout, common: CouponCommon): Parsed<SegmentMessage[]> {
  const messages: SegmentMessage[] = [];
  for (const [index, discount] of (checkout.discount_codes ?? []).entries()) {
    if (discount.code === '') continue;
    const track = couponTrack(checkout, discount, index, common);
    if (!track.ok) return track;
    messages.push(track.value);
  }
  return { ok: true, value: messages };
}
