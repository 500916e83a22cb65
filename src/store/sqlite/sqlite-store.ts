import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
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
  type SqlRow,
} from '../rows.ts';
import {
  noneReplayed,
  outboxStatusFrom,
  replayCountFromGroups,
  replayCountFromRequeued,
  replayShapeKey,
  selectsNothing,
} from '../replay-rows.ts';
import {
  deliveryMinuteFrom,
  factColumns,
  journeyMessageFrom,
  minuteTallies,
  orderMessageFrom,
  queueHealthFrom,
  receivedDeliveryFrom,
  type SettledRow,
} from '../report-rows.ts';
import { identityLinksOf, inboxUpdatesOf, jobWritesOf, outboxInsertsOf, outboxUpdateOf, resourceStatesOf } from '../settlement-rows.ts';
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
  OutboxRow,
  OutboxSettlement,
  OutboxStatus,
  Redaction,
  ReplayCount,
  ReplaySelection,
  RedactionCounts,
  Store,
  StoreCounts,
  StoredMessage,
} from '../store.ts';
import { redactedPayload } from '../store.ts';
import { migrateSqlite } from './migrations.ts';
import { prepareStatements, replayStatement, type SqliteStatements } from './sqlite-statements.ts';
import { inImmediateTransaction } from './sqlite-transaction.ts';

/** How long a writer waits for another connection's write lock before failing with SQLITE_BUSY. */
const busyTimeoutMs = 5_000;

export interface SqliteStoreOptions {
  /**
   * WAL pages after which a commit on this connection also checkpoints (SQLite's default 1000; 0 = never).
   * The webhook-answering connection sets 0 so no request waits for a checkpoint; the processing thread's
   * connection checkpoints instead.
   */
  walAutoCheckpoint?: number;
  /**
   * How long a write waits for another connection's lock, blocking its thread (default 5 s). The connection that
   * answers webhooks sets 0 and retries asynchronously instead (see isStoreBusy), so its event loop never stalls.
   */
  busyTimeoutMs?: number;
  /**
   * 'full' (default): every commit is fsynced, so a webhook answered 200 survives a power cut. 'normal': commits
   * survive a crash of the process but not of the machine — enough for a connection that only processes stored
   * deliveries, since what it wrote is re-derived from the inbox with the same messageIds if lost.
   */
  synchronous?: 'full' | 'normal';
}

/** Opens (creating parent directories) a SQLite store; `':memory:'` gives a private in-memory database. */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: options.busyTimeoutMs ?? busyTimeoutMs });
  // FULL makes every COMMIT fsync the WAL: a webhook we answered 200 for survives a power cut. secure_delete on every
  // connection: content that is deleted or moved is overwritten with zeros, so a privacy redaction leaves no stale
  // copy anywhere in the file (with it only during the redaction, earlier page rebalancing had left copies behind).
  db.exec(`PRAGMA secure_delete = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'};`);
  if (options.walAutoCheckpoint !== undefined) db.exec(`PRAGMA wal_autocheckpoint = ${Math.max(0, Math.trunc(options.walAutoCheckpoint))};`);
  return new SqliteStore(db);
}

/**
 * The embedded store. node:sqlite is synchronous, so every method runs to completion before the next one starts
 * in this process; other processes are kept out by BEGIN IMMEDIATE and busy_timeout.
 */
class SqliteStore implements Store {
  readonly engine = 'sqlite';
  readonly #db: DatabaseSync;
  #prepared: SqliteStatements | undefined;
  /** Replay statements, one per combination of filters (see replayStatement). */
  readonly #replayStatements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Prepared on first use, because before migrate() the tables they name may not exist. */
  get #sql(): SqliteStatements {
    this.#prepared ??= prepareStatements(this.#db);
    return this.#prepared;
  }

  async migrate(): Promise<void> {
    migrateSqlite(this.#db);
  }

  async insertInbox(rows: InboxDelivery[]): Promise<InsertResult[]> {
    if (rows.length === 0) return [];
    const { insertInbox, insertPayload, countDuplicate } = this.#sql;
    return inImmediateTransaction(this.#db, () =>
      rows.map((row): InsertResult => {
        const { changes, lastInsertRowid } = insertInbox.run(
          row.shop, row.webhookId, row.source, row.topic, row.eventId, row.triggeredAt, row.apiVersion,
          row.receivedAt,
        );
        if (changes > 0) {
          insertPayload.run(lastInsertRowid, JSON.stringify(row.headers), row.body);
          return 'stored';
        }
        countDuplicate.run(row.shop, row.webhookId);
        return 'duplicate';
      }),
    );
  }

  async claimInbox({ worker, limit, leaseMs, now }: ClaimOptions): Promise<InboxRow[]> {
    return inImmediateTransaction(this.#db, () => {
      const rows = inClaimOrder(this.#sql.claimInbox.all(worker, now + leaseMs, now, limit));
      return rows.length === 0 ? [] : this.#withPayloads(rows).map(inboxRowFrom);
    });
  }

  /** Adds each row's headers and body, which live in inbox_payload. */
  #withPayloads(rows: SqlRow[]): SqlRow[] {
    const ids = JSON.stringify(rows.map((row) => row.id));
    const payloads = new Map<unknown, SqlRow>(this.#sql.payloadsOf.all(ids).map((p) => [p.inbox_id, p]));
    return rows.map((row) => ({ ...row, ...payloads.get(row.id) }));
  }

  async settleInbox(settlements: InboxSettlement[], now: number): Promise<void> {
    if (settlements.length === 0) return;
    const { insertOutbox, settleInbox, insertIdentityLink } = this.#sql;
    inImmediateTransaction(this.#db, () => {
      for (const { message: m, status, lastError } of outboxInsertsOf(settlements)) {
        insertOutbox.run(
          m.destination, m.messageId, status, now, m.shop, m.inboxId, m.eventName, m.receivedAt, now, lastError,
          m.payload, ...factColumns(m),
        );
      }
      for (const link of identityLinksOf(settlements)) {
        insertIdentityLink.run(link.shop, link.kind, link.token, link.anonymousId, link.linkedAt);
      }
      this.#writeStatesAndJobs(settlements);
      for (const { id, status, reason } of inboxUpdatesOf(settlements)) settleInbox.run(status, reason, now, id);
    });
  }

  #writeStatesAndJobs(settlements: InboxSettlement[]): void {
    const { upsertResourceState, writeJob } = this.#sql;
    for (const s of resourceStatesOf(settlements)) upsertResourceState.run(s.shop, s.kind, s.id, s.version, JSON.stringify(s.state));
    for (const j of jobWritesOf(settlements)) {
      const status = j.cancel === true ? 'cancelled' : 'pending';
      writeJob.run(j.shop, j.kind, j.key, status, j.dueAt, j.inboxId, j.receivedAt, JSON.stringify(j.payload));
    }
  }

  async findResourceStates(keys: readonly ResourceKey[]): Promise<ResourceState[]> {
    if (keys.length === 0) return [];
    const list = JSON.stringify(keys.map((key) => [key.shop, key.kind, key.id]));
    return this.#sql.findResourceStates.all(list).map(resourceStateFrom);
  }

  async claimJobs({ worker, limit, leaseMs, now }: ClaimOptions): Promise<ScheduledJob[]> {
    return inDueOrder(this.#sql.claimJobs.all(worker, now + leaseMs, now, now, limit).map(scheduledJobFrom));
  }

  async settleJobs(settlements: JobSettlement[], now: number): Promise<void> {
    if (settlements.length === 0) return;
    const { insertOutbox, settleJob } = this.#sql;
    inImmediateTransaction(this.#db, () => {
      for (const { message: m, status, lastError } of outboxInsertsOf(settlements)) {
        insertOutbox.run(
          m.destination, m.messageId, status, now, m.shop, m.inboxId, m.eventName, m.receivedAt, now, lastError,
          m.payload, ...factColumns(m),
        );
      }
      for (const { id, status, reason } of inboxUpdatesOf(settlements)) settleJob.run(status, reason, now, id);
    });
  }

  async scanInbox(shop: string, afterId: number, limit: number): Promise<InboxRow[]> {
    return this.#sql.scanInbox.all(shop, afterId, limit).map(inboxRowFrom);
  }

  async scanOutbox(shop: string, afterId: number, limit: number): Promise<StoredMessage[]> {
    return this.#sql.scanOutbox.all(shop, afterId, limit).map(storedMessageFrom);
  }

  async redact(redaction: Redaction, now: number): Promise<RedactionCounts> {
    const { redactInbox, redactOutbox, deleteLinksOf, deleteStatesOf, insertOutbox } = this.#sql;
    const counts = inImmediateTransaction(this.#db, () => {
      const result = { inbox: 0, outbox: 0, links: 0 };
      for (const id of redaction.outboxIds) result.outbox += Number(redactOutbox.run(redactedPayload, redaction.reason, id).changes);
      for (const id of redaction.anonymousIds) result.links += Number(deleteLinksOf.run(redaction.shop, id).changes);
      // The customer's kept order and checkout states go too (not counted: they are no deliveries, messages or links).
      deleteStatesOf.run(redaction.shop, JSON.stringify(redaction.anonymousIds));
      for (const id of redaction.inboxIds) result.inbox += Number(redactInbox.run(Buffer.from(redactedPayload), id).changes);
      for (const m of redaction.enqueue) {
        insertOutbox.run(m.destination, m.messageId, 'pending', now, m.shop, m.inboxId, m.eventName, m.receivedAt, now, null, m.payload);
      }
      return result;
    });
    await this.#truncateWal();
    return counts;
  }

  async forgetShop(shop: string): Promise<number> {
    const { forgetShopOutbox, forgetShopPayloads, forgetShopInbox, forgetShopLinks, forgetShopStates, forgetShopJobs } = this.#sql;
    // Payload rows are part of their inbox rows: deleted, not counted.
    const deleted = inImmediateTransaction(this.#db, () => {
      forgetShopPayloads.run(shop);
      const statements = [forgetShopOutbox, forgetShopJobs, forgetShopStates, forgetShopInbox, forgetShopLinks];
      return statements.reduce((total, statement) => total + Number(statement.run(shop).changes), 0);
    });
    await this.#truncateWal();
    return deleted;
  }

  /**
   * Moves the write-ahead log into the file and truncates it, so no earlier copy of a redacted page survives there.
   * A reader on another connection can hold the log for a moment: try again for up to two seconds. Should it still
   * be busy, later checkpoints restart the log from its beginning and overwrite those frames.
   */
  async #truncateWal(): Promise<boolean> {
    for (let attempt = 0; attempt < 80; attempt++) {
      const [result] = this.#sql.checkpointTruncate.all();
      if (Number(result?.busy ?? 1) === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return false;
  }

  async findIdentityLinks(keys: readonly LinkKey[]): Promise<IdentityLink[]> {
    const { findIdentityLink } = this.#sql;
    return keys.flatMap((key) => findIdentityLink.all(key.shop, key.kind, key.token).map(identityLinkFrom));
  }

  async claimOutbox(destination: string, { worker, limit, leaseMs, now }: ClaimOptions): Promise<OutboxRow[]> {
    const rows = this.#sql.claimOutbox.all(worker, now + leaseMs, destination, now, now, limit);
    return inClaimOrder(rows).map(outboxRowFrom);
  }

  async settleOutbox(settlements: OutboxSettlement[], now: number): Promise<void> {
    if (settlements.length === 0) return;
    const { settleOutbox, addDeliveryMinute } = this.#sql;
    inImmediateTransaction(this.#db, () => {
      const settled: SettledRow[] = [];
      for (const settlement of settlements) {
        const { id, status, nextAttemptAt, error, deliveredAt } = outboxUpdateOf(settlement, now);
        const row = settleOutbox.get(status, nextAttemptAt, error, deliveredAt, id);
        if (row) settled.push({ destination: String(row.destination), status, receivedAt: Number(row.received_at) });
      }
      for (const t of minuteTallies(settled, now)) {
        addDeliveryMinute.run(t.destination, t.minute, t.delivered, t.retried, t.dead, t.latencyMsSum, t.latencyMsMax);
      }
    });
  }

  async counts(): Promise<StoreCounts> {
    return countsFrom(this.#sql.counts.all());
  }

  async listFailedInbox(limit: number): Promise<InboxSummary[]> {
    return this.#sql.listFailedInbox.all(limit).map(inboxSummaryFrom);
  }

  async listDeadLetters(destination: string | null, limit: number): Promise<DeadLetter[]> {
    const { listDeadLetters, listDeadLettersOf } = this.#sql;
    const rows = destination === null ? listDeadLetters.all(limit) : listDeadLettersOf.all(destination, limit);
    return rows.map(deadLetterFrom);
  }

  async searchMessages(filter: MessageFilter): Promise<MessageSummary[]> {
    const { shop, eventName, destination, since, until, limit, userId, orderId } = filter;
    const rows = this.#sql.searchMessages.all({
      shop: shop ?? null, eventName: eventName ?? null, destination: destination ?? null,
      since: since ?? null, until: until ?? null, limit, userId: userId ?? null, orderId: orderId ?? null,
    });
    return rows.map(messageSummaryFrom);
  }

  async requeueDeadLetters(destination: string, ids: number[] | null, now: number): Promise<number> {
    const selection: ReplaySelection = { destination, include: 'dead', ...(ids === null ? {} : { ids }) };
    return (await this.replayMessages(selection, { dryRun: false, now })).count;
  }

  async replayMessages(selection: ReplaySelection, { dryRun, now }: { dryRun: boolean; now: number }): Promise<ReplayCount> {
    if (selectsNothing(selection)) return noneReplayed();
    const { text, params } = replayStatement(selection, dryRun, redactedPayload, now);
    const key = replayShapeKey(selection, dryRun);
    const statement = this.#replayStatements.get(key) ?? this.#db.prepare(text);
    this.#replayStatements.set(key, statement);
    const rows = statement.all(params);
    return dryRun ? replayCountFromGroups(rows) : replayCountFromRequeued(rows);
  }

  async outboxStatuses(ids: readonly number[]): Promise<{ id: number; status: OutboxStatus }[]> {
    if (ids.length === 0) return [];
    return this.#sql.outboxStatuses.all(JSON.stringify(ids)).map(outboxStatusFrom);
  }

  /** Done or failed rows go back to pending with a fresh attempt count; rows still pending are left as they are. */
  async deferInbox(ids: readonly number[], worker: string, until: number): Promise<number> {
    if (ids.length === 0) return 0;
    return Number(this.#sql.deferInbox.run(until, worker, JSON.stringify(ids)).changes);
  }

  async requeueInbox(ids: number[], _now: number): Promise<number> {
    if (ids.length === 0) return 0;
    return Number(this.#sql.requeueInbox.run(JSON.stringify(ids)).changes);
  }

  async releaseLeases(isAlive: (owner: string) => boolean): Promise<number> {
    const owners = this.#sql.leaseOwners.all().map((row) => String(row.lease_owner));
    const gone = JSON.stringify(owners.filter((owner) => !isAlive(owner)));
    if (gone === '[]') return 0;
    const { releaseInboxLeases, releaseOutboxLeases, releaseJobLeases } = this.#sql;
    return inImmediateTransaction(this.#db, () =>
      [releaseInboxLeases, releaseOutboxLeases, releaseJobLeases].reduce((freed, statement) => freed + Number(statement.run(gone).changes), 0));
  }

  async receivedDeliveries(topic: ReportTopic, page: ReceivedPage): Promise<ReceivedDelivery[]> {
    const rows = this.#sql.receivedDeliveries.all({ topic, ...pageParameters(page) });
    return rows.map(receivedDeliveryFrom);
  }

  async orderMessages(eventName: string, page: ReceivedPage): Promise<OrderMessage[]> {
    return this.#sql.orderMessages.all({ eventName, ...pageParameters(page) }).map(orderMessageFrom);
  }

  async customerJourney(userId: string, limit: number): Promise<JourneyMessage[]> {
    return this.#sql.customerJourney.all({ userId, limit }).map(journeyMessageFrom).reverse();
  }

  async queueHealth(): Promise<QueueHealth> {
    return queueHealthFrom(this.#sql.queueHealth.all());
  }

  async deliveryMinutes(since: number, until: number): Promise<DeliveryMinute[]> {
    return this.#sql.deliveryMinutes.all(since, until).map(deliveryMinuteFrom);
  }

  async ping(): Promise<boolean> {
    try {
      return this.#db.prepare('SELECT 1 AS ok').get()?.ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }
}

function pageParameters(page: ReceivedPage): Record<string, number> {
  return { until: page.until, afterReceivedAt: page.after.receivedAt, afterId: page.after.id, limit: page.limit };
}
