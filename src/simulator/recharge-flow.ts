import { rechargeHeaders } from '../recharge/webhook-headers.ts';
import { signRechargeBody } from '../recharge/webhook-signature.ts';
import type { BasketLine, CustomerRecord } from './model.ts';
import { formatMoney, type CurrencyCode } from './money.ts';

/** One ReCharge delivery: its topic (as ReCharge names it) and the exact body. */
export interface RechargeDelivery {
  topic: string;
  body: Buffer;
}

/** What one subscription's life needs: who subscribes to what, when it starts, and ReCharge's ids for it. */
export interface RechargeFlowInput {
  customer: CustomerRecord;
  line: BasketLine;
  currency: CurrencyCode;
  startMs: number;
  /** ReCharge's ids (subscription, customer, charge, order) and the Shopify order ReCharge creates. */
  ids: { subscription: number; rechargeCustomer: number; charge: number; order: number; shopifyOrder: bigint };
}

const day = 86_400_000;
/** ReCharge 2021-11 writes most times as "2022-03-10T14:14:30+00:00". */
const rechargeTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

function subscriptionRecord(input: RechargeFlowInput, status: 'active' | 'cancelled', atMs: number): Record<string, unknown> {
  const { line, currency } = input;
  return {
    id: input.ids.subscription, customer_id: input.ids.rechargeCustomer, status, created_at: rechargeTime(input.startMs), updated_at: rechargeTime(atMs),
    cancelled_at: status === 'cancelled' ? rechargeTime(atMs) : null, cancellation_reason: status === 'cancelled' ? 'Too much product' : null,
    external_product_id: { ecommerce: String(line.product.id) }, external_variant_id: { ecommerce: String(line.variant.id) },
    product_title: line.product.title, variant_title: line.variant.title, sku: line.variant.sku, presentment_currency: currency,
    price: formatMoney(line.variant.prices[currency], currency), quantity: line.quantity, order_interval_frequency: 30,
    order_interval_unit: 'day', charge_interval_frequency: 30, next_charge_scheduled_at: new Date(atMs + 30 * day).toISOString().slice(0, 10),
    is_prepaid: false,
  };
}

/** The billed part charges and orders share: one subscription line, no shipping, tax included. */
function billedRecord(input: RechargeFlowInput, atMs: number): Record<string, unknown> {
  const { line, currency, customer } = input;
  const unit = line.variant.prices[currency];
  const total = formatMoney(unit * line.quantity, currency);
  return {
    currency, created_at: rechargeTime(atMs), updated_at: rechargeTime(atMs), type: 'recurring',
    customer: { id: input.ids.rechargeCustomer, email: customer.person.email, external_customer_id: { ecommerce: String(customer.id) } },
    line_items: [{
      purchase_item_id: input.ids.subscription, purchase_item_type: 'subscription', external_product_id: { ecommerce: String(line.product.id) },
      external_variant_id: { ecommerce: String(line.variant.id) }, title: line.product.title, variant_title: line.variant.title,
      sku: line.variant.sku, quantity: line.quantity, unit_price: formatMoney(unit, currency), total_price: total,
    }],
    discounts: [], shipping_lines: [], subtotal_price: total, total_discounts: formatMoney(0, currency), total_tax: formatMoney(0, currency), total_price: total,
  };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/**
 * One subscription's life as ReCharge (API 2021-11) reports it: created (with the customer, as
 * `included_objects: ["customer"]` gives), its first renewal charge failing, the retry processed into an order,
 * then cancelled. Pure: the same input gives the same bytes.
 */
export function rechargeSubscriptionFlow(input: RechargeFlowInput): RechargeDelivery[] {
  const { startMs, ids, customer } = input;
  const renewal = startMs + 30 * day;
  const includedCustomer = { id: ids.rechargeCustomer, email: customer.person.email, external_customer_id: { ecommerce: String(customer.id) } };
  return [
    { topic: 'subscription/created', body: json({ subscription: subscriptionRecord(input, 'active', startMs), customer: includedCustomer }) },
    { topic: 'charge/failed', body: json({ charge: { id: ids.charge, ...billedRecord(input, renewal), status: 'error', error_type: 'CUSTOMER_NEEDS_TO_UPDATE_CARD', error: 'Your card was declined.', charge_attempts: 1, retry_date: rechargeTime(renewal + 3 * day) } }) },
    { topic: 'order/processed', body: json({ order: { id: ids.order, ...billedRecord(input, renewal + 3 * day), status: 'success', processed_at: rechargeTime(renewal + 3 * day), charge: { id: ids.charge }, external_order_id: { ecommerce: String(ids.shopifyOrder) } } }) },
    { topic: 'subscription/cancelled', body: json({ subscription: subscriptionRecord(input, 'cancelled', renewal + 10 * day), customer: includedCustomer }) },
  ];
}

/** The headers ReCharge would send with a delivery, signed (legacy scheme) with the shop's API client secret. */
export function signedRechargeHeaders(delivery: RechargeDelivery, secret: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    [rechargeHeaders.topic]: delivery.topic,
    [rechargeHeaders.legacySignature]: signRechargeBody(delivery.body, secret),
  };
}
