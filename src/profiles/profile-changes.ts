/**
 * What one server payload changes in the profile store: the traits of the customer record it carries and the order
 * it places (total, time), or the refund it gives. Pure; the pipeline adds the anonymousIds the mapped events
 * carried, and writes them with the settlement of the inbox row.
 */
import { customerRecordTraits } from '../mapping/customer-identify.ts';
import { customerIdOf, orderIdOf } from '../mapping/order-identity.ts';
import { readRefundMoney } from '../mapping/refund-money.ts';
import { isoTimestamp } from '../mapping/values.ts';
import { parseCheckout } from '../shopify/checkout.ts';
import { parseCustomer } from '../shopify/customer.ts';
import { parseMoney } from '../shopify/money.ts';
import { parseOrder, type ShopifyCustomer, type ShopifyOrder } from '../shopify/order.ts';
import { parseRefund } from '../shopify/refund.ts';
import { exactShopifyId } from '../shopify/shopify-id.ts';
import type { CustomerKey, ProfileOrder, ProfileRecords } from '../store/store.ts';

export interface ProfileChanges {
  /** The customer the payload names. */
  customer?: CustomerKey;
  /** The order a refund names: its customer is found through the order (stored, or earlier in the batch). */
  refundOf?: { shop: string; orderId: string };
  records: ProfileRecords;
}

const noRecords: ProfileRecords = { traits: [], orders: [], refunds: [], anonymousIds: [] };

function customerRecord(key: CustomerKey, customer: ShopifyCustomer): ProfileRecords {
  const version = isoTimestamp(customer.updated_at) ?? null;
  return { ...noRecords, traits: [{ ...key, traits: customerRecordTraits(customer), version }] };
}

/** The order's part in its customer's lifetime value; none when its total or time cannot be read (the mapper says why). */
function orderRecord(key: CustomerKey, order: ShopifyOrder): ProfileOrder[] {
  const total = parseMoney(order.total_price ?? '0', order.currency);
  const placedAt = isoTimestamp(order.created_at);
  if (!total.ok || placedAt === undefined || order.currency == null) return [];
  return [{ ...key, orderId: orderIdOf(order), currency: order.currency, totalMinor: total.value.minor, placedAt }];
}

function orderChanges(shop: string, payload: unknown): ProfileChanges | undefined {
  const parsed = parseOrder(payload);
  if (!parsed.ok) return undefined;
  const { order } = parsed;
  const customerId = customerIdOf(order);
  if (order.customer == null || customerId === undefined) return undefined;
  const customer = { shop, customerId };
  const records = customerRecord(customer, order.customer);
  return { customer, records: { ...records, orders: orderRecord(customer, order) } };
}

function refundChanges(shop: string, payload: unknown): ProfileChanges | undefined {
  const parsed = parseRefund(payload);
  if (!parsed.ok) return undefined;
  const refund = parsed.value;
  const money = readRefundMoney(refund);
  // readRefundMoney gives numbers made from exact minor units; parseMoney takes them back exactly.
  const minor = money.ok ? parseMoney(money.value.total, money.value.currency) : undefined;
  if (!money.ok || !minor?.ok) return undefined;
  const refundId = exactShopifyId(refund.id, refund.admin_graphql_api_id, 'Refund') ?? refund.id;
  const orderId = refund.order_id;
  const refunds = [{ shop, refundId, orderId, currency: money.value.currency, amountMinor: minor.value.minor }];
  return { refundOf: { shop, orderId }, records: { ...noRecords, refunds } };
}

function customerChanges(shop: string, payload: unknown): ProfileChanges | undefined {
  const parsed = parseCustomer(payload);
  if (!parsed.ok) return undefined;
  const customerId = exactShopifyId(parsed.value.id, parsed.value.admin_graphql_api_id, 'Customer') ?? parsed.value.id;
  const customer = { shop, customerId };
  return { customer, records: customerRecord(customer, parsed.value) };
}

function checkoutChanges(shop: string, payload: unknown): ProfileChanges | undefined {
  const parsed = parseCheckout(payload);
  const record = parsed.ok ? parsed.value.customer : undefined;
  if (record == null) return undefined;
  const customerId = exactShopifyId(record.id, record.admin_graphql_api_id, 'Customer');
  if (customerId === undefined) return undefined;
  const customer = { shop, customerId };
  return { customer, records: customerRecord(customer, record) };
}

/** What a server payload of this topic changes in the profile store; undefined when it names no customer or refund. */
export function profileChangesOf(shop: string, topic: string, payload: unknown): ProfileChanges | undefined {
  const resource = topic.split('/')[0];
  if (resource === 'orders') return orderChanges(shop, payload);
  if (topic === 'refunds/create') return refundChanges(shop, payload);
  if (resource === 'customers') return customerChanges(shop, payload);
  if (topic === 'checkouts/create' || topic === 'checkouts/update') return checkoutChanges(shop, payload);
  return undefined;
}
