import { ordersOf, profileOf } from '../profiles/customer-profile.ts';
import type { CustomerKey, ProfileRecords } from '../store/store.ts';
import { formatMinor } from './money-text.ts';

/** One order of a profile as operators read it: amounts as exact decimal text with their currency. */
export interface ProfileOrderSummary {
  orderId: string;
  placedAt: string;
  total: string;
  refunded: string;
}

export interface ProfileSummary {
  shop: string;
  traits: Record<string, unknown> | null;
  traitsVersion: string | null;
  lifetimeValue: string | null;
  orderCount: number;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  anonymousIds: string[];
  orders: ProfileOrderSummary[];
}

function money(minor: number, currency: string): string {
  return `${formatMinor(minor, currency)} ${currency}`;
}

/** A customer's profile in one shop (see profiles/customer-profile.ts), for the admin API and the console. */
export function profileSummary(records: ProfileRecords, key: CustomerKey): ProfileSummary {
  const profile = profileOf(records, key);
  const orders = ordersOf(records, key).map((o) => {
    const refunds = records.refunds.filter((r) => r.shop === o.shop && r.orderId === o.orderId && r.currency === o.currency);
    const refunded = refunds.reduce((sum, r) => sum + r.amountMinor, 0);
    return { orderId: o.orderId, placedAt: o.placedAt, total: money(o.totalMinor, o.currency), refunded: money(refunded, o.currency) };
  });
  const value = profile.lifetimeValue;
  return {
    shop: key.shop,
    traits: profile.traits?.traits ?? null,
    traitsVersion: profile.traits?.version ?? null,
    lifetimeValue: value === undefined ? null : money(value.minor, value.currency),
    orderCount: profile.orderCount,
    firstOrderAt: profile.firstOrderAt ?? null,
    lastOrderAt: profile.lastOrderAt ?? null,
    anonymousIds: profile.anonymousIds,
    orders,
  };
}
