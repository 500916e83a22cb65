import { text, nullableText, type SqlRow } from './rows.ts';
import type { ProfileAnonymousId, ProfileOrder, ProfileRecords, ProfileRefund, ProfileTraits } from './store.ts';

/** The profile tables' rows as either engine returns them (pg's JSON aggregates give the same snake_case keys). */
export interface ProfileRowSets {
  traits: SqlRow[];
  orders: SqlRow[];
  refunds: SqlRow[];
  anonymousIds: SqlRow[];
}

function traitsFrom(row: SqlRow): ProfileTraits {
  return {
    shop: text(row.shop),
    customerId: text(row.customer_id),
    traits: JSON.parse(text(row.traits)) as Record<string, unknown>,
    version: nullableText(row.traits_version),
  };
}

function orderFrom(row: SqlRow): ProfileOrder {
  return {
    shop: text(row.shop),
    customerId: text(row.customer_id),
    orderId: text(row.order_id),
    currency: text(row.currency),
    totalMinor: Number(row.total_minor),
    placedAt: text(row.placed_at),
  };
}

function refundFrom(row: SqlRow): ProfileRefund {
  return {
    shop: text(row.shop),
    refundId: text(row.refund_id),
    orderId: text(row.order_id),
    currency: text(row.currency),
    amountMinor: Number(row.amount_minor),
  };
}

function anonymousIdFrom(row: SqlRow): ProfileAnonymousId {
  return { shop: text(row.shop), customerId: text(row.customer_id), anonymousId: text(row.anonymous_id) };
}

export function profileRecordsFrom(rows: ProfileRowSets): ProfileRecords {
  return {
    traits: rows.traits.map(traitsFrom),
    orders: rows.orders.map(orderFrom),
    refunds: rows.refunds.map(refundFrom),
    anonymousIds: rows.anonymousIds.map(anonymousIdFrom),
  };
}

/** Distinct (shop, id) pairs as one JSON array, so SQLite statements stay prepared whatever the list length. */
export function pairsJson(pairs: readonly (readonly unknown[])[]): string {
  const distinct = new Map(pairs.map((pair) => [JSON.stringify(pair.map(String)), pair.map(String)]));
  return JSON.stringify([...distinct.values()]);
}

/** The rows with distinct keys, the first of each kept. */
export function uniqueRows(rows: readonly SqlRow[], key: (row: SqlRow) => unknown[]): SqlRow[] {
  const byKey = new Map<string, SqlRow>();
  for (const row of rows) {
    const text = JSON.stringify(key(row).map(String));
    if (!byKey.has(text)) byKey.set(text, row);
  }
  return [...byKey.values()];
}
