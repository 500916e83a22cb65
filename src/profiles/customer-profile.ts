/**
 * What cartstream knows of one customer, derived from the profile store's records: the traits of their newest
 * Shopify record, lifetime value net of refunds, order count, first and last order, and the anonymousIds their
 * events carried. Pure: the pipeline looks the records up (see profile-book.ts).
 */
import type { CustomerKey, ProfileOrder, ProfileRecords, ProfileTraits } from '../store/store.ts';

/** An amount in integer minor units of a currency. */
export interface MinorAmount {
  currency: string;
  minor: number;
}

export interface CustomerProfile extends CustomerKey {
  /** The stored traits and their record's version; undefined when no customer record was seen yet. */
  traits: ProfileTraits | undefined;
  /**
   * Orders' totals minus refunds, in the currency of the latest order (the shop's currency, which Shopify reports
   * order totals in); undefined without orders.
   */
  lifetimeValue: MinorAmount | undefined;
  orderCount: number;
  firstOrderAt: string | undefined;
  lastOrderAt: string | undefined;
  anonymousIds: string[];
}

function ofCustomer<T extends CustomerKey>(items: readonly T[], key: CustomerKey): T[] {
  return items.filter((item) => item.shop === key.shop && item.customerId === key.customerId);
}

/** Totals minus refunds of the orders in the latest order's currency (a shop's currency rarely ever changes). */
function lifetimeValue(orders: readonly ProfileOrder[], records: ProfileRecords): MinorAmount | undefined {
  const latest = orders.at(-1);
  if (latest === undefined) return undefined;
  const { shop, currency } = latest;
  const counted = new Set<string>();
  let minor = 0;
  for (const o of orders) {
    if (o.currency !== currency) continue;
    counted.add(o.orderId);
    minor += o.totalMinor;
  }
  for (const r of records.refunds) if (r.shop === shop && r.currency === currency && counted.has(r.orderId)) minor -= r.amountMinor;
  return { currency, minor };
}

/** The customer's orders among the records, oldest first. */
export function ordersOf(records: ProfileRecords, key: CustomerKey): ProfileOrder[] {
  return ofCustomer(records.orders, key).sort((a, b) => (a.placedAt < b.placedAt ? -1 : a.placedAt > b.placedAt ? 1 : 0));
}

/** The profile of one customer among the records (which may hold other customers' too). */
export function profileOf(records: ProfileRecords, key: CustomerKey): CustomerProfile {
  const orders = ordersOf(records, key);
  return {
    shop: key.shop,
    customerId: key.customerId,
    traits: ofCustomer(records.traits, key)[0],
    lifetimeValue: lifetimeValue(orders, records),
    orderCount: orders.length,
    firstOrderAt: orders[0]?.placedAt,
    lastOrderAt: orders.at(-1)?.placedAt,
    anonymousIds: ofCustomer(records.anonymousIds, key).map((a) => a.anonymousId).sort(),
  };
}

/**
 * Whether `incoming` traits replace `stored` ones: a record without a version (updated_at) only fills an empty
 * profile, and an older version never replaces a newer one (webhooks arrive out of order). The stores apply the
 * same rule in SQL.
 */
export function traitsSupersede(stored: Pick<ProfileTraits, 'version'> | undefined, incoming: Pick<ProfileTraits, 'version'>): boolean {
  if (stored === undefined) return true;
  return incoming.version !== null && (stored.version === null || incoming.version >= stored.version);
}
