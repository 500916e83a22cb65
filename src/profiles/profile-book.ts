/**
 * The profiles of one claimed batch: the stored records found by one lookup, plus what earlier rows of the batch
 * changed, so each row is mapped with its customer's profile as it stands after the rows before it. Pure.
 */
import type { ProfileView } from '../mapping/mapper.ts';
import type { CustomerKey, ProfileOrder, ProfileQuery, ProfileRecords, ProfileRefund, ProfileTraits } from '../store/store.ts';
import { profileOf, traitsSupersede } from './customer-profile.ts';
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

/** An injective text key of ids (NUL never occurs in shop domains or Shopify ids). */
const keyOf = (shop: string, id: string): string => `${shop}\u0000${id}`;

/** One customer's records, one per key, merged the way the stores merge them. */
interface CustomerRecords {
  traits: ProfileTraits | undefined;
  orders: Map<string, ProfileOrder>;
  anonymousIds: Set<string>;
}

function addFirst<T>(byKey: Map<string, T>, key: string, value: T): void {
  if (!byKey.has(key)) byKey.set(key, value);
}

/**
 * The records by customer (and refunds by order, since a refund may come before its order), so each row's view
 * reads only its customer's records however large the batch.
 */
class RecordIndex {
  readonly #customers = new Map<string, CustomerRecords>();
  readonly #refunds = new Map<string, Map<string, ProfileRefund>>();
  readonly #orderCustomer = new Map<string, CustomerKey>();

  add(records: ProfileRecords): void {
    for (const t of records.traits) {
      const customer = this.#of(t);
      if (traitsSupersede(customer.traits, t)) customer.traits = t;
    }
    for (const o of records.orders) {
      addFirst(this.#orderCustomer, keyOf(o.shop, o.orderId), { shop: o.shop, customerId: o.customerId });
      addFirst(this.#of(o).orders, o.orderId, o);
    }
    for (const a of records.anonymousIds) this.#of(a).anonymousIds.add(a.anonymousId);
    for (const r of records.refunds) {
      const key = keyOf(r.shop, r.orderId);
      const refunds = this.#refunds.get(key) ?? new Map<string, ProfileRefund>();
      this.#refunds.set(key, refunds);
      addFirst(refunds, r.refundId, r);
    }
  }

  /** The customer's stored traits. */
  traitsOf(key: CustomerKey): ProfileTraits | undefined {
    return this.#customers.get(keyOf(key.shop, key.customerId))?.traits;
  }

  /** The customer a refund's order belongs to, when known. */
  customerOfOrder(shop: string, orderId: string): CustomerKey | undefined {
    return this.#orderCustomer.get(keyOf(shop, orderId));
  }

  /** The customer's records with the refunds of their orders, plus `extra` merged as the stores would. */
  recordsOf(key: CustomerKey, extra: ProfileRecords = none): ProfileRecords {
    const own = this.#customers.get(keyOf(key.shop, key.customerId));
    const orders = new Map(own?.orders);
    for (const o of extra.orders) if (o.shop === key.shop && o.customerId === key.customerId) addFirst(orders, o.orderId, o);
    let traits = own?.traits;
    for (const t of extra.traits) if (t.shop === key.shop && t.customerId === key.customerId && traitsSupersede(traits, t)) traits = t;
    const refunds = new Map<string, ProfileRefund>();
    for (const orderId of orders.keys()) for (const [id, r] of this.#refunds.get(keyOf(key.shop, orderId)) ?? []) refunds.set(id, r);
    for (const r of extra.refunds) if (r.shop === key.shop) addFirst(refunds, r.refundId, r);
    const anonymousIds = [...(own?.anonymousIds ?? [])].map((anonymousId) => ({ ...key, anonymousId }));
    return { traits: traits ? [traits] : [], orders: [...orders.values()], refunds: [...refunds.values()], anonymousIds };
  }

  #of(key: CustomerKey): CustomerRecords {
    const text = keyOf(key.shop, key.customerId);
    const found = this.#customers.get(text) ?? { traits: undefined, orders: new Map(), anonymousIds: new Set() };
    this.#customers.set(text, found);
    return found;
  }
}

const none: ProfileRecords = { traits: [], orders: [], refunds: [], anonymousIds: [] };

/** The customer a row is about: the one it names, else the one whose order its refund names (stored or in the row). */
function customerOf(index: RecordIndex, changes: ProfileChanges): CustomerKey | undefined {
  if (changes.customer) return changes.customer;
  const { refundOf } = changes;
  return refundOf && index.customerOfOrder(refundOf.shop, refundOf.orderId);
}

export function profileBook(stored: ProfileRecords): ProfileBook {
  const index = new RecordIndex();
  index.add(stored);
  return {
    view(changes) {
      if (changes === undefined) return undefined;
      const key = customerOf(index, changes);
      if (key === undefined) return undefined;
      return { before: { traits: index.traitsOf(key) }, after: profileOf(index.recordsOf(key, changes.records), key) };
    },
    apply(changes) {
      if (changes !== undefined) index.add(changes.records);
    },
  };
}
