/**
 * The profiles of one claimed batch: the stored records found by one lookup, plus what earlier rows of the batch
 * changed, so each row is mapped with its customer's profile as it stands after the rows before it. Pure.
 */
import type { ProfileView } from '../mapping/mapper.ts';
import { profileRecordSet, type ProfileRecordSet } from '../store/settlement-rows.ts';
import type { CustomerKey, ProfileQuery, ProfileRecords } from '../store/store.ts';
import { profileOf } from './customer-profile.ts';
import type { ProfileChanges } from './profile-changes.ts';

export interface ProfileBook {
  /** The profile a row with these changes is mapped with: as it stands, and with the changes applied. */
  view(changes: ProfileChanges | undefined): ProfileView | undefined;
  /** Counts a settled row's changes for the rows after it. */
  apply(changes: ProfileChanges | undefined): void;
}

/** What to look up for a batch with these changes: its customers, and the orders its refunds (and orders) name. */
export function profileQueryOf(changes: readonly (ProfileChanges | undefined)[]): ProfileQuery {
  const customers = new Map<string, CustomerKey>();
  const orders = new Map<string, { shop: string; orderId: string }>();
  for (const change of changes) {
    if (change?.customer) customers.set(JSON.stringify([change.customer.shop, change.customer.customerId]), change.customer);
    const named = [...(change?.records.orders ?? []), ...(change?.refundOf ? [change.refundOf] : [])];
    for (const { shop, orderId } of named) orders.set(JSON.stringify([shop, orderId]), { shop, orderId });
  }
  return { customers: [...customers.values()], orders: [...orders.values()] };
}

function withChanges(set: ProfileRecordSet, changes: ProfileChanges): ProfileRecords {
  const copy = profileRecordSet();
  copy.add(set.records());
  copy.add(changes.records);
  return copy.records();
}

/** The customer a row is about: the one it names, else the one whose order its refund names. */
function customerOf(records: ProfileRecords, changes: ProfileChanges): CustomerKey | undefined {
  if (changes.customer) return changes.customer;
  const { refundOf } = changes;
  const order = refundOf && records.orders.find((o) => o.shop === refundOf.shop && o.orderId === refundOf.orderId);
  return order ? { shop: order.shop, customerId: order.customerId } : undefined;
}

export function profileBook(stored: ProfileRecords): ProfileBook {
  const set = profileRecordSet();
  set.add(stored);
  return {
    view(changes) {
      if (changes === undefined) return undefined;
      const before = set.records();
      const key = customerOf(before, changes);
      if (key === undefined) return undefined;
      return { before: profileOf(before, key), after: profileOf(withChanges(set, changes), key) };
    },
    apply(changes) {
      if (changes !== undefined) set.add(changes.records);
    },
  };
}
