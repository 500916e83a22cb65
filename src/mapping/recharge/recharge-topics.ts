import type { TopicEntry } from '../topic-mappers.ts';
import { mapChargeFailed, mapChargeMaxTriesReached, mapOrderProcessed } from './billing-events.ts';
import { mapPaymentMethodUpdated, mapRechargeCustomerUpdated } from './customer-events.ts';
import { mapSubscriptionCancelled, mapSubscriptionCreated, mapSubscriptionUpdated } from './subscription-events.ts';

/**
 * ReCharge topic → mapper → events. The intake stores ReCharge topics under `recharge/` (recharge/order/processed),
 * so they can never be mistaken for Shopify's (orders/…, customers/…).
 */
export const rechargeTopicMappers: readonly (readonly [string, TopicEntry])[] = [
  ['recharge/subscription/created', { mapper: mapSubscriptionCreated, events: ['subscriptionCreated'] }],
  ['recharge/subscription/updated', { mapper: mapSubscriptionUpdated, events: ['subscriptionUpdated'] }],
  ['recharge/subscription/cancelled', { mapper: mapSubscriptionCancelled, events: ['subscriptionCancelled'] }],
  ['recharge/order/processed', { mapper: mapOrderProcessed, events: ['orderProcessed'] }],
  ['recharge/charge/failed', { mapper: mapChargeFailed, events: ['chargeFailed'] }],
  ['recharge/charge/max_retries_reached', { mapper: mapChargeMaxTriesReached, events: ['chargeMaxTriesReached'] }],
  ['recharge/customer/payment_method_updated', { mapper: mapPaymentMethodUpdated, events: ['paymentMethodUpdated'] }],
  ['recharge/customer/updated', { mapper: mapRechargeCustomerUpdated, events: ['rechargeCustomerUpdated'] }],
];
