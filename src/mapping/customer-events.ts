import { isDeepStrictEqual } from 'node:util';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { traitsSupersede } from '../profiles/customer-profile.ts';
import { parseCustomer } from '../shopify/customer.ts';
import type { ShopifyCustomer } from '../shopify/order.ts';
import { exactShopifyId } from '../shopify/shopify-id.ts';
import { customerIdentify, customerRecordTraits, customerTraits } from './customer-identify.ts';
import { specEvents, type SpecEvent } from './event-names.ts';
import type { MapContext, Mapper, MapResult } from './mapper.ts';
import { integrationContext } from './message-context.ts';
import { trackMessage } from './track-message.ts';
import { compact, isoTimestamp } from './values.ts';

/** What one customers/* topic sends besides the Identify. */
interface CustomerTopicRule {
  event: SpecEvent;
  /** The record field that says when it happened; falls back to updated_at. */
  at: 'created_at' | 'updated_at';
  /** A customer is created once; updated and enabled once per version of the record (updated_at). */
  perVersion: boolean;
  /** The Identify's traits: all of them, or only those that changed since the stored profile. */
  traits: 'all' | 'changed';
}

/** customers/* topic → event, in one place. */
export const customerTopicRules = {
  'customers/create': { event: specEvents.customerCreated, at: 'created_at', perVersion: false, traits: 'all' },
  'customers/update': { event: specEvents.customerUpdated, at: 'updated_at', perVersion: true, traits: 'changed' },
  'customers/enable': { event: specEvents.customerEnabled, at: 'updated_at', perVersion: true, traits: 'all' },
} as const satisfies Record<string, CustomerTopicRule>;

function customerProperties(customer: ShopifyCustomer, customerId: string): Record<string, unknown> {
  return compact({
    customer_id: customerId,
    email: customer.email,
    state: customer.state,
    verified_email: customer.verified_email,
    marketing_opt_in: customer.email_marketing_consent?.state,
    tags: customer.tags,
  });
}

/** The record's version: updated_at, else the webhook (whose retries share its id). */
function customerVersion(customer: ShopifyCustomer, context: MapContext): { version: string; timestamp: string | undefined } {
  const updatedAt = isoTimestamp(customer.updated_at);
  return { version: updatedAt ?? `webhook ${context.webhookId}`, timestamp: updatedAt ?? isoTimestamp(context.triggeredAt) };
}

/** The traits that differ from the stored ones; a trait the record no longer has is cleared (null). */
export function changedTraits(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(after)) if (!isDeepStrictEqual(before[name], value)) changed[name] = value;
  for (const name of Object.keys(before)) if (!(name in after)) changed[name] = null;
  return changed;
}

/**
 * The traits of a customers/* Identify, or undefined when it sends none: with `changed`, only what differs from the
 * stored profile, nothing for a record older than the stored one, and everything for a customer not seen before.
 */
function identifyTraits(customer: ShopifyCustomer, rule: CustomerTopicRule, context: MapContext): Record<string, unknown> | undefined {
  const stored = context.profile?.before.traits;
  if (rule.traits === 'all' || stored === undefined) return customerTraits(customer, {}, context.profile?.after, context.ltvTiers);
  if (!traitsSupersede(stored, { version: isoTimestamp(customer.updated_at) ?? null })) return undefined;
  const changed = changedTraits(stored.traits, customerRecordTraits(customer));
  return Object.keys(changed).length > 0 ? changed : undefined;
}

function customerMessages(customer: ShopifyCustomer, rule: CustomerTopicRule, context: MapContext): MapResult {
  const customerId = exactShopifyId(customer.id, customer.admin_graphql_api_id, 'Customer') ?? customer.id;
  const { version, timestamp: versionTime } = customerVersion(customer, context);
  const timestamp = isoTimestamp(customer[rule.at]) ?? versionTime;
  if (timestamp === undefined) {
    return { kind: 'unmappable', reason: `${rule.at}: no ISO-8601 time in the record nor in X-Shopify-Triggered-At` };
  }
  const traits = identifyTraits(customer, rule, context);
  const identify: SegmentMessage[] = traits === undefined ? [] : [customerIdentify({
    shop: context.shop,
    customer,
    customerId,
    unversioned: { version, timestamp },
    context: integrationContext(),
    traits,
  })];
  const track = trackMessage({
    event: rule.event,
    shop: context.shop,
    resource: customerId,
    version: rule.perVersion ? version : undefined,
    timestamp,
    userId: customerId,
    properties: customerProperties(customer, customerId),
  });
  return { kind: 'mapped', messages: [...identify, track] };
}

/**
 * The mapper for one customers/* topic: an Identify (the same one, same messageId, as orders embedding this
 * customer version give; for customers/update only the traits that changed, and none when nothing did) and the
 * topic's track event. The customer is the userId; there is no anonymousId,
 * because no browser is involved and a made-up one would split the customer's profile in some destinations.
 */
export function customerTopicMapper(rule: CustomerTopicRule): Mapper {
  return (payload, context) => {
    const parsed = parseCustomer(payload);
    return parsed.ok ? customerMessages(parsed.value, rule, context) : { kind: 'unmappable', reason: parsed.reason };
  };
}

export const mapCustomerCreated = customerTopicMapper(customerTopicRules['customers/create']);
export const mapCustomerUpdated = customerTopicMapper(customerTopicRules['customers/update']);
export const mapCustomerEnabled = customerTopicMapper(customerTopicRules['customers/enable']);
