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
} from '../rows.ts';
import { identityLinksOf, inboxUpdatesOf, outboxInsertsOf, outboxUpdateOf } from '../settlement-rows.ts';
import type {
  ClaimOptions,
  DeadLetter,
  IdentityLink,
  InboxDelivery,
  InboxRow,
  InboxSettlement,
  InboxSummary,
  InsertResult,
  LinkKey,
  MessageFilter,
  MessageSummary,
  OutboxMessage,
  OutboxRow,
  OutboxSettlement,
  Store,
  StoreCounts,
} from '../store.ts';
import { insertInboxRows } from './insert-inbox.ts';
import { migratePostgres } from './migrations.ts';
import { sql, type StatementName } from './postgres-statements.ts';

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
    const updates = inboxUpdatesOf(settlements);
    const links = identityLinksOf(settlements);
    await this.#run('settleInbox', [
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
      links.map((l) => l.shop),
      links.map((l) => l.kind),
      links.map((l) => l.token),
      links.map((l) => l.anonymousId),
      links.map((l) => l.linkedAt),
    ]);
  }

  async findIdentityLinks(keys: readonly LinkKey[]): Promise<IdentityLink[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.#run('findIdentityLinks', [
      keys.map((k) => k.shop), keys.map((k) => k.kind), keys.map((k) => k.token),
    ]);
    return rows.map(identityLinkFrom);
  }

  async claimOutbox(destination: string, { worker, limit, leaseMs, now }: ClaimOptions): Promise<OutboxRow[]> {
    const { rows } = await this.#run('claimOutbox', [worker, now + leaseMs, destination, now, limit]);
    return inClaimOrder(rows).map(outboxRowFrom);
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
    const { shop, eventName, destination, since, until, limit } = filter;
    const values = [shop, eventName, destination, since, until].map((value) => value ?? null);
    return (await this.#run('searchMessages', [...values, limit])).rows.map(messageSummaryFrom);
  }

  async requeueDeadLetters(destination: string, ids: number[] | null, now: number): Promise<number> {
    if (ids !== null && ids.length === 0) return 0;
    const result =
      ids === null
        ? await this.#run('requeueAllDead', [now, destination])
        : await this.#run('requeueDeadIds', [now, destination, ids]);
    return result.rowCount ?? 0;
  }

  /** Done or failed rows go back to pending with a fresh attempt count; rows still pending are left as they are. */
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
    return (inbox.rowCount ?? 0) + (outbox.rowCount ?? 0);
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
