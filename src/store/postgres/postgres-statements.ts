import { deliveryMinuteColumns, journeyColumns, orderMessageColumns, queueHealthSql } from '../report-rows.ts';
import { countsSql } from '../rows.ts';
import { jobClaimColumns } from '../state-rows.ts';
import { replayShapeKey } from '../replay-rows.ts';
import type { ReplaySelection } from '../store.ts';

/** Columns one inbox row fills, in the order insertInboxSql's placeholders follow. */
export const inboxInsertColumns = [
  'shop', 'webhook_id', 'source', 'topic', 'event_id', 'triggered_at', 'api_version', 'received_at', 'duplicates',
  'headers', 'body',
] as const;

/**
 * One multi-row INSERT. A conflicting row is counted as a duplicate in the same statement (so no second round trip
 * and no race with a concurrent insert); `duplicates` starts at the number of repeats within the batch itself. The
 * returned `duplicates` tells the cases apart: a stored row returns exactly what it was given, a duplicate more.
 */
export function insertInboxSql(rowCount: number): string {
  const width = inboxInsertColumns.length;
  const tuples = Array.from({ length: rowCount }, (_, row) => {
    const placeholders = inboxInsertColumns.map((_, column) => `$${row * width + column + 1}`);
    return `(${placeholders.join(', ')})`;
  });
  return `INSERT INTO inbox AS i (${inboxInsertColumns.join(', ')}) VALUES ${tuples.join(', ')}
    ON CONFLICT (shop, webhook_id) DO UPDATE SET duplicates = i.duplicates + EXCLUDED.duplicates + 1
    RETURNING shop, webhook_id, duplicates`;
}

/**
 * The profile rows a settlement writes, as data-modifying CTEs reading one JSON array per table from $first…$first+3:
 * an order or refund once per id; traits only when they supersede the stored ones (see traitsSupersede).
 */
function profileWrites(first: number): string {
  const [traits, orders, refunds, anonymousIds] = [first, first + 1, first + 2, first + 3];
  return `profile_traits_written AS (
      INSERT INTO profile_traits AS p (shop, customer_id, traits, traits_version)
      SELECT * FROM jsonb_to_recordset($${traits}::jsonb) AS t(shop text, customer_id text, traits text, traits_version text)
      ON CONFLICT (customer_id, shop) DO UPDATE SET traits = EXCLUDED.traits, traits_version = EXCLUDED.traits_version
      WHERE EXCLUDED.traits_version IS NOT NULL AND (p.traits_version IS NULL OR EXCLUDED.traits_version >= p.traits_version)),
    profile_orders_written AS (
      INSERT INTO profile_orders (shop, order_id, customer_id, currency, total_minor, placed_at)
      SELECT * FROM jsonb_to_recordset($${orders}::jsonb)
        AS o(shop text, order_id text, customer_id text, currency text, total_minor bigint, placed_at text)
      ON CONFLICT (shop, order_id) DO NOTHING),
    profile_refunds_written AS (
      INSERT INTO profile_refunds (shop, refund_id, order_id, currency, amount_minor)
      SELECT * FROM jsonb_to_recordset($${refunds}::jsonb)
        AS r(shop text, refund_id text, order_id text, currency text, amount_minor bigint)
      ON CONFLICT (shop, refund_id) DO NOTHING),
    profile_anonymous_ids_written AS (
      INSERT INTO profile_anonymous_ids (shop, customer_id, anonymous_id)
      SELECT * FROM jsonb_to_recordset($${anonymousIds}::jsonb) AS a(shop text, customer_id text, anonymous_id text)
      ON CONFLICT (customer_id, shop, anonymous_id) DO NOTHING)`;
}

/** Deletes the profiles of the customers in $customers (text[]) of the shop in $shop, as CTEs (see profileDeleteCount). */
function profileDeletes(shop: number, customers: number): string {
  const of = `shop = $${shop} AND customer_id = ANY($${customers}::text[])`;
  return `profile_refunds_deleted AS (
      DELETE FROM profile_refunds WHERE (shop, order_id) IN (SELECT shop, order_id FROM profile_orders WHERE ${of})
      RETURNING 1),
    profile_orders_deleted AS (DELETE FROM profile_orders WHERE ${of} RETURNING 1),
    profile_traits_deleted AS (DELETE FROM profile_traits WHERE ${of} RETURNING 1),
    profile_anonymous_ids_deleted AS (DELETE FROM profile_anonymous_ids WHERE ${of} RETURNING 1),`;
}

const profileDeleteCount = `((SELECT count(*) FROM profile_refunds_deleted) + (SELECT count(*) FROM profile_orders_deleted)
      + (SELECT count(*) FROM profile_traits_deleted) + (SELECT count(*) FROM profile_anonymous_ids_deleted))`;

/**
 * The four profile row sets as JSON arrays: the traits and anonymousIds of the customers `customers` selects (shop,
 * customer_id), the orders in the CTE `orders`, and the refunds of the orders `orderKeys` selects (shop, order_id).
 */
function profileAggregates(orders: string, customers: string, orderKeys: string): string {
  const rows = (select: string) => `(SELECT COALESCE(json_agg(x), '[]'::json) FROM (${select}) x)`;
  return `${rows(`SELECT t.shop, t.customer_id, t.traits, t.traits_version FROM profile_traits t
        WHERE (t.shop, t.customer_id) IN (${customers})`)} AS traits,
      ${rows(`SELECT * FROM ${orders}`)} AS orders,
      ${rows(`SELECT r.shop, r.refund_id, r.order_id, r.currency, r.amount_minor FROM profile_refunds r
        WHERE (r.shop, r.order_id) IN (${orderKeys})`)} AS refunds,
      ${rows(`SELECT a.shop, a.customer_id, a.anonymous_id FROM profile_anonymous_ids a
        WHERE (a.shop, a.customer_id) IN (${customers})`)} AS anonymous_ids`;
}

/**
 * A batch's profile lookup in one statement: the named orders ($1 shops, $2 order ids) name more customers besides
 * $3/$4; every order of those customers, and the refunds of all those orders and of the named ones.
 */
const findProfilesSql = `WITH named AS (SELECT * FROM unnest($1::text[], $2::text[]) AS n(shop, order_id)),
    named_orders AS (SELECT o.* FROM profile_orders o JOIN named n ON o.shop = n.shop AND o.order_id = n.order_id),
    customers AS (SELECT * FROM unnest($3::text[], $4::text[]) AS c(shop, customer_id)
      UNION SELECT shop, customer_id FROM named_orders),
    orders AS (SELECT o.* FROM profile_orders o JOIN customers c ON o.customer_id = c.customer_id AND o.shop = c.shop
      UNION SELECT * FROM named_orders)
  SELECT ${profileAggregates('orders', 'SELECT shop, customer_id FROM customers', 'SELECT shop, order_id FROM orders UNION SELECT shop, order_id FROM named')}`;

/**
 * The outbox INSERT of the settle statements, as a data-modifying CTE named `messages`: $1–$9 the rows, $13 the
 * time, and the five fact columns (see report-rows.ts factColumns) from `$facts` on.
 */
function outboxInsertCte(facts: number): string {
  const factArrays = ['text', 'text', 'text', 'text', 'bigint'].map((type, index) => `$${facts + index}::${type}[]`).join(', ');
  return `messages AS (
      INSERT INTO outbox (destination, message_id, shop, inbox_id, event_name, payload, received_at, status,
        last_error, user_id, anonymous_id, order_id, currency, amount_minor, next_attempt_at, created_at)
      SELECT m.*, $13::bigint, $13::bigint
      FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[],
        $8::text[], $9::text[], ${factArrays}) AS m
      ON CONFLICT (destination, message_id) DO NOTHING)`;
}

/**
 * Fixed-text statements, run as named prepared statements (parsed once per connection). Claims lock with
 * FOR NO KEY UPDATE SKIP LOCKED: concurrent claimers skip each other's rows, and unlike FOR UPDATE the lock does not
 * conflict with the key-share lock an outbox insert's foreign key check takes on its inbox row.
 */
export const sql = {
  claimInbox: `UPDATE inbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM inbox
      WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < $3)
      ORDER BY id LIMIT $4
      FOR NO KEY UPDATE SKIP LOCKED)
    RETURNING id, shop, webhook_id, source, topic, event_id, triggered_at, api_version, received_at, attempts,
      headers, body`,
  // One statement: the outbox INSERT runs as a data-modifying CTE, so messages and done marks commit together.
  settleInbox: `WITH ${outboxInsertCte(19)},
    links AS (
      INSERT INTO identity_links (shop, token_kind, token, anonymous_id, linked_at)
      SELECT * FROM unnest($14::text[], $15::text[], $16::text[], $17::text[], $18::bigint[])
      ON CONFLICT (shop, token_kind, token) DO NOTHING),
    states AS (
      INSERT INTO resource_state AS s (shop, kind, resource_id, version, state)
      SELECT r.shop, r.kind, r.id, r.version, r.state::jsonb
      FROM unnest($24::text[], $25::text[], $26::text[], $27::bigint[], $28::text[]) AS r(shop, kind, id, version, state)
      ON CONFLICT (shop, kind, resource_id) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state
      WHERE EXCLUDED.version >= s.version),
    jobs AS (
      INSERT INTO scheduled_jobs AS j (shop, kind, job_key, status, due_at, inbox_id, received_at, payload)
      SELECT w.shop, w.kind, w.key, w.status, w.due_at, w.inbox_id, w.received_at, w.payload::jsonb
      FROM unnest($29::text[], $30::text[], $31::text[], $32::text[], $33::bigint[], $34::bigint[], $35::bigint[],
        $36::text[]) AS w(shop, kind, key, status, due_at, inbox_id, received_at, payload)
      ON CONFLICT (shop, kind, job_key) DO UPDATE SET status = 'cancelled'
      WHERE EXCLUDED.status = 'cancelled' AND j.status = 'pending'),
    ${profileWrites(37)}
    UPDATE inbox SET status = u.status, reason = u.reason, processed_at = $13,
      lease_owner = NULL, lease_until = NULL
    FROM unnest($10::bigint[], $11::text[], $12::text[]) AS u(id, status, reason)
    WHERE inbox.id = u.id`,
  scanInbox: `SELECT id, shop, webhook_id, source, topic, event_id, triggered_at, api_version, received_at, attempts,
      headers, body
    FROM inbox WHERE shop = $1 AND id > $2 ORDER BY id LIMIT $3`,
  scanOutbox: `SELECT id, destination, message_id, inbox_id, status, payload FROM outbox
    WHERE shop = $1 AND id > $2 ORDER BY id LIMIT $3`,
  // One statement: messages, links and bodies change together, and the queued messages are written with them.
  redact: `WITH messages AS (
      UPDATE outbox SET payload = $1, user_id = NULL, anonymous_id = NULL,
        status = CASE WHEN status = 'pending' THEN 'skipped' ELSE status END,
        last_error = CASE WHEN status = 'pending' THEN $2 ELSE last_error END,
        lease_owner = NULL, lease_until = NULL
      WHERE id = ANY($3::bigint[]) RETURNING 1),
    links AS (
      DELETE FROM identity_links WHERE shop = $4 AND anonymous_id = ANY($5::text[]) RETURNING 1),
    ${profileDeletes(4, 15)}
    states AS (
      DELETE FROM resource_state WHERE shop = $4 AND state->>'anonymousId' = ANY($5::text[])),
    bodies AS (
      UPDATE inbox SET headers = '{}'::jsonb, body = convert_to($1, 'UTF8') WHERE id = ANY($6::bigint[]) RETURNING 1),
    queued AS (
      INSERT INTO outbox (destination, message_id, shop, inbox_id, event_name, payload, received_at, status,
        next_attempt_at, created_at)
      SELECT q.*, 'pending', $12::bigint, $12::bigint
      FROM unnest($7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[], $13::text[], $14::bigint[]) AS q
      ON CONFLICT (destination, message_id) DO NOTHING)
    SELECT (SELECT count(*) FROM messages) AS outbox, (SELECT count(*) FROM links) AS links,
      (SELECT count(*) FROM bodies) AS inbox, ${profileDeleteCount} AS profiles`,
  forgetShop: `WITH messages AS (DELETE FROM outbox WHERE shop = $1 RETURNING 1),
    links AS (DELETE FROM identity_links WHERE shop = $1 RETURNING 1),
    states AS (DELETE FROM resource_state WHERE shop = $1 RETURNING 1),
    jobs AS (DELETE FROM scheduled_jobs WHERE shop = $1 RETURNING 1),
    traits AS (DELETE FROM profile_traits WHERE shop = $1 RETURNING 1),
    orders AS (DELETE FROM profile_orders WHERE shop = $1 RETURNING 1),
    refunds AS (DELETE FROM profile_refunds WHERE shop = $1 RETURNING 1),
    anonymous_ids AS (DELETE FROM profile_anonymous_ids WHERE shop = $1 RETURNING 1)
    SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM links) + (SELECT count(*) FROM states)
      + (SELECT count(*) FROM jobs) + (SELECT count(*) FROM traits) + (SELECT count(*) FROM orders)
      + (SELECT count(*) FROM refunds) + (SELECT count(*) FROM anonymous_ids) AS deleted`,
  findResourceStates: `SELECT s.shop, s.kind, s.resource_id, s.version, s.state
    FROM resource_state s
    JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(shop, kind, id)
      ON s.shop = k.shop AND s.kind = k.kind AND s.resource_id = k.id`,
  claimJobs: `UPDATE scheduled_jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM scheduled_jobs
      WHERE status = 'pending' AND due_at <= $3 AND (lease_until IS NULL OR lease_until < $3)
      ORDER BY due_at, id LIMIT $4
      FOR NO KEY UPDATE SKIP LOCKED)
    RETURNING ${jobClaimColumns}`,
  // One statement: the job's messages and its done mark commit together.
  settleJobs: `WITH ${outboxInsertCte(14)}
    UPDATE scheduled_jobs SET status = u.status, reason = u.reason, processed_at = $13,
      lease_owner = NULL, lease_until = NULL
    FROM unnest($10::bigint[], $11::text[], $12::text[]) AS u(id, status, reason)
    WHERE scheduled_jobs.id = u.id AND scheduled_jobs.status = 'pending'`,
  forgetShopInbox: 'DELETE FROM inbox WHERE shop = $1',
  findIdentityLinks: `SELECT l.shop, l.token_kind, l.token, l.anonymous_id, l.linked_at
    FROM identity_links l
    JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(shop, token_kind, token)
      ON l.shop = k.shop AND l.token_kind = k.token_kind AND l.token = k.token`,
  findProfiles: findProfilesSql,
  customerProfile: `WITH orders AS (SELECT * FROM profile_orders WHERE customer_id = $1),
    customers AS (SELECT shop, customer_id FROM profile_traits WHERE customer_id = $1
      UNION SELECT shop, customer_id FROM orders
      UNION SELECT shop, customer_id FROM profile_anonymous_ids WHERE customer_id = $1)
    SELECT ${profileAggregates('orders', 'SELECT shop, customer_id FROM customers', 'SELECT shop, order_id FROM orders')}`,
  claimOutbox: `UPDATE outbox SET lease_owner = $1, lease_until = $2
    WHERE id IN (
      SELECT id FROM outbox
      WHERE destination = $3 AND status = 'pending' AND next_attempt_at <= $4
        AND (lease_until IS NULL OR lease_until < $4)
      ORDER BY next_attempt_at, id LIMIT $5
      FOR NO KEY UPDATE SKIP LOCKED)
    RETURNING id, destination, message_id, shop, inbox_id, event_name, payload, received_at, attempts,
      next_attempt_at`,
  // Rows backing off after a failed send (attempts > 0) whose next attempt lies ahead; leased rows are due, not ahead.
  expediteRetries: `UPDATE outbox SET next_attempt_at = $1
    WHERE destination = $2 AND status = 'pending' AND next_attempt_at > $1 AND attempts > 0`,
  // Only a pending row moves: a late answer from a worker whose lease expired must not reopen a delivered message.
  // One statement: the rows it settles are counted in their destination's minute (delivery_minutes) with them.
  settleOutbox: `WITH settled AS (
      UPDATE outbox o SET status = u.status, attempts = o.attempts + 1,
        next_attempt_at = COALESCE(u.next_attempt_at, o.next_attempt_at),
        last_error = COALESCE(u.error, o.last_error), delivered_at = u.delivered_at,
        lease_owner = NULL, lease_until = NULL
      FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[])
        AS u(id, status, next_attempt_at, error, delivered_at)
      WHERE o.id = u.id AND o.status = 'pending'
      RETURNING o.destination, o.status, $7::bigint - o.received_at AS latency)
    INSERT INTO delivery_minutes AS d (${deliveryMinuteColumns})
    SELECT destination, $6::bigint, COUNT(*) FILTER (WHERE status = 'delivered'),
      COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'dead'),
      COALESCE(SUM(GREATEST(latency, 0)) FILTER (WHERE status = 'delivered'), 0),
      COALESCE(MAX(GREATEST(latency, 0)) FILTER (WHERE status = 'delivered'), 0)
    FROM settled GROUP BY destination
    ON CONFLICT (minute, destination) DO UPDATE SET delivered = d.delivered + EXCLUDED.delivered,
      retried = d.retried + EXCLUDED.retried, dead = d.dead + EXCLUDED.dead,
      latency_ms_sum = d.latency_ms_sum + EXCLUDED.latency_ms_sum,
      latency_ms_max = GREATEST(d.latency_ms_max, EXCLUDED.latency_ms_max)`,
  // The literal topic list repeats the partial index's condition, so the planner may use it.
  receivedDeliveries: `SELECT id, shop, topic, webhook_id, status, reason, received_at, body FROM inbox
    WHERE topic IN ('orders/create', 'refunds/create') AND topic = $1
      AND received_at < $2 AND (received_at, id) > ($3::bigint, $4::bigint)
    ORDER BY received_at, id LIMIT $5`,
  orderMessages: `SELECT ${orderMessageColumns} FROM outbox
    WHERE order_id IS NOT NULL AND event_name = $1
      AND received_at < $2 AND (received_at, id) > ($3::bigint, $4::bigint)
    ORDER BY received_at, id LIMIT $5`,
  customerJourney: `SELECT ${journeyColumns} FROM outbox WHERE user_id = $1
    UNION
    SELECT ${journeyColumns} FROM outbox WHERE anonymous_id IN (
      SELECT anonymous_id FROM outbox WHERE user_id = $1 AND anonymous_id IS NOT NULL)
    ORDER BY received_at DESC, id DESC LIMIT $2`,
  queueHealth: queueHealthSql,
  deliveryMinutes: `SELECT ${deliveryMinuteColumns} FROM delivery_minutes WHERE minute >= $1 AND minute < $2
    ORDER BY destination, minute`,
  counts: countsSql,
  listFailedInbox: `SELECT id, shop, topic, webhook_id, status, reason, duplicates, received_at
    FROM inbox WHERE status = 'failed' ORDER BY id DESC LIMIT $1`,
  listDeadLetters: `SELECT id, destination, message_id, shop, event_name, last_error, attempts, payload
    FROM outbox WHERE status = 'dead' ORDER BY id DESC LIMIT $1`,
  listDeadLettersOf: `SELECT id, destination, message_id, shop, event_name, last_error, attempts, payload
    FROM outbox WHERE destination = $1 AND status = 'dead' ORDER BY id DESC LIMIT $2`,
  // Each filter parameter is null when the filter leaves it out.
  searchMessages: `SELECT id, destination, message_id, shop, event_name, status, attempts, last_error, received_at,
      delivered_at
    FROM outbox
    WHERE ($1::text IS NULL OR shop = $1) AND ($2::text IS NULL OR event_name = $2)
      AND ($3::text IS NULL OR destination = $3)
      AND ($4::bigint IS NULL OR received_at >= $4) AND ($5::bigint IS NULL OR received_at < $5)
      AND ($7::text IS NULL OR user_id = $7) AND ($8::text IS NULL OR order_id = $8)
    ORDER BY received_at DESC, id DESC LIMIT $6`,
  outboxStatuses: 'SELECT id, status FROM outbox WHERE id = ANY($1::bigint[])',
  // A pending row is left alone: it is queued already, and clearing its lease would hand it to a second worker.
  requeueInbox: `UPDATE inbox SET status = 'pending', reason = NULL, processed_at = NULL, attempts = 0,
      lease_owner = NULL, lease_until = NULL
    WHERE status <> 'pending' AND id = ANY($1::bigint[])`,
  leaseOwners: `SELECT lease_owner FROM inbox WHERE status = 'pending' AND lease_owner IS NOT NULL
    UNION SELECT lease_owner FROM outbox WHERE status = 'pending' AND lease_owner IS NOT NULL
    UNION SELECT lease_owner FROM scheduled_jobs WHERE status = 'pending' AND lease_owner IS NOT NULL`,
  deferInbox: `UPDATE inbox SET lease_until = $1
    WHERE status = 'pending' AND lease_owner = $2 AND id = ANY($3::bigint[])`,
  releaseInboxLeases: `UPDATE inbox SET lease_owner = NULL, lease_until = NULL
    WHERE status = 'pending' AND lease_owner = ANY($1::text[])`,
  releaseOutboxLeases: `UPDATE outbox SET lease_owner = NULL, lease_until = NULL
    WHERE status = 'pending' AND lease_owner = ANY($1::text[])`,
  releaseJobLeases: `UPDATE scheduled_jobs SET lease_owner = NULL, lease_until = NULL
    WHERE status = 'pending' AND lease_owner = ANY($1::text[])`,
} as const;

export type StatementName = keyof typeof sql;

/**
 * A replay's statement, named per combination of filters and holding only those, so each is planned with the index
 * that fits (outbox_order for orders, outbox_received for a window). A dry run counts per event name; a replay
 * puts the rows back in the queue and returns them.
 */
export function replayStatement(selection: ReplaySelection, dryRun: boolean, redacted: string, now: number): {
  name: string;
  text: string;
  values: unknown[];
} {
  const values: unknown[] = [selection.destination, redacted];
  const bind = (value: unknown, type: string) => `$${values.push(value)}::${type}`;
  const where = [
    'destination = $1',
    selection.include === 'dead' ? "status = 'dead'" : "status IN ('delivered', 'dead')",
    'payload <> $2',
    ...(selection.since === undefined ? [] : [`received_at >= ${bind(selection.since, 'bigint')}`]),
    ...(selection.until === undefined ? [] : [`received_at < ${bind(selection.until, 'bigint')}`]),
    ...(selection.orderIds === undefined ? [] : [`order_id = ANY(${bind(selection.orderIds, 'text[]')})`]),
    ...(selection.ids === undefined ? [] : [`id = ANY(${bind(selection.ids, 'bigint[]')})`]),
  ].join(' AND ');
  const name = replayShapeKey(selection, dryRun);
  if (dryRun) return { name, text: `SELECT event_name, COUNT(*) AS count FROM outbox WHERE ${where} GROUP BY event_name`, values };
  const text = `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ${bind(now, 'bigint')},
      delivered_at = NULL, lease_owner = NULL, lease_until = NULL
    WHERE ${where} RETURNING id, event_name`;
  return { name, text, values };
}
