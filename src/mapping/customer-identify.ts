import { messageIdFor } from '../pipeline/message-id.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { CustomerProfile } from '../profiles/customer-profile.ts';
import { ltvTier, type LtvTiers } from '../profiles/ltv-tier.ts';
import { currencyExponent, minorToNumber, parseMoney } from '../shopify/money.ts';
import type { ShopifyCustomer } from '../shopify/order.ts';
import { compact, isoTimestamp } from './values.ts';

type Address = NonNullable<ShopifyCustomer['default_address']>;

/** Segment's address trait (https://segment.com/docs/connections/spec/identify/#traits). */
function addressTrait(address: Address | null | undefined): Record<string, string> | undefined {
  if (address == null) return undefined;
  const street = [address.address1, address.address2].filter((line) => line != null && line !== '').join(', ');
  const trait = compact({
    street,
    city: address.city,
    state: address.province,
    postalCode: address.zip,
    country: address.country,
  });
  return Object.keys(trait).length > 0 ? trait : undefined;
}

/** Total spent, as a number in the customer's currency; left out when Shopify does not send a readable one. */
function recordLifetimeValue(customer: ShopifyCustomer, fallbackCurrency: string | undefined): number | undefined {
  if (customer.total_spent == null) return undefined;
  const money = parseMoney(customer.total_spent, customer.currency ?? fallbackCurrency);
  return money.ok ? minorToNumber(money.value.minor, money.value.exponent) : undefined;
}

/** What the order or checkout around a customer record knows that the record may lack. */
export interface CustomerFallback {
  email?: string | null | undefined;
  currency?: string | undefined;
}

/**
 * The traits of the customer record itself (what the profile store keeps and customers/update compares): without
 * the order's fallback email, so a record is compared with a record.
 */
export function customerRecordTraits(customer: ShopifyCustomer): Record<string, unknown> {
  return compact({
    email: customer.email,
    firstName: customer.first_name,
    lastName: customer.last_name,
    phone: customer.phone,
    createdAt: isoTimestamp(customer.created_at),
    description: customer.note,
    address: addressTrait(customer.default_address),
    state: customer.state,
    verified_email: customer.verified_email,
    tags: customer.tags,
    marketingOptIn: customer.email_marketing_consent?.state,
  });
}

/** Lifetime value net of refunds as a number; 0 before any order (or in a currency we do not know). */
function profileLifetimeValue(profile: CustomerProfile): number {
  const value = profile.lifetimeValue;
  const exponent = value === undefined ? undefined : currencyExponent(value.currency);
  return value === undefined || !exponent?.ok ? 0 : minorToNumber(value.minor, exponent.value);
}

/** customerLifetimeValue, purchaseCount and ltvTier of a profile (every order and refund cartstream saw). */
export function profileValueTraits(profile: CustomerProfile, tiers: LtvTiers | undefined): Record<string, unknown> {
  const lifetimeValue = profileLifetimeValue(profile);
  return compact({ purchaseCount: profile.orderCount, customerLifetimeValue: lifetimeValue, ltvTier: ltvTier(lifetimeValue, tiers) });
}

/**
 * customerLifetimeValue, purchaseCount and ltvTier: from the profile store when the pipeline looked the customer up,
 * else from the record's total_spent and orders_count.
 */
function customerValueTraits(customer: ShopifyCustomer, fallback: CustomerFallback, profile: CustomerProfile | undefined, tiers: LtvTiers | undefined): Record<string, unknown> {
  if (profile !== undefined) return profileValueTraits(profile, tiers);
  const lifetimeValue = recordLifetimeValue(customer, fallback.currency);
  return compact({
    purchaseCount: customer.orders_count,
    customerLifetimeValue: lifetimeValue,
    ltvTier: lifetimeValue === undefined ? undefined : ltvTier(lifetimeValue, tiers),
  });
}

/** Identify traits the paid connectors send for a Shopify customer, and the LTV tier. */
export function customerTraits(customer: ShopifyCustomer, fallback: CustomerFallback = {}, profile?: CustomerProfile, tiers?: LtvTiers): Record<string, unknown> {
  const email = customer.email || fallback.email;
  return { ...customerRecordTraits(customer), ...compact({ email }), ...customerValueTraits(customer, fallback, profile, tiers) };
}

export interface CustomerIdentifyInput {
  shop: string;
  customer: ShopifyCustomer;
  customerId: string;
  /** The shopper's anonymousId when the customer was met in a cart, checkout or order. */
  anonymousId?: string | undefined;
  fallback?: CustomerFallback;
  /**
   * Version and time for a record without a readable updated_at, e.g. `order <id>` and the order's time: then the
   * Identify is sent once per order (or webhook) instead of once per customer version.
   */
  unversioned: { version: string; timestamp: string };
  context: Record<string, unknown>;
  /** The customer's profile with this event counted, when the pipeline looked it up. */
  profile?: CustomerProfile | undefined;
  ltvTiers?: LtvTiers | undefined;
  /** Traits to send instead of the full set (customers/update sends only those that changed). */
  traits?: Record<string, unknown>;
}

/**
 * An Identify for a customer. Its messageId is the customer's version (updated_at), so the same customer state
 * seen in orders/create, orders/paid and customers/update is sent once.
 */
export function customerIdentify(input: CustomerIdentifyInput): SegmentMessage {
  const updatedAt = isoTimestamp(input.customer.updated_at);
  const version = updatedAt ?? input.unversioned.version;
  return {
    type: 'identify',
    messageId: messageIdFor({ shop: input.shop, kind: 'identify', resource: input.customerId, version }),
    timestamp: updatedAt ?? input.unversioned.timestamp,
    userId: input.customerId,
    ...(input.anonymousId === undefined ? {} : { anonymousId: input.anonymousId }),
    traits: input.traits ?? customerTraits(input.customer, input.fallback, input.profile, input.ltvTiers),
    context: input.context,
  };
}
