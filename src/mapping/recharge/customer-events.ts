import { messageIdFor } from '../../pipeline/message-id.ts';
import type { SegmentMessage } from '../../pipeline/segment-message.ts';
import { parsePayload } from '../../shopify/parse-payload.ts';
import { rechargeBodies, type RechargeCustomer } from '../../recharge/payloads.ts';
import { specEvents, type SpecEvent } from '../event-names.ts';
import type { MapContext, Mapper, MapResult } from '../mapper.ts';
import { integrationContext } from '../message-context.ts';
import { trackMessage } from '../track-message.ts';
import { compact } from '../values.ts';
import { rechargeIdentity, rechargeTime, shopifyCustomerIdOf, type RechargeIdentity } from './recharge-values.ts';

/** Identify traits from a ReCharge customer record (the names Segment's spec and the paid connectors use). */
function rechargeTraits(customer: RechargeCustomer): Record<string, unknown> {
  return compact({
    email: customer.email,
    firstName: customer.first_name,
    lastName: customer.last_name,
    phone: customer.phone ?? customer.billing_phone,
    createdAt: rechargeTime(customer.created_at),
    recharge_customer_id: customer.id,
  });
}

/**
 * An Identify per version of the ReCharge customer record: customer/updated and customer/payment_method_updated
 * about the same version give the same messageId, so it is sent once.
 */
function rechargeIdentify(customer: RechargeCustomer, identity: RechargeIdentity, version: string, shop: string): SegmentMessage {
  return {
    type: 'identify',
    messageId: messageIdFor({ shop, kind: 'recharge-identify', resource: customer.id, version }),
    timestamp: version,
    ...identity,
    traits: rechargeTraits(customer),
    context: integrationContext(),
  };
}

function paymentProperties(customer: RechargeCustomer): Record<string, unknown> {
  return compact({
    has_valid_payment_method: customer.has_valid_payment_method,
    has_payment_method_in_dunning: customer.has_payment_method_in_dunning ?? customer.has_card_error_in_dunning,
    payment_processor: customer.processor_type,
  });
}

function customerProperties(customer: RechargeCustomer, event: SpecEvent): Record<string, unknown> {
  return compact({
    recharge_customer_id: customer.id,
    email: customer.email,
    subscriptions_active_count: customer.subscriptions_active_count ?? customer.number_active_subscriptions,
    ...(event === specEvents.paymentMethodUpdated ? paymentProperties(customer) : {}),
  });
}

function customerMessages(customer: RechargeCustomer, event: SpecEvent, context: MapContext): MapResult {
  const timestamp = rechargeTime(customer.updated_at);
  if (timestamp === undefined) return { kind: 'unmappable', reason: 'customer.updated_at: no readable time' };
  // Never undefined here: the schema requires customer.id.
  const identity = rechargeIdentity(context.shop, shopifyCustomerIdOf(customer), customer.id) as RechargeIdentity;
  const properties = customerProperties(customer, event);
  const track = trackMessage({ event, shop: context.shop, resource: customer.id, version: timestamp, timestamp, ...identity, properties });
  return { kind: 'mapped', messages: [rechargeIdentify(customer, identity, timestamp, context.shop), track] };
}

function customerMapper(event: SpecEvent): Mapper {
  return (payload, context) => {
    const parsed = parsePayload(rechargeBodies.customer, payload);
    return parsed.ok ? customerMessages(parsed.value.customer, event, context) : { kind: 'unmappable', reason: parsed.reason };
  };
}

/** customer/updated: an Identify and a Customer Updated per version of the ReCharge customer. */
export const mapRechargeCustomerUpdated = customerMapper(specEvents.rechargeCustomerUpdated);
/** customer/payment_method_updated (its body is the customer): an Identify and a Payment Method Updated. */
export const mapPaymentMethodUpdated = customerMapper(specEvents.paymentMethodUpdated);
