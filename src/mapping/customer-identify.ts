import { messageIdFor } from '../pipeline/message-id.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { minorToNumber, parseMoney } from '../shopify/money.ts';
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
function lifetimeValue(customer: ShopifyCustomer, fallbackCurrency: string | undefined): number | undefined {
  if (customer.total_spent == null) return undefined;
  const money = parseMoney(customer.total_spent, customer.currency ?? fallbackCurrency);
  return money.ok ? minorToNumber(money.value.minor, money.value.exponent) : undefined;
}

/** What the order or checkout around a customer record knows that the record may lack. */
export interface CustomerFallback {
  email?: string | null | undefined;
  currency?: string | undefined;
}

/** Identify traits the paid connectors send for a Shopify customer. */
export function customerTraits(customer: ShopifyCustomer, fallback: CustomerFallback = {}): Record<string, unknown> {
  return compact({
    email: customer.email || fallback.email,
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
    purchaseCount: customer.orders_count,
    customerLifetimeValue: lifetimeValue(customer, fallback.currency),
  });
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
    traits: customerTraits(input.customer, input.fallback),
    context: input.context,
  };
}
