import pg from 'pg';
import type { Pool, QueryResultRow } from 'pg';
import {
  countsFrom,
  deadLetterFrom,
  identityLinkFrom,
  inboxRowFrom,
  inboxSummaryFrom,
  inClaimOrder,
  messageSummaryFrom,
  outboxRowFrom,
  storedMessageFrom,
} from '../rows.ts';
import {
  deliveryMinuteFrom,
  factColumns,
  journeyMessageFrom,
  minuteOf,
  orderMessageFrom,
  queueHealthFrom,
  receivedDeliveryFrom,
} from '../report-rows.ts';
import {
  noneReplayed,
  outboxStatusFrom,
  replayCountFromGroups,
  replayCountFromRequeued,
  selectsNothing,
} from '../replay-rows.ts';
import { profileRecordsFrom, type ProfileRowSets } from '../profile-rows.ts';
import {
  identityLinksOf,
  inboxUpdatesOf,
  jobWritesOf,
  outboxInsertsOf,
  outboxUpdateOf,
  profileRecordsOf,
  resourceStatesOf,
  type InboxUpdate,
  type OutboxInsert,
} from '../settlement-rows.ts';
import { inDueOrder, resourceStateFrom, scheduledJobFrom } from '../state-rows.ts';
import type {
  ClaimOptions,
  DeadLetter,
  DeliveryMinute,
  JourneyMessage,
  OrderMessage,
  QueueHealth,
  ReceivedDelivery,
  ReceivedPage,
  ReportTopic,
  IdentityLink,
  InboxDelivery,
  InboxRow,
  InboxSettlement,
  InboxSummary,
  InsertResult,
  JobSettlement,
  LinkKey,
  ResourceKey,
  ResourceState,
  ScheduledJob,
  MessageFilter,
  MessageSummary,
  OutboxMessage,
  OutboxRow,
  OutboxSettlement,
  OutboxStatus,
  ProfileQuery,
  ProfileRecords,
  Redaction,
  ReplayCount,
  ReplaySelection,
  RedactionCounts,
  Store,
  StoreCounts,
  StoredMessage,
} from '../store.ts';
import { redactedPayload } from '../store.ts';
import { inTransaction } from './pg-transaction.ts';
import { insertInboxRows } from './insert-inbox.ts';
import { migratePostgres } from './migrations.ts';
import { replayStatement, sql, type StatementName } from './postgres-statements.ts';

export interface PostgresStoreOptions {
  /** Keep the tables in this schema (created by migrate() when absent), e.g. an isolated schema per test file. */
  schema?: string;
  poolSize?: number;
}

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens a pooled PostgreSQL store; several processes may share one database and split the work by claiming. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const schema = options.schema ?? null;
  if (schema !== null && !schemaName.test(schema)) {
    throw new Error(`schema must be a lower-case SQL identifier, got ${JSON.stringify(schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Set at connection start-up, so every pooled connection resolves table names in the schema.
    ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle connection dropped by the server is discarded by the pool; the next query reports the outage.
  pool.on('error', () => undefined);
  return new PostgresStore(pool, schema);
}

class PostgresStore implements Store {
  readonly engine = 'postgres';
  readonly #pool: Pool;
  readonly #schema: string | null;

  constructor(pool: Pool, schema: string | null) {
    this.#pool = pool;
    this.#schema = schema;
  }

  /** Runs a fixed statement as a named prepared statement. */
  async #run<R extends QueryResultRow>(name: StatementName, values: unknown[]): Promise<pg.QueryResult<R>> {
    return this.#pool.query<R>({ name, text: sql[name], values });
  }

  async migrate(): Promise<void> {
    await migratePostgres(this.#pool, this.#schema);
  }

  async insertInbox(rows: InboxDelivery[]): Promise<InsertResult[]> {
    return insertInboxRows(this.#pool, rows);
  }

  async claimInbox({ worker, limit, leaseMs, now }: ClaimOptions): Promise<InboxRow[]> {
    const { rows } = await this.#run('claimInbox', [worker, now + leaseMs, now, limit]);
    return inClaimOrder(rows).map(inboxRowFrom);
  }

  async settleInbox(settlements: InboxSettlement[], now: number): Promise<void> {
    if (settlements.length === 0) return;
    // Concurrent settles that share messageIds (one order's create and paid on two processes) take the unique-index
    // locks in one global order, so they wait on each other instead of deadlocking.
    const inserts = outboxInsertsOf(settlements).sort((a, b) => compareKeys(a.message, b.message));
    const links = identityLinksOf(settlements);
    const states = resourceStatesOf(settlements);
    const jobs = jobWritesOf(settlements);
    await this.#run('settleInbox', [
      ...settleParameters(inserts, inboxUpdatesOf(settlements), now),
      links.map((l) => l.shop),
      links.map((l) => l.kind),
      links.map((l) => l.token),
      links.map((l) => l.anonymousId),
      links.map((l) => l.linkedAt),
      ...factParameters(inserts),
      states.map((s) => s.shop),
      states.map((s) => s.kind),
      states.map((s) => s.id),
      states.map((s) => s.version),
      states.map((s) => JSON.stringify(s.state)),
      jobs.map((j) => j.shop),
      jobs.map((j) => j.kind),
      jobs.map((j) => j.key),
      jobs.map((j) => (j.cancel === true ? 'cancelled' : 'pending')),
      jobs.map((j) => j.dueAt),
      jobs.map((j) => j.inboxId),
      jobs.map((j) => j.receivedAt),
      jobs.map((j) => JSON.stringify(j.payload)),
      ...profileWriteValues(profileRecordsOf(settlements)),
    ]);
  }

  async findResourceStates(keys: readonly ResourceKey[]): Promise<ResourceState[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.#run('findResourceStates', [keys.map((k) => k.shop), keys.map((k) => k.kind), keys.map((k) => k.id)]);
    return rows.map(resourceStateFrom);
  }

  async claimJobs({ worker, limit, leaseMs, now }: ClaimOptions): Promise<ScheduledJob[]> {
    const { rows } = await this.#run('claimJobs', [worker, now + leaseMs, now, limit]);
    return inDueOrder(rows.map(scheduledJobFrom));
  }

  async settleJobs(settlements: JobSettlement[], now: number): Promise<void> {
    if (settlements.length === 0) return;
    const inserts = outboxInsertsOf(settlements).sort((a, b) => compareKeys(a.message, b.message));
    await this.#run('settleJobs', [...settleParameters(inserts, inboxUpdatesOf(settlements), now), ...factParameters(inserts)]);
  }

  async scanInbox(shop: string, afterId: number, limit: number): Promise<InboxRow[]> {
    return (await this.#run('scanInbox', [shop, afterId, limit])).rows.map(inboxRowFrom);
  }

  async scanOutbox(shop: string, afterId: number, limit: number): Promise<StoredMessage[]> {
    return (await this.#run('scanOutbox', [shop, afterId, limit])).rows.map(storedMessageFrom);
  }

  /**
   * One statement. The old row versions stay in PostgreSQL's pages until VACUUM reclaims them (and their bytes until
   * the space is reused); the operator's database maintenance, not cartstream, owns that (see README, Privacy).
   */
  async redact(redaction: Redaction, now: number): Promise<RedactionCounts> {
    const q = redaction.enqueue;
    const { rows } = await this.#run('redact', [
      redactedPayload, redaction.reason, redaction.outboxIds, redaction.shop, redaction.anonymousIds, redaction.inboxIds,
      q.map((m) => m.destination), q.map((m) => m.messageId), q.map((m) => m.shop), q.map((m) => m.inboxId),
      q.map((m) => m.eventName), now, q.map((m) => m.payload), q.map((m) => m.receivedAt), redaction.customerIds,
    ]);
    const counts = rows[0] ?? {};
    const count = (name: string) => Number(counts[name] ?? 0);
    return { inbox: count('inbox'), outbox: count('outbox'), links: count('links'), profiles: count('profiles') };
  }

  /** Messages and links first (the outbox refers to the inbox), then the inbox, in one transaction. */
  async forgetShop(shop: string): Promise<number> {
    return inTransaction(this.#pool, async (client) => {
      const first = await client.query<{ deleted: string }>({ name: 'forgetShop', text: sql.forgetShop, values: [shop] });
      const inbox = await client.query({ name: 'forgetShopInbox', text: sql.forgetShopInbox, values: [shop] });
      return Number(first.rows[0]?.deleted ?? 0) + (inbox.rowCount ?? 0);
    });
  }

  async findIdentityLinks(keys: readonly LinkKey[]): Promise<IdentityLink[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.#run('findIdentityLinks', [
      keys.map((k) => k.shop), keys.map((k) => k.kind), keys.map((k) => k.token),
    ]);
    return rows.map(identityLinkFrom);
  }

  async findProfiles(query: ProfileQuery): Promise<ProfileRecords> {
    if (query.orders.length === 0 && query.customers.length === 0) return profileRecordsFrom({ traits: [], orders: [], refunds: [], anonymousIds: [] });
    const { rows } = await this.#run('findProfiles', [
      query.orders.map((o) => o.shop), query.orders.map((o) => o.orderId),
      query.customers.map((c) => c.shop), query.customers.map((c) => c.customerId),
    ]);
    return profileRecordsFromAggregates(rows[0]);
  }

  async customerProfile(customerId: string): Promise<ProfileRecords> {
    return profileRecordsFromAggregates((await this.#run('customerProfile', [customerId])).rows[0]);
  }

  async claimOutbox(destination: string, { worker, limit, leaseMs, now }: ClaimOptions): Promise<OutboxRow[]> {
    const { rows } = await this.#run('claimOutbox', [worker, now + leaseMs, destination, now, limit]);
    return inClaimOrder(rows).map(outboxRowFrom);
  }

  async expediteRetries(destination: string, now: number): Promise<number> {
    const { rowCount } = await this.#run('expediteRetries', [now, destination]);
    return rowCount ?? 0;
  }

  async settleOutbox(settlements: OutboxSettlement[], now: number): Promise<void> {
    if (settlements.length === 0) return;
    const updates = settlements.map((settlement) => outboxUpdateOf(settlement, now));
    await this.#run('settleOutbox', [
      updates.map((u) => u.id),
      updates.map((u) => u.status),
      updates.map((u) => u.nextAttemptAt),
      updates.map((u) => u.error),
      updates.map((u) => u.deliveredAt),
      minuteOf(now),
      now,
    ]);
  }

  async counts(): Promise<StoreCounts> {
    return countsFrom((await this.#run('counts', [])).rows);
  }

  async listFailedInbox(limit: number): Promise<InboxSummary[]> {
    return (await this.#run('listFailedInbox', [limit])).rows.map(inboxSummaryFrom);
  }

  async listDeadLetters(destination: string | null, limit: number): Promise<DeadLetter[]> {
    const result =
      destination === null
        ? await this.#run('listDeadLetters', [limit])
        : await this.#run('listDeadLettersOf', [destination, limit]);
    return result.rows.map(deadLetterFrom);
  }

  async searchMessages(filter: MessageFilter): Promise<MessageSummary[]> {
    const { shop, eventName, destination, since, until, limit, userId, orderId } = filter;
    const values = [shop, eventName, destination, since, until].map((value) => value ?? null);
    return (await this.#run('searchMessages', [...values, limit, userId ?? null, orderId ?? null])).rows.map(messageSummaryFrom);
  }

  async requeueDeadLetters(destination: string, ids: number[] | null, now: number): Promise<number> {
    const selection: ReplaySelection = { destination, include: 'dead', ...(ids === null ? {} : { ids }) };
    return (await this.replayMessages(selection, { dryRun: false, now })).count;
  }

  async replayMessages(selection: ReplaySelection, { dryRun, now }: { dryRun: boolean; now: number }): Promise<ReplayCount> {
    if (selectsNothing(selection)) return noneReplayed();
    const { rows } = await this.#pool.query(replayStatement(selection, dryRun, redactedPayload, now));
    return dryRun ? replayCountFromGroups(rows) : replayCountFromRequeued(rows);
  }

  async outboxStatuses(ids: readonly number[]): Promise<{ id: number; status: OutboxStatus }[]> {
    if (ids.length === 0) return [];
    return (await this.#run('outboxStatuses', [ids])).rows.map(outboxStatusFrom);
  }

  /** Done or failed rows go back to pending with a fresh attempt count; rows still pending are left as they are. */
  async deferInbox(ids: readonly number[], worker: string, until: number): Promise<number> {
    if (ids.length === 0) return 0;
    return (await this.#run('deferInbox', [until, worker, [...ids]])).rowCount ?? 0;
  }

  async requeueInbox(ids: number[], _now: number): Promise<number> {
    if (ids.length === 0) return 0;
    return (await this.#run('requeueInbox', [ids])).rowCount ?? 0;
  }

  async releaseLeases(isAlive: (owner: string) => boolean): Promise<number> {
    const { rows } = await this.#run<{ lease_owner: string }>('leaseOwners', []);
    const gone = rows.map((row) => row.lease_owner).filter((owner) => !isAlive(owner));
    if (gone.length === 0) return 0;
    const inbox = await this.#run('releaseInboxLeases', [gone]);
    const outbox = await this.#run('releaseOutboxLeases', [gone]);
    const jobs = await this.#run('releaseJobLeases', [gone]);
    return (inbox.rowCount ?? 0) + (outbox.rowCount ?? 0) + (jobs.rowCount ?? 0);
  }

  async receivedDeliveries(topic: ReportTopic, page: ReceivedPage): Promise<ReceivedDelivery[]> {
    const { rows } = await this.#run('receivedDeliveries', [topic, ...pageValues(page)]);
    return rows.map(receivedDeliveryFrom);
  }

  async orderMessages(eventName: string, page: ReceivedPage): Promise<OrderMessage[]> {
    return (await this.#run('orderMessages', [eventName, ...pageValues(page)])).rows.map(orderMessageFrom);
  }

  async customerJourney(userId: string, limit: number): Promise<JourneyMessage[]> {
    return (await this.#run('customerJourney', [userId, limit])).rows.map(journeyMessageFrom).reverse();
  }

  async queueHealth(): Promise<QueueHealth> {
    return queueHealthFrom((await this.#run('queueHealth', [])).rows);
  }

  async deliveryMinutes(since: number, until: number): Promise<DeliveryMinute[]> {
    return (await this.#run('deliveryMinutes', [since, until])).rows.map(deliveryMinuteFrom);
  }

  async ping(): Promise<boolean> {
    try {
      const { rows } = await this.#pool.query<{ ok: number }>('SELECT 1 AS ok');
      return rows[0]?.ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }
}

function compareKeys(a: OutboxMessage, b: OutboxMessage): number {
  if (a.destination !== b.destination) return a.destination < b.destination ? -1 : 1;
  return a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0;
}

function pageValues(page: ReceivedPage): number[] {
  return [page.until, page.after.receivedAt, page.after.id, page.limit];
}

/** The profile lookups' one row of JSON arrays, one per table. */
function profileRecordsFromAggregates(row: QueryResultRow | undefined): ProfileRecords {
  const sets: ProfileRowSets = { traits: row?.traits ?? [], orders: row?.orders ?? [], refunds: row?.refunds ?? [], anonymousIds: row?.anonymous_ids ?? [] };
  return profileRecordsFrom(sets);
}

/** A settlement's profile records as the four JSON arrays profileWrites reads (snake_case, as jsonb_to_recordset wants). */
function profileWriteValues(records: ProfileRecords): string[] {
  return [
    JSON.stringify(records.traits.map((t) => ({ shop: t.shop, customer_id: t.customerId, traits: JSON.stringify(t.traits), traits_version: t.version }))),
    JSON.stringify(records.orders.map((o) => ({
      shop: o.shop, order_id: o.orderId, customer_id: o.customerId, currency: o.currency, total_minor: o.totalMinor, placed_at: o.placedAt,
    }))),
    JSON.stringify(records.refunds.map((r) => ({ shop: r.shop, refund_id: r.refundId, order_id: r.orderId, currency: r.currency, amount_minor: r.amountMinor }))),
    JSON.stringify(records.anonymousIds.map((a) => ({ shop: a.shop, customer_id: a.customerId, anonymous_id: a.anonymousId }))),
  ];
}

/** $1–$13 of the settle statements: the outbox rows to insert, the rows settled and the time. */
function settleParameters(inserts: OutboxInsert[], updates: InboxUpdate[], now: number): unknown[] {
  return [
    inserts.map((i) => i.message.destination),
    inserts.map((i) => i.message.messageId),
    inserts.map((i) => i.message.shop),
    inserts.map((i) => i.message.inboxId),
    inserts.map((i) => i.message.eventName),
    inserts.map((i) => i.message.payload),
    inserts.map((i) => i.message.receivedAt),
    inserts.map((i) => i.status),
    inserts.map((i) => i.lastError),
    updates.map((u) => u.id),
    updates.map((u) => u.status),
    updates.map((u) => u.reason),
    now,
  ];
}

/** The outbox rows' fact columns, one array per column. */
function factParameters(inserts: OutboxInsert[]): unknown[][] {
  const facts = inserts.map((i) => factColumns(i.message));
  return [0, 1, 2, 3, 4].map((column) => facts.map((row) => row[column]));
}
