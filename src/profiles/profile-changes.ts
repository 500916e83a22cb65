/**
 * What one server payload changes in the profile store: the traits of the customer record it carries and the order
 * it places (total, time), or the refund it gives. Pure; the pipeline adds the anonymousIds the mapped events
 * carried, and writes them with the settlement of the inbox row.
 */
import { z } from 'zod';
import { customerRecordTraits } from '../mapping/customer-identify.ts';
import { readRefundMoney } from '../mapping/refund-money.ts';
import { isoTimestamp } from '../mapping/values.ts';
import { parseCustomer } from '../shopify/customer.ts';
import { parseMoney } from '../shopify/money.ts';
import { orderCustomerSchema, orderSchema, type ShopifyCustomer } from '../shopify/order.ts';
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

/**
 * The fields of a body the profile reads, checked alone and without carrying the rest along (`z.object` drops
 * unknown keys where the loose payload schemas copy them): validating the whole body a second time, besides the
 * mapper's, cost the pipeline about a third of its mapping time.
 */
const profileCustomerSchema = z.object(orderCustomerSchema.shape);
const { id, admin_graphql_api_id, created_at, currency, total_price } = orderSchema.shape;
const orderProfileSchema = z.object({ id, admin_graphql_api_id, created_at, currency, total_price, customer: profileCustomerSchema.nullish() });
type OrderProfileFields = z.infer<typeof orderProfileSchema>;

/** The order's part in its customer's lifetime value; none when its total or time cannot be read (the mapper says why). */
function orderRecord(key: CustomerKey, order: OrderProfileFields): ProfileOrder[] {
  const total = parseMoney(order.total_price, order.currency);
  const placedAt = isoTimestamp(order.created_at);
  if (!total.ok || placedAt === undefined) return [];
  const orderId = exactShopifyId(order.id, order.admin_graphql_api_id, 'Order') ?? order.id;
  return [{ ...key, orderId, currency: order.currency, totalMinor: total.value.minor, placedAt }];
}

function orderChanges(shop: string, payload: unknown): ProfileChanges | undefined {
  const parsed = orderProfileSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const order = parsed.data;
  const customerId = order.customer == null ? undefined : exactShopifyId(order.customer.id, order.customer.admin_graphql_api_id, 'Customer');
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

const checkoutProfileSchema = z.object({ customer: profileCustomerSchema.nullish() });

function checkoutChanges(shop: string, payload: unknown): ProfileChanges | undefined {
  const parsed = checkoutProfileSchema.safeParse(payload);
  const record = parsed.success ? parsed.data.customer : undefined;
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
