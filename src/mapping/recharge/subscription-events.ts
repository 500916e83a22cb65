import { parsePayload } from '../../shopify/parse-payload.ts';
import { rechargeBodies, type RechargeSubscription } from '../../recharge/payloads.ts';
import { specEvents, type SpecEvent } from '../event-names.ts';
import type { MapContext, Mapper, MapResult } from '../mapper.ts';
import { trackMessage } from '../track-message.ts';
import { compact } from '../values.ts';
import { subscriptionProduct } from './recharge-products.ts';
import { countOf, rechargeIdentity, rechargeTime, shopifyCustomerIdOf } from './recharge-values.ts';

/** What one subscription/* topic sends, and which time of the record it is about. */
interface SubscriptionRule {
  event: SpecEvent;
  at: 'created_at' | 'updated_at' | 'cancelled_at';
  /** Created once per subscription; updated and cancelled (it can be reactivated) once per time. */
  perVersion: boolean;
}

export const subscriptionRules = {
  created: { event: specEvents.subscriptionCreated, at: 'created_at', perVersion: false },
  updated: { event: specEvents.subscriptionUpdated, at: 'updated_at', perVersion: true },
  cancelled: { event: specEvents.subscriptionCancelled, at: 'cancelled_at', perVersion: true },
} as const satisfies Record<string, SubscriptionRule>;

function subscriptionProperties(subscription: RechargeSubscription, product: Record<string, unknown>, email: string | undefined) {
  return compact({
    ...product,
    subscription_id: subscription.id,
    recharge_customer_id: subscription.customer_id,
    status: subscription.status.toLowerCase(),
    currency: subscription.presentment_currency,
    order_interval_frequency: countOf(subscription.order_interval_frequency),
    order_interval_unit: subscription.order_interval_unit,
    charge_interval_frequency: countOf(subscription.charge_interval_frequency),
    next_charge_scheduled_at: subscription.next_charge_scheduled_at,
    is_prepaid: subscription.is_prepaid,
    cancellation_reason: subscription.cancellation_reason,
    cancelled_at: rechargeTime(subscription.cancelled_at),
    email,
  });
}

type SubscriptionBody = { subscription: RechargeSubscription; customer?: { email?: string | null | undefined } | null | undefined };

function subscriptionMessages(body: SubscriptionBody, rule: SubscriptionRule, context: MapContext, shopifyCustomerId: string | undefined): MapResult {
  const { subscription } = body;
  if (rule.at === 'cancelled_at' && subscription.cancelled_at == null && subscription.status.toLowerCase() !== 'cancelled') {
    return { kind: 'unmappable', reason: `subscription ${subscription.id} is ${subscription.status}, not cancelled` };
  }
  const timestamp = rechargeTime(subscription[rule.at]) ?? rechargeTime(subscription.updated_at);
  if (timestamp === undefined) return { kind: 'unmappable', reason: `subscription.${rule.at}: no readable time` };
  const identity = rechargeIdentity(context.shop, shopifyCustomerId, subscription.customer_id);
  if (identity === undefined) return { kind: 'unmappable', reason: 'subscription.customer_id: missing, and no Shopify customer id' };
  const product = subscriptionProduct(subscription);
  if (!product.ok) return { kind: 'unmappable', reason: product.reason };
  const email = body.customer?.email ?? subscription.email ?? undefined;
  const properties = subscriptionProperties(subscription, product.value, email);
  const version = rule.perVersion ? timestamp : undefined;
  const message = trackMessage({ event: rule.event, shop: context.shop, resource: subscription.id, version, timestamp, ...identity, properties });
  return { kind: 'mapped', messages: [message] };
}

/**
 * The mapper for one subscription/* topic. The userId is the Shopify customer id when the webhook includes the
 * customer (ReCharge's `included_objects: ["customer"]`), else the anonymousId derives from ReCharge's customer id.
 */
export function subscriptionTopicMapper(rule: SubscriptionRule): Mapper {
  return (payload, context) => {
    const parsed = parsePayload(rechargeBodies.subscription, payload);
    if (!parsed.ok) return { kind: 'unmappable', reason: parsed.reason };
    return subscriptionMessages(parsed.value, rule, context, shopifyCustomerIdOf(parsed.value.customer));
  };
}

export const mapSubscriptionCreated = subscriptionTopicMapper(subscriptionRules.created);
export const mapSubscriptionUpdated = subscriptionTopicMapper(subscriptionRules.updated);
export const mapSubscriptionCancelled = subscriptionTopicMapper(subscriptionRules.cancelled);
