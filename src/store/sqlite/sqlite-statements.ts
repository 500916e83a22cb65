import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { deliveryMinuteColumns, journeyColumns, orderMessageColumns, queueHealthSql } from '../report-rows.ts';
import { countsSql } from '../rows.ts';
import { jobClaimColumns } from '../state-rows.ts';
import type { ReplaySelection } from '../store.ts';

const inboxClaimColumns =
  'id, shop, webhook_id, source, topic, event_id, triggered_at, api_version, received_at, attempts';
const outboxClaimColumns =
  'id, destination, message_id, shop, inbox_id, event_name, payload, received_at, attempts, next_attempt_at';

/** Every statement the SQLite store runs, keyed by what it does; prepared once per connection. */
const sql = {
  insertInbox: `INSERT INTO inbox
      (shop, webhook_id, source, topic, event_id, triggered_at, api_version, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (shop, webhook_id) DO NOTHING`,
  insertPayload: 'INSERT INTO inbox_payload (inbox_id, headers, body) VALUES (?, ?, ?)',
  payloadsOf: 'SELECT inbox_id, headers, body FROM inbox_payload WHERE inbox_id IN (SELECT value FROM json_each(?))',
  countDuplicate: 'UPDATE inbox SET duplicates = duplicates + 1 WHERE shop = ? AND webhook_id = ?',
  claimInbox: `UPDATE inbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM inbox
      WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < ?)
      ORDER BY id LIMIT ?)
    RETURNING ${inboxClaimColumns}`,
  insertOutbox: `INSERT INTO outbox
      (destination, message_id, status, next_attempt_at, shop, inbox_id, event_name, received_at, created_at,
       last_error, payload, user_id, anonymous_id, order_id, currency, amount_minor)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (destination, message_id) DO NOTHING`,
  settleInbox: `UPDATE inbox SET status = ?, reason = ?, processed_at = ?, lease_owner = NULL, lease_until = NULL
    WHERE id = ?`,
  insertIdentityLink: `INSERT INTO identity_links (shop, token_kind, token, anonymous_id, linked_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (shop, token_kind, token) DO NOTHING`,
  scanInbox: `SELECT i.id, i.shop, i.webhook_id, i.source, i.topic, i.event_id, i.triggered_at, i.api_version,
      i.received_at, i.attempts, p.headers, p.body
    FROM inbox i JOIN inbox_payload p ON p.inbox_id = i.id
    WHERE i.shop = ? AND i.id > ? ORDER BY i.id LIMIT ?`,
  scanOutbox: `SELECT id, destination, message_id, inbox_id, status, payload FROM outbox
    WHERE shop = ? AND id > ? ORDER BY id LIMIT ?`,
  redactInbox: "UPDATE inbox_payload SET headers = '{}', body = ? WHERE inbox_id = ?",
  // SET expressions read the row as it was, so both CASEs see the old status.
  // The order and its amount stay (business records the accuracy report reconciles); who it was goes.
  redactOutbox: `UPDATE outbox SET payload = ?, user_id = NULL, anonymous_id = NULL,
      status = CASE WHEN status = 'pending' THEN 'skipped' ELSE status END,
      last_error = CASE WHEN status = 'pending' THEN ? ELSE last_error END,
      lease_owner = NULL, lease_until = NULL
    WHERE id = ?`,
  checkpointTruncate: 'PRAGMA wal_checkpoint(TRUNCATE)',
  deleteLinksOf: 'DELETE FROM identity_links WHERE shop = ? AND anonymous_id = ?',
  // One pass over the shop's states for all of the customer's anonymousIds (order and checkout states carry one).
  deleteStatesOf: `DELETE FROM resource_state
    WHERE shop = ? AND json_extract(state, '$.anonymousId') IN (SELECT value FROM json_each(?))`,
  forgetShopOutbox: 'DELETE FROM outbox WHERE shop = ?',
  forgetShopPayloads: 'DELETE FROM inbox_payload WHERE inbox_id IN (SELECT id FROM inbox WHERE shop = ?)',
  forgetShopInbox: 'DELETE FROM inbox WHERE shop = ?',
  forgetShopLinks: 'DELETE FROM identity_links WHERE shop = ?',
  findIdentityLink: `SELECT shop, token_kind, token, anonymous_id, linked_at FROM identity_links
    WHERE shop = ? AND token_kind = ? AND token = ?`,
  // Profile writes: an order or refund once per id; traits only when they supersede (see traitsSupersede).
  upsertProfileTraits: `INSERT INTO profile_traits (shop, customer_id, traits, traits_version) VALUES (?, ?, ?, ?)
    ON CONFLICT (customer_id, shop) DO UPDATE SET traits = excluded.traits, traits_version = excluded.traits_version
    WHERE excluded.traits_version IS NOT NULL
      AND (profile_traits.traits_version IS NULL OR excluded.traits_version >= profile_traits.traits_version)`,
  insertProfileOrder: `INSERT INTO profile_orders (shop, order_id, customer_id, currency, total_minor, placed_at)
    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (shop, order_id) DO NOTHING`,
  insertProfileRefund: `INSERT INTO profile_refunds (shop, refund_id, order_id, currency, amount_minor) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (shop, refund_id) DO NOTHING`,
  insertProfileAnonymousId: `INSERT INTO profile_anonymous_ids (shop, customer_id, anonymous_id) VALUES (?, ?, ?)
    ON CONFLICT (customer_id, shop, anonymous_id) DO NOTHING`,
  // Profile lookups take (shop, id) pairs as one JSON array of [shop, id].
  profileOrdersById: `SELECT shop, order_id, customer_id, currency, total_minor, placed_at FROM profile_orders
    WHERE (shop, order_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`,
  profileTraitsOf: `SELECT shop, customer_id, traits, traits_version FROM profile_traits
    WHERE (customer_id, shop) IN (SELECT value ->> 1, value ->> 0 FROM json_each(?))`,
  profileOrdersOf: `SELECT shop, order_id, customer_id, currency, total_minor, placed_at FROM profile_orders
    WHERE (customer_id, shop) IN (SELECT value ->> 1, value ->> 0 FROM json_each(?))`,
  profileAnonymousIdsOf: `SELECT shop, customer_id, anonymous_id FROM profile_anonymous_ids
    WHERE (customer_id, shop) IN (SELECT value ->> 1, value ->> 0 FROM json_each(?))`,
  profileRefundsOf: `SELECT shop, refund_id, order_id, currency, amount_minor FROM profile_refunds
    WHERE (shop, order_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`,
  customerTraits: 'SELECT shop, customer_id, traits, traits_version FROM profile_traits WHERE customer_id = ?',
  customerOrders: `SELECT shop, order_id, customer_id, currency, total_minor, placed_at FROM profile_orders
    WHERE customer_id = ?`,
  customerRefunds: `SELECT r.shop, r.refund_id, r.order_id, r.currency, r.amount_minor
    FROM profile_refunds r JOIN profile_orders o ON o.shop = r.shop AND o.order_id = r.order_id
    WHERE o.customer_id = ?`,
  customerAnonymousIds: 'SELECT shop, customer_id, anonymous_id FROM profile_anonymous_ids WHERE customer_id = ?',
  // A redaction deletes the customer's refunds before the orders that find them.
  deleteProfileRefundsOf: `DELETE FROM profile_refunds WHERE (shop, order_id) IN (
    SELECT shop, order_id FROM profile_orders WHERE customer_id = ? AND shop = ?)`,
  deleteProfileOrdersOf: 'DELETE FROM profile_orders WHERE customer_id = ? AND shop = ?',
  deleteProfileTraitsOf: 'DELETE FROM profile_traits WHERE customer_id = ? AND shop = ?',
  deleteProfileAnonymousIdsOf: 'DELETE FROM profile_anonymous_ids WHERE customer_id = ? AND shop = ?',
  forgetShopProfileTraits: 'DELETE FROM profile_traits WHERE shop = ?',
  forgetShopProfileOrders: 'DELETE FROM profile_orders WHERE shop = ?',
  forgetShopProfileRefunds: 'DELETE FROM profile_refunds WHERE shop = ?',
  forgetShopProfileAnonymousIds: 'DELETE FROM profile_anonymous_ids WHERE shop = ?',
  claimOutbox: `UPDATE outbox SET lease_owner = ?, lease_until = ?
    WHERE id IN (
      SELECT id FROM outbox
      WHERE destination = ? AND status = 'pending' AND next_attempt_at <= ?
        AND (lease_until IS NULL OR lease_until < ?)
      ORDER BY next_attempt_at, id LIMIT ?)
    RETURNING ${outboxClaimColumns}`,
  // Only a pending row moves: a late answer from a worker whose lease expired must not reopen a delivered message.
  // Rows backing off after a failed send (attempts > 0) whose next attempt lies ahead; leased rows are due, not ahead.
  expediteRetries: `UPDATE outbox SET next_attempt_at = ?
    WHERE destination = ? AND status = 'pending' AND next_attempt_at > ? AND attempts > 0`,
  settleOutbox: `UPDATE outbox SET status = ?, attempts = attempts + 1,
      next_attempt_at = COALESCE(?, next_attempt_at), last_error = COALESCE(?, last_error),
      delivered_at = ?, lease_owner = NULL, lease_until = NULL
    WHERE id = ? AND status = 'pending'
    RETURNING destination, status, received_at`,
  addDeliveryMinute: `INSERT INTO delivery_minutes (${deliveryMinuteColumns}) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (minute, destination) DO UPDATE SET delivered = delivered + excluded.delivered,
      retried = retried + excluded.retried, dead = dead + excluded.dead,
      latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum,
      latency_ms_max = MAX(latency_ms_max, excluded.latency_ms_max)`,
  // The literal topic list repeats the partial index's condition, so SQLite may use it.
  receivedDeliveries: `SELECT i.id, i.shop, i.topic, i.webhook_id, i.status, i.reason, i.received_at, p.body
    FROM inbox i JOIN inbox_payload p ON p.inbox_id = i.id
    WHERE i.topic IN ('orders/create', 'refunds/create') AND i.topic = :topic
      AND i.received_at < :until AND (i.received_at, i.id) > (:afterReceivedAt, :afterId)
    ORDER BY i.received_at, i.id LIMIT :limit`,
  orderMessages: `SELECT ${orderMessageColumns} FROM outbox
    WHERE order_id IS NOT NULL AND event_name = :eventName
      AND received_at < :until AND (received_at, id) > (:afterReceivedAt, :afterId)
    ORDER BY received_at, id LIMIT :limit`,
  customerJourney: `SELECT * FROM (
      SELECT ${journeyColumns} FROM outbox WHERE user_id = :userId
      UNION
      SELECT ${journeyColumns} FROM outbox WHERE anonymous_id IN (
        SELECT anonymous_id FROM outbox WHERE user_id = :userId AND anonymous_id IS NOT NULL))
    ORDER BY received_at DESC, id DESC LIMIT :limit`,
  queueHealth: queueHealthSql,
  deliveryMinutes: `SELECT ${deliveryMinuteColumns} FROM delivery_minutes WHERE minute >= ? AND minute < ?
    ORDER BY destination, minute`,
  counts: countsSql,
  listFailedInbox: `SELECT id, shop, topic, webhook_id, status, reason, duplicates, received_at
    FROM inbox WHERE status = 'failed' ORDER BY id DESC LIMIT ?`,
  listDeadLetters: `SELECT id, destination, message_id, shop, event_name, last_error, attempts, payload
    FROM outbox WHERE status = 'dead' ORDER BY id DESC LIMIT ?`,
  listDeadLettersOf: `SELECT id, destination, message_id, shop, event_name, last_error, attempts, payload
    FROM outbox WHERE destination = ? AND status = 'dead' ORDER BY id DESC LIMIT ?`,
  // Named parameters, each bound to null when the filter leaves it out.
  searchMessages: `SELECT id, destination, message_id, shop, event_name, status, attempts, last_error, received_at,
      delivered_at
    FROM outbox
    WHERE (:shop IS NULL OR shop = :shop) AND (:eventName IS NULL OR event_name = :eventName)
      AND (:destination IS NULL OR destination = :destination)
      AND (:since IS NULL OR received_at >= :since) AND (:until IS NULL OR received_at < :until)
      AND (:userId IS NULL OR user_id = :userId) AND (:orderId IS NULL OR order_id = :orderId)
    ORDER BY received_at DESC, id DESC LIMIT :limit`,
  // Id lists arrive as one JSON array so the statement stays prepared whatever the list length.
  outboxStatuses: 'SELECT id, status FROM outbox WHERE id IN (SELECT value FROM json_each(?))',
  // A pending row is left alone: it is queued already, and clearing its lease would hand it to a second worker.
  requeueInbox: `UPDATE inbox SET status = 'pending', reason = NULL, processed_at = NULL, attempts = 0,
      lease_owner = NULL, lease_until = NULL
    WHERE status <> 'pending' AND id IN (SELECT value FROM json_each(?))`,
  leaseOwners: `SELECT lease_owner FROM inbox WHERE status = 'pending' AND lease_owner IS NOT NULL
    UNION SELECT lease_owner FROM outbox WHERE status = 'pending' AND lease_owner IS NOT NULL
    UNION SELECT lease_owner FROM scheduled_jobs WHERE status = 'pending' AND lease_owner IS NOT NULL`,
  deferInbox: `UPDATE inbox SET lease_until = ?
    WHERE status = 'pending' AND lease_owner = ? AND id IN (SELECT value FROM json_each(?))`,
  releaseInboxLeases: `UPDATE inbox SET lease_owner = NULL, lease_until = NULL
    WHERE status = 'pending' AND lease_owner IN (SELECT value FROM json_each(?))`,
  releaseOutboxLeases: `UPDATE outbox SET lease_owner = NULL, lease_until = NULL
    WHERE status = 'pending' AND lease_owner IN (SELECT value FROM json_each(?))`,
  releaseJobLeases: `UPDATE scheduled_jobs SET lease_owner = NULL, lease_until = NULL
    WHERE status = 'pending' AND lease_owner IN (SELECT value FROM json_each(?))`,
  // Keys arrive as one JSON array of [shop, kind, id] so the statement stays prepared whatever their number.
  findResourceStates: `SELECT shop, kind, resource_id, version, state FROM resource_state
    WHERE (shop, kind, resource_id) IN (
      SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?))`,
  // A state with an older version never replaces a newer one.
  upsertResourceState: `INSERT INTO resource_state (shop, kind, resource_id, version, state) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (shop, kind, resource_id) DO UPDATE SET version = excluded.version, state = excluded.state
    WHERE excluded.version >= resource_state.version`,
  // A schedule never replaces a job; a cancel turns a pending one cancelled, or is stored first so it wins later.
  writeJob: `INSERT INTO scheduled_jobs (shop, kind, job_key, status, due_at, inbox_id, received_at, payload)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (shop, kind, job_key) DO UPDATE SET status = 'cancelled'
    WHERE excluded.status = 'cancelled' AND scheduled_jobs.status = 'pending'`,
  claimJobs: `UPDATE scheduled_jobs SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM scheduled_jobs
      WHERE status = 'pending' AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?)
      ORDER BY due_at, id LIMIT ?)
    RETURNING ${jobClaimColumns}`,
  settleJob: `UPDATE scheduled_jobs SET status = ?, reason = ?, processed_at = ?, lease_owner = NULL, lease_until = NULL
    WHERE id = ? AND status = 'pending'`,
  forgetShopStates: 'DELETE FROM resource_state WHERE shop = ?',
  forgetShopJobs: 'DELETE FROM scheduled_jobs WHERE shop = ?',
} as const;

export type SqliteStatements = Record<keyof typeof sql, StatementSync>;

export function prepareStatements(db: DatabaseSync): SqliteStatements {
  const entries = Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]);
  return Object.fromEntries(entries) as SqliteStatements;
}

/**
 * Which filter should find a replay's rows: SQLite has no statistics here (no ANALYZE), and left alone it always
 * takes outbox_claim's equality on (destination, status) — every delivered row of the destination, when one
 * period or a few orders are asked for.
 */
function replayLead(selection: ReplaySelection): 'ids' | 'orders' | 'window' | 'destination' {
  if (selection.ids !== undefined) return 'ids';
  if (selection.orderIds !== undefined) return 'orders';
  const window = selection.since !== undefined || selection.until !== undefined;
  return window && selection.include === 'settled' ? 'window' : 'destination';
}

/** Which rows a replay selects. A unary + keeps SQLite from using an index for that term (see replayLead). */
function replayConditions(selection: ReplaySelection): string[] {
  const lead = replayLead(selection);
  const unless = (driver: ReturnType<typeof replayLead>) => (lead === driver ? '' : '+');
  return [
    `${unless('destination')}destination = :destination`,
    `${unless('destination')}status ${selection.include === 'dead' ? "= 'dead'" : "IN ('delivered', 'dead')"}`,
    'payload <> :redacted',
    ...(selection.since === undefined ? [] : [`${unless('window')}received_at >= :since`]),
    ...(selection.until === undefined ? [] : [`${unless('window')}received_at < :until`]),
    ...(selection.orderIds === undefined ? [] : [`${unless('orders')}order_id IN (SELECT value FROM json_each(:orderIds))`]),
    ...(selection.ids === undefined ? [] : ['id IN (SELECT value FROM json_each(:ids))']),
  ];
}

/**
 * A replay's statement and its named parameters. It holds only the filters the selection uses and is planned with
 * the index that fits (outbox_order for orders, outbox_received for a window); prepared once per shape.
 * A dry run counts per event name; a replay puts the rows back in the queue and returns them.
 */
export function replayStatement(selection: ReplaySelection, dryRun: boolean, redacted: string, now: number): {
  text: string;
  params: Record<string, SQLInputValue>;
} {
  const where = replayConditions(selection).join(' AND ');
  const { destination, since, until, orderIds, ids } = selection;
  const params: Record<string, SQLInputValue> = { destination, redacted };
  if (since !== undefined) params.since = since;
  if (until !== undefined) params.until = until;
  if (orderIds !== undefined) params.orderIds = JSON.stringify(orderIds);
  if (ids !== undefined) params.ids = JSON.stringify(ids);
  if (dryRun) return { text: `SELECT event_name, COUNT(*) AS count FROM outbox WHERE ${where} GROUP BY event_name`, params };
  return {
    text: `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = :now, delivered_at = NULL,
        lease_owner = NULL, lease_until = NULL
      WHERE ${where} RETURNING id, event_name`,
    params: { ...params, now },
  };
}
