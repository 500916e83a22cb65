/**
 * The store port: everything cartstream keeps durably. Two implementations (SQLite, PostgreSQL) pass one
 * contract suite (store-contract.ts). All methods that write do so in one transaction each.
 */

/** Where a delivery came from. */
export type InboxSource = 'shopify' | 'recharge' | 'collector';

/** A verified delivery as received, before any parsing. */
export interface InboxDelivery {
  shop: string;
  source: InboxSource;
  topic: string;
  /** Provider's delivery id (X-Shopify-Webhook-Id); the dedup key together with shop. */
  webhookId: string;
  eventId: string | null;
  triggeredAt: string | null;
  apiVersion: string | null;
  /** The request headers we keep (lower-cased names; never the signature). */
  headers: Record<string, string>;
  /** The raw body bytes exactly as received. */
  body: Buffer;
  /** Epoch ms when cartstream received it. */
  receivedAt: number;
}

export type InboxStatus = 'pending' | 'done' | 'failed';

export interface InboxRow extends InboxDelivery {
  id: number;
  /** How many times processing has been attempted (claims). */
  attempts: number;
}

export type InsertResult = 'stored' | 'duplicate';

/** A message for one destination, ready to send (payload is the destination's wire JSON). */
export interface OutboxMessage {
  destination: string;
  /** Deterministic; unique per destination — the outbox refuses a second row with the same id. */
  messageId: string;
  shop: string;
  inboxId: number;
  /** Segment event name (or the call type for identify/alias/page), for operators. */
  eventName: string;
  /** Wire JSON for the destination, or the spec message when the row is dead/skipped at mapping time. */
  payload: string;
  /** Epoch ms the originating webhook was received (for webhook→delivery latency). */
  receivedAt: number;
  /** Rows that can never be sent are written already settled, with the reason. */
  initial?: { status: 'dead' | 'skipped'; reason: string };
  /** Who and which order the message is about, kept in columns for the customer journey and accuracy report. */
  facts?: MessageFacts;
}

/** What a message says about whom and which order (see reporting/message-facts.ts). */
export interface MessageFacts {
  userId?: string;
  /** The anonymousId, or an alias's previousId: the browser id it joins to the customer. */
  anonymousId?: string;
  orderId?: string;
  /** properties.total in integer minor units of properties.currency. */
  money?: { currency: string; minor: number };
}

export type OutboxStatus = 'pending' | 'delivered' | 'dead' | 'skipped';

export interface OutboxRow extends OutboxMessage {
  id: number;
  attempts: number;
}

/** A cart or checkout token seen with a browser's anonymousId (see identity/identity-links.ts). */
export type LinkTokenKind = 'cart' | 'checkout';

export interface LinkKey {
  shop: string;
  kind: LinkTokenKind;
  token: string;
}

export interface IdentityLink extends LinkKey {
  anonymousId: string;
  /** Epoch ms the link was first seen; the first link of a token is kept. */
  linkedAt: number;
}

/** A customer of a shop: the profile store's key. */
export interface CustomerKey {
  shop: string;
  customerId: string;
}

/** A customer's traits as of one version of their Shopify record (updated_at; null when the record has none). */
export interface ProfileTraits extends CustomerKey {
  traits: Record<string, unknown>;
  version: string | null;
}

/** One order's part in its customer's lifetime value: kept per order id, so replaying the order never counts twice. */
export interface ProfileOrder extends CustomerKey {
  orderId: string;
  currency: string;
  /** The order's total_price in integer minor units of `currency`. */
  totalMinor: number;
  /** When the order was placed (ISO-8601 UTC). */
  placedAt: string;
}

/** One refund, kept per refund id (a retried refund never counts twice) and by order id (it may come first). */
export interface ProfileRefund {
  shop: string;
  refundId: string;
  orderId: string;
  currency: string;
  /** Money refunded, in integer minor units of `currency`. */
  amountMinor: number;
}

/** An anonymousId the customer's events carried. */
export interface ProfileAnonymousId extends CustomerKey {
  anonymousId: string;
}

/**
 * What the profile store keeps, as rows: what a settlement writes and what a lookup returns (see profiles/). The
 * totals (lifetime value, order count, first and last order) are derived from the orders and refunds on read.
 */
export interface ProfileRecords {
  traits: ProfileTraits[];
  orders: ProfileOrder[];
  refunds: ProfileRefund[];
  anonymousIds: ProfileAnonymousId[];
}

/**
 * What a batch looks up: the records of these customers and of the customers of these orders (all their orders and
 * the refunds of those), and the refunds stored for these orders.
 */
export interface ProfileQuery {
  customers: readonly CustomerKey[];
  orders: readonly { shop: string; orderId: string }[];
}

/** An outbox message as the privacy scans read it. */
export interface StoredMessage {
  id: number;
  destination: string;
  messageId: string;
  inboxId: number;
  status: OutboxStatus;
  payload: string;
}

/** What a customers/redact request removes, found by the privacy scans (see privacy/). */
export interface Redaction {
  shop: string;
  /** Inbox rows whose body and headers are replaced by `redactedBody` (the request's own row last). */
  inboxIds: number[];
  /** Outbox messages whose payload is replaced; pending ones are settled as skipped with `reason`. */
  outboxIds: number[];
  /** Browser anonymousIds of the customer: their identity links and the order and checkout states naming them are deleted. */
  anonymousIds: string[];
  /** Customer ids whose profiles (traits, orders and their refunds, anonymousIds) are deleted. */
  customerIds: string[];
  reason: string;
  /** Messages to queue in the same transaction (e.g. the Segment regulation request). */
  enqueue: OutboxMessage[];
}

export interface RedactionCounts {
  inbox: number;
  outbox: number;
  links: number;
  profiles: number;
}

/** What a redacted inbox body or outbox payload becomes: valid JSON that says what happened, and nothing else. */
export const redactedPayload = '{"cartstream_redacted":true}';

/** The Shopify resources whose last state the mappers compare a delivery with (see mapping/resource-state.ts). */
export type ResourceKind = 'order' | 'cart' | 'checkout';

export interface ResourceKey {
  shop: string;
  kind: ResourceKind;
  /** The resource's id: an order id, a cart or checkout token. */
  id: string;
}

export interface ResourceState extends ResourceKey {
  /** Shopify's updated_at of this state, epoch ms: a delivery with an older one never replaces it. */
  version: number;
  /** Compact JSON, only what the mappers need (never the whole payload). */
  state: unknown;
}

/** One scheduled job, named by (shop, kind, key): scheduling it again changes nothing. */
export interface JobKey {
  shop: string;
  /** What runs when it is due, e.g. 'product-added' (see pipeline/scheduled-jobs.ts). */
  kind: string;
  key: string;
}

/** A job to run at `dueAt`, or (`cancel`) one that must never run, whether it is scheduled before or after. */
export interface JobWrite extends JobKey {
  dueAt: number;
  payload: unknown;
  cancel?: boolean;
  /** When the scheduling delivery was received. */
  receivedAt: number;
}

export interface ScheduledJob extends JobKey {
  id: number;
  dueAt: number;
  payload: unknown;
  /** The inbox row that scheduled it (its messages are filed under it) and when that row was received. */
  inboxId: number;
  receivedAt: number;
  attempts: number;
}

export interface JobSettlement {
  id: number;
  outcome: { status: 'done'; messages: OutboxMessage[]; note?: string } | { status: 'failed'; reason: string };
}

/** What processing one inbox row produced. */
export type InboxOutcome =
  | {
      status: 'done';
      messages: OutboxMessage[];
      note?: string;
      links?: IdentityLink[];
      /** Resource states to keep; a stored state with a newer version is left as it is. */
      states?: ResourceState[];
      /** Jobs to schedule or cancel; the row's id and received time go with them. */
      jobs?: JobWrite[];
      /** The customer profile records the row adds (see profiles/). */
      profile?: ProfileRecords;
    }
  | { status: 'failed'; reason: string };

export interface InboxSettlement {
  id: number;
  outcome: InboxOutcome;
}

export type OutboxSettlement =
  | { id: number; status: 'delivered' }
  | { id: number; status: 'retry'; nextAttemptAt: number; error: string }
  | { id: number; status: 'dead'; reason: string };

export interface ClaimOptions {
  /** Identifies the claiming worker; a claim is a lease until now + leaseMs. */
  worker: string;
  limit: number;
  leaseMs: number;
  now: number;
}

export interface InboxSummary {
  id: number;
  shop: string;
  topic: string;
  webhookId: string;
  status: InboxStatus;
  reason: string | null;
  duplicates: number;
  receivedAt: number;
}

export interface DeadLetter {
  id: number;
  destination: string;
  messageId: string;
  shop: string;
  eventName: string;
  reason: string;
  attempts: number;
  payload: string;
}

/** What searchMessages looks for; every field left out matches everything. */
export interface MessageFilter {
  shop?: string;
  eventName?: string;
  destination?: string;
  /** Epoch ms, inclusive: messages whose webhook was received at or after this. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  /** Messages about this customer: their userId. */
  userId?: string;
  /** Messages about this order (properties.order_id). */
  orderId?: string;
  limit: number;
}

/** One outbox row as operators see it: where it stands, without its payload. */
export interface MessageSummary {
  id: number;
  destination: string;
  messageId: string;
  shop: string;
  eventName: string;
  status: OutboxStatus;
  attempts: number;
  /** The last delivery error, or why the row was dead-lettered or skipped; null when there was none. */
  lastError: string | null;
  receivedAt: number;
  deliveredAt: number | null;
}

/**
 * Which settled messages of one destination a replay sends again. Every field given narrows the selection.
 * Skipped rows are never chosen (they were never sendable: filtered, no consent, redacted), nor pending ones (queued
 * already, maybe leased by a worker right now), nor a message whose payload was redacted.
 */
export interface ReplaySelection {
  destination: string;
  /** 'dead': dead letters only; 'settled': delivered and dead messages. */
  include: 'dead' | 'settled';
  /** Epoch ms, inclusive: messages whose webhook was received at or after this. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  /** Only messages about these orders (properties.order_id, the Shopify order id). */
  orderIds?: readonly string[];
  /** Only these outbox rows. */
  ids?: readonly number[];
}

/** What a replay chose, in all and per event name (most first). */
export interface ReplayCount {
  count: number;
  byEvent: { eventName: string; count: number }[];
  /** The outbox ids put back in the queue, to follow their delivery; empty in a dry run. */
  ids: number[];
}

/** A page of a received_at window, read in (receivedAt, id) order: start with `after` = { receivedAt: since, id: 0 }. */
export interface ReceivedPage {
  /** Epoch ms, exclusive. */
  until: number;
  /** The last row of the previous page; rows after it come next. */
  after: { receivedAt: number; id: number };
  limit: number;
}

/** The topics the accuracy report reads raw (indexed by received_at). */
export type ReportTopic = 'orders/create' | 'refunds/create';

/** A received delivery with its raw body and where its processing stands (the accuracy report's Shopify side). */
export interface ReceivedDelivery extends Omit<InboxSummary, 'duplicates'> {
  body: Buffer;
}

/** An outbox message about an order, with the order id and total written beside it. */
export interface OrderMessage {
  id: number;
  destination: string;
  messageId: string;
  shop: string;
  eventName: string;
  status: OutboxStatus;
  lastError: string | null;
  receivedAt: number;
  orderId: string | null;
  currency: string | null;
  amountMinor: number | null;
}

/** One message of a customer's journey, for one destination. */
export interface JourneyMessage extends MessageSummary {
  userId: string | null;
  anonymousId: string | null;
  orderId: string | null;
  currency: string | null;
  amountMinor: number | null;
}

export interface QueueHealth {
  inbox: { pending: number; oldestReceivedAt: number | null };
  /** Destinations with messages waiting or dead. */
  destinations: { destination: string; pending: number; retrying: number; dead: number; oldestReceivedAt: number | null }[];
}

/** What one destination's deliveries did in one minute (counted when each attempt is settled). */
export interface DeliveryMinute {
  destination: string;
  /** Epoch ms of the minute's start. */
  minute: number;
  delivered: number;
  /** Attempts that failed and were scheduled again. */
  retried: number;
  dead: number;
  /** Sum and maximum of webhook → delivery latency over the minute's delivered messages, in ms. */
  latencyMsSum: number;
  latencyMsMax: number;
}

export interface StoreCounts {
  inbox: Record<InboxStatus, number>;
  /** Repeated deliveries that were acknowledged and not processed again. */
  duplicates: number;
  outbox: Record<OutboxStatus, number>;
}

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** Creates or upgrades the schema; safe to run on every start and from several processes. */
  migrate(): Promise<void>;
  /** Stores deliveries durably in one transaction; a repeated (shop, webhookId) is 'duplicate' and counted. */
  insertInbox(rows: InboxDelivery[]): Promise<InsertResult[]>;
  /** Leases pending inbox rows (oldest first), including rows whose previous lease expired. */
  claimInbox(options: ClaimOptions): Promise<InboxRow[]>;
  /**
   * Writes each row's outbox messages, identity links (a token's first link is kept), resource states (never over a
   * newer version), jobs and profile records (an order or refund once per id, traits only when not older than those
   * stored) and marks it done or failed, in one transaction.
   */
  settleInbox(settlements: InboxSettlement[], now: number): Promise<void>;
  /** The stored links of these tokens (those that have one). */
  findIdentityLinks(keys: readonly LinkKey[]): Promise<IdentityLink[]>;
  /** The profile records a batch needs (see ProfileQuery), in one lookup. */
  findProfiles(query: ProfileQuery): Promise<ProfileRecords>;
  /** A customer's profile records in every shop (the admin API; customer ids are unique across shops). */
  customerProfile(customerId: string): Promise<ProfileRecords>;
  /** The stored states of these resources (those that have one), in one query. */
  findResourceStates(keys: readonly ResourceKey[]): Promise<ResourceState[]>;
  /** Leases pending jobs that are due (earliest first), including jobs whose previous lease expired. */
  claimJobs(options: ClaimOptions): Promise<ScheduledJob[]>;
  /** Writes each job's outbox messages and marks it done or failed, in one transaction. */
  settleJobs(settlements: JobSettlement[], now: number): Promise<void>;
  /** Leases pending outbox rows of one destination whose next attempt is due. */
  claimOutbox(destination: string, options: ClaimOptions): Promise<OutboxRow[]>;
  settleOutbox(settlements: OutboxSettlement[], now: number): Promise<void>;
  /**
   * Makes the destination's rows that wait for a retry due at `now`: the destination answers again after an
   * outage, so its backlog drains at once instead of as each row's backoff runs out. Returns how many.
   */
  expediteRetries(destination: string, now: number): Promise<number>;
  counts(): Promise<StoreCounts>;
  /** Inbox rows that could not be parsed or mapped, newest first, with the reason. */
  listFailedInbox(limit: number): Promise<InboxSummary[]>;
  listDeadLetters(destination: string | null, limit: number): Promise<DeadLetter[]>;
  /** Outbox messages matching the filter, newest webhook first (ties: newest row first). */
  searchMessages(filter: MessageFilter): Promise<MessageSummary[]>;
  /** Puts dead letters back in the queue (all of a destination, or the given ids); returns how many. */
  requeueDeadLetters(destination: string, ids: number[] | null, now: number): Promise<number>;
  /**
   * Counts the selected messages (dryRun) or, in one statement, puts them back in the queue with their messageIds:
   * pending, no attempts, due now, no lease.
   */
  replayMessages(selection: ReplaySelection, options: { dryRun: boolean; now: number }): Promise<ReplayCount>;
  /** Where these outbox rows stand now (rows that no longer exist are left out); a replay's progress. */
  outboxStatuses(ids: readonly number[]): Promise<{ id: number; status: OutboxStatus }[]>;
  /** Puts inbox rows back to pending so they are mapped again (messageIds stay the same). */
  requeueInbox(ids: number[], now: number): Promise<number>;
  /**
   * Hands claimed rows back until `until` (their lease now ends then), so they are claimed again later rather than
   * settled now: an order waiting briefly for the storefront event that names its cart. Only the worker's own leases.
   */
  deferInbox(ids: readonly number[], worker: string, until: number): Promise<number>;
  /**
   * Frees the leases of workers that are gone (`isAlive(owner)` false), so a restarted process takes over a
   * crashed one's claimed rows at once instead of after the leases expire. Returns how many rows were freed.
   */
  releaseLeases(isAlive: (owner: string) => boolean): Promise<number>;
  /** A shop's inbox rows after `afterId` in id order, with bodies, whatever their status (privacy scans). */
  scanInbox(shop: string, afterId: number, limit: number): Promise<InboxRow[]>;
  /** A shop's outbox messages after `afterId` in id order (privacy scans). */
  scanOutbox(shop: string, afterId: number, limit: number): Promise<StoredMessage[]>;
  /**
   * Carries out a redaction in one transaction, so that the bytes are gone from the database: SQLite overwrites
   * the freed space (secure_delete) and truncates its write-ahead log afterwards.
   */
  redact(redaction: Redaction, now: number): Promise<RedactionCounts>;
  /** Deletes everything stored for a shop (shop/redact), profiles included; returns how many rows. */
  forgetShop(shop: string): Promise<number>;
  /** Raw deliveries of one topic received in a window, page by page (the accuracy report's Shopify side). */
  receivedDeliveries(topic: ReportTopic, page: ReceivedPage): Promise<ReceivedDelivery[]>;
  /** Messages of one event that name an order, received in a window, page by page. */
  orderMessages(eventName: string, page: ReceivedPage): Promise<OrderMessage[]>;
  /**
   * The latest `limit` messages whose userId is the customer's or whose anonymousId one of the customer's messages
   * carries (an alias's previousId included), oldest first.
   */
  customerJourney(userId: string, limit: number): Promise<JourneyMessage[]>;
  /** Rows waiting in the inbox and per destination, and the oldest of them. */
  queueHealth(): Promise<QueueHealth>;
  /** Per-minute delivery counts of every destination in [since, until); minutes with nothing are left out. */
  deliveryMinutes(since: number, until: number): Promise<DeliveryMinute[]>;
  /** True when the store answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** PostgreSQL SQLSTATEs after which the same transaction succeeds when simply run again. */
const transientPostgresStates = new Set(['40P01' /* deadlock_detected */, '40001' /* serialization_failure */, '55P03' /* lock_not_available */]);

/**
 * True when a write failed only because of concurrent work (SQLite's lock held by another connection, a
 * PostgreSQL deadlock or serialization failure): running it again shortly will work.
 */
export function isStoreBusy(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { errcode, code } = error as { errcode?: unknown; code?: unknown };
  return errcode === 5 || (typeof code === 'string' && transientPostgresStates.has(code));
}
