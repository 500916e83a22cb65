import type {
  IdentityLink,
  InboxSettlement,
  JobKey,
  JobWrite,
  LinkKey,
  OutboxMessage,
  OutboxSettlement,
  OutboxStatus,
  ProfileAnonymousId,
  ProfileOrder,
  ProfileRecords,
  ProfileRefund,
  ProfileTraits,
  ResourceKey,
  ResourceState,
} from './store.ts';
import { traitsSupersede } from '../profiles/customer-profile.ts';

/** One outbox row to insert, flattened from a settlement's message. */
export interface OutboxInsert {
  message: OutboxMessage;
  status: OutboxStatus;
  lastError: string | null;
}

/** One inbox row's new state. */
export interface InboxUpdate {
  id: number;
  status: 'done' | 'failed';
  reason: string | null;
}

/** One outbox row's new state; null fields keep the row's current value. */
export interface OutboxUpdate {
  id: number;
  status: OutboxStatus;
  nextAttemptAt: number | null;
  error: string | null;
  deliveredAt: number | null;
}

/** Every message of every 'done' outcome; a message with `initial` is written already settled, with its reason. */
export function outboxInsertsOf(settlements: readonly InboxSettlement[]): OutboxInsert[] {
  return settlements.flatMap(({ outcome }) =>
    outcome.status === 'done'
      ? outcome.messages.map((message) => ({
          message,
          status: message.initial?.status ?? 'pending',
          lastError: message.initial?.reason ?? null,
        }))
      : [],
  );
}

/**
 * The links of every 'done' outcome, one per token (the first wins, as in the table), in key order so concurrent
 * settles take the key locks in one order.
 */
export function identityLinksOf(settlements: readonly InboxSettlement[]): IdentityLink[] {
  const byKey = new Map<string, IdentityLink>();
  for (const { outcome } of settlements) {
    if (outcome.status !== 'done') continue;
    for (const link of outcome.links ?? []) if (!byKey.has(linkKeyText(link))) byKey.set(linkKeyText(link), link);
  }
  return inKeyOrder(byKey);
}

/** Sorted by key text, so concurrent settles take the unique-index locks in one order. */
function inKeyOrder<T>(byKey: Map<string, T>): T[] {
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
}

/**
 * The newest state of each resource among the 'done' outcomes (a later row wins a tie), one per resource as one
 * statement may write a row only once, in key order.
 */
export function resourceStatesOf(settlements: readonly InboxSettlement[]): ResourceState[] {
  const byKey = new Map<string, ResourceState>();
  for (const { outcome } of settlements) {
    if (outcome.status !== 'done') continue;
    for (const state of outcome.states ?? []) {
      const kept = byKey.get(resourceKeyText(state));
      if (kept === undefined || kept.version <= state.version) byKey.set(resourceKeyText(state), state);
    }
  }
  return inKeyOrder(byKey);
}

/** A job write with the inbox row that asked for it. */
export interface JobInsert extends JobWrite {
  inboxId: number;
}

/** One write per job among the 'done' outcomes: a cancel wins, else the first schedule; in key order. */
export function jobWritesOf(settlements: readonly InboxSettlement[]): JobInsert[] {
  const byKey = new Map<string, JobInsert>();
  for (const { id, outcome } of settlements) {
    if (outcome.status !== 'done') continue;
    for (const job of outcome.jobs ?? []) {
      const kept = byKey.get(jobKeyText(job));
      if (kept === undefined || (job.cancel === true && kept.cancel !== true)) byKey.set(jobKeyText(job), { ...job, inboxId: id });
    }
  }
  return inKeyOrder(byKey);
}

export function resourceKeyText(key: ResourceKey): string {
  return JSON.stringify([key.shop, key.kind, key.id]);
}

function jobKeyText(key: JobKey): string {
  return JSON.stringify([key.shop, key.kind, key.key]);
}

/** One text per (shop, kind, token), injective. */
export function linkKeyText(key: LinkKey): string {
  return JSON.stringify([key.shop, key.kind, key.token]);
}

export function inboxUpdatesOf(settlements: readonly InboxSettlement[]): InboxUpdate[] {
  return settlements.map(({ id, outcome }) =>
    outcome.status === 'done'
      ? { id, status: 'done', reason: outcome.note ?? null }
      : { id, status: 'failed', reason: outcome.reason },
  );
}

/** A retry goes back to the queue at its next attempt; delivered and dead are final. */
export function outboxUpdateOf(settlement: OutboxSettlement, now: number): OutboxUpdate {
  switch (settlement.status) {
    case 'delivered':
      return { id: settlement.id, status: 'delivered', nextAttemptAt: null, error: null, deliveredAt: now };
    case 'retry':
      return {
        id: settlement.id,
        status: 'pending',
        nextAttemptAt: settlement.nextAttemptAt,
        error: settlement.error,
        deliveredAt: null,
      };
    case 'dead':
      return { id: settlement.id, status: 'dead', nextAttemptAt: null, error: settlement.reason, deliveredAt: null };
  }
}

function sortedValues<T>(byKey: Map<string, T>): T[] {
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
}

/** Adds `value` under `key` unless a value is there already (the first wins, as in the tables). */
function keepFirst<T>(byKey: Map<string, T>, key: unknown[], value: T): void {
  const text = JSON.stringify(key);
  if (!byKey.has(text)) byKey.set(text, value);
}

/**
 * The profile records of every 'done' outcome, one per key (traits: the superseding ones, see traitsSupersede;
 * orders, refunds and anonymousIds: the first, as in the tables), each list in key order so concurrent settles take
 * the row locks in one order.
 */
export function profileRecordsOf(settlements: readonly InboxSettlement[]): ProfileRecords {
  const traits = new Map<string, ProfileTraits>();
  const orders = new Map<string, ProfileOrder>();
  const refunds = new Map<string, ProfileRefund>();
  const anonymousIds = new Map<string, ProfileAnonymousId>();
  for (const { outcome } of settlements) {
    if (outcome.status !== 'done' || outcome.profile === undefined) continue;
    for (const t of outcome.profile.traits) {
      const key = JSON.stringify([t.shop, t.customerId]);
      if (traitsSupersede(traits.get(key), t)) traits.set(key, t);
    }
    for (const o of outcome.profile.orders) keepFirst(orders, [o.shop, o.orderId], o);
    for (const r of outcome.profile.refunds) keepFirst(refunds, [r.shop, r.refundId], r);
    for (const a of outcome.profile.anonymousIds) keepFirst(anonymousIds, [a.shop, a.customerId, a.anonymousId], a);
  }
  return { traits: sortedValues(traits), orders: sortedValues(orders), refunds: sortedValues(refunds), anonymousIds: sortedValues(anonymousIds) };
}
