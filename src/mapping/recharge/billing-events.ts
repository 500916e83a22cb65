import { parsePayload } from '../../shopify/parse-payload.ts';
import { rechargeBodies, type RechargeCharge, type RechargeOrder } from '../../recharge/payloads.ts';
import { specEvents } from '../event-names.ts';
import type { MapContext, Mapper, MapResult } from '../mapper.ts';
import { trackMessage } from '../track-message.ts';
import { compact } from '../values.ts';
import { billedIdentity, billedProperties } from './billed-properties.ts';
import { externalOr, rechargeTime } from './recharge-values.ts';

function chargeAttempts(charge: RechargeCharge): number | undefined {
  return charge.charge_attempts ?? charge.number_times_tried ?? undefined;
}

/** The fields a failed charge adds to the order-style properties. */
function chargeFailureProperties(charge: RechargeCharge): Record<string, unknown> {
  return compact({
    charge_id: charge.id,
    charge_type: charge.type?.toLowerCase(),
    error: charge.error,
    error_type: charge.error_type,
    charge_attempts: chargeAttempts(charge),
    retry_date: rechargeTime(charge.retry_date) ?? charge.retry_date,
    payment_method: charge.payment_processor ?? charge.processor_name,
  });
}

/**
 * Charge Failed is sent once per failed attempt (a charge is retried), Charge Max Tries Reached once per charge.
 * Without an attempt count, the charge's updated_at tells attempts apart.
 */
function chargeMessages(charge: RechargeCharge, context: MapContext, maxTries: boolean): MapResult {
  const timestamp = rechargeTime(charge.updated_at) ?? rechargeTime(charge.created_at);
  if (timestamp === undefined) return { kind: 'unmappable', reason: 'charge.updated_at: no readable time' };
  const identity = billedIdentity(charge, context.shop);
  if (identity === undefined) return { kind: 'unmappable', reason: 'charge.customer: missing, and no Shopify customer id' };
  const properties = billedProperties(charge, 'charge');
  if (!properties.ok) return { kind: 'unmappable', reason: properties.reason };
  const attempts = chargeAttempts(charge);
  const event = maxTries ? specEvents.chargeMaxTriesReached : specEvents.chargeFailed;
  const version = maxTries ? undefined : attempts === undefined ? `updated ${timestamp}` : `attempt ${attempts}`;
  const message = trackMessage({
    event, shop: context.shop, resource: charge.id, version, timestamp, ...identity,
    properties: { ...chargeFailureProperties(charge), ...properties.value },
  });
  return { kind: 'mapped', messages: [message] };
}

function chargeMapper(maxTries: boolean): Mapper {
  return (payload, context) => {
    const parsed = parsePayload(rechargeBodies.charge, payload);
    return parsed.ok ? chargeMessages(parsed.value.charge, context, maxTries) : { kind: 'unmappable', reason: parsed.reason };
  };
}

export const mapChargeFailed = chargeMapper(false);
export const mapChargeMaxTriesReached = chargeMapper(true);

/** order_id is the Shopify order ReCharge created, so Order Processed joins the Shopify side's order events. */
function orderMessages(order: RechargeOrder, context: MapContext): MapResult {
  const timestamp = rechargeTime(order.processed_at) ?? rechargeTime(order.updated_at);
  if (timestamp === undefined) return { kind: 'unmappable', reason: 'order.processed_at: no readable time' };
  const identity = billedIdentity(order, context.shop);
  if (identity === undefined) return { kind: 'unmappable', reason: 'order.customer: missing, and no Shopify customer id' };
  const properties = billedProperties(order, 'order');
  if (!properties.ok) return { kind: 'unmappable', reason: properties.reason };
  const own = compact({
    order_id: externalOr(order.external_order_id, order.shopify_order_id),
    order_number: externalOr(order.external_order_number, order.shopify_order_number),
    recharge_order_id: order.id,
    charge_id: order.charge?.id ?? order.charge_id,
    order_type: order.type?.toLowerCase(),
  });
  const message = trackMessage({
    event: specEvents.orderProcessed, shop: context.shop, resource: order.id, timestamp, ...identity, properties: { ...own, ...properties.value },
  });
  return { kind: 'mapped', messages: [message] };
}

/** order/processed: one Order Processed per ReCharge order. */
export const mapOrderProcessed: Mapper = (payload, context) => {
  const parsed = parsePayload(rechargeBodies.order, payload);
  return parsed.ok ? orderMessages(parsed.value.order, context) : { kind: 'unmappable', reason: parsed.reason };
};
