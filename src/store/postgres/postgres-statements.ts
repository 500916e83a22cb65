import { countsSql } from '../rows.ts';

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
  settleInbox: `WITH messages AS (
      INSERT INTO outbox (destination, message_id, shop, inbox_id, event_name, payload, received_at, status,
        last_error, next_attempt_at, created_at)
      SELECT m.*, $13::bigint, $13::bigint
      FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[],
        $8::text[], $9::text[]) AS m
      ON CONFLICT (destination, message_id) DO NOTHING),
    links AS (
      INSERT INTO identity_links (shop, token_kind, token, anonymous_id, linked_at)
      SELECT * FROM unnest($14::text[], $15::text[], $16::text[], $17::text[], $18::bigint[])
      ON CONFLICT (shop, token_kind, token) DO NOTHING)
    UPDATE inbox SET status = u.status, reason = u.reason, processed_at = $13,
      lease_owner = NULL, lease_until = NULL
    FROM unnest($10::bigint[], $11::text[], $12::text[]) AS u(id, status, reason)
    WHERE inbox.id = u.id`,
  findIdentityLinks: `SELECT l.shop, l.token_kind, l.token, l.anonymous_id, l.linked_at
    FROM identity_links l
    JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(shop, token_kind, token)
      ON l.shop = k.shop AND l.token_kind = k.token_kind AND l.token = k.token`,
  claimOutbox: `UPDATE outbox SET lease_owner = $1, lease_until = $2
    WHERE id IN (
      SELECT id FROM outbox
      WHERE destination = $3 AND status = 'pending' AND next_attempt_at <= $4
        AND (lease_until IS NULL OR lease_until < $4)
      ORDER BY next_attempt_at, id LIMIT $5
      FOR NO KEY UPDATE SKIP LOCKED)
    RETURNING id, destination, message_id, shop, inbox_id, event_name, payload, received_at, attempts,
      next_attempt_at`,
  // Only a pending row moves: a late answer from a worker whose lease expired must not reopen a delivered message.
  settleOutbox: `UPDATE outbox o SET status = u.status, attempts = o.attempts + 1,
      next_attempt_at = COALESCE(u.next_attempt_at, o.next_attempt_at),
      last_error = COALESCE(u.error, o.last_error), delivered_at = u.delivered_at,
      lease_owner = NULL, lease_until = NULL
    FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[])
      AS u(id, status, next_attempt_at, error, delivered_at)
    WHERE o.id = u.id AND o.status = 'pending'`,
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
    ORDER BY received_at DESC, id DESC LIMIT $6`,
  requeueAllDead: `UPDATE outbox SET status = 'pending', next_attempt_at = $1, attempts = 0,
      lease_owner = NULL, lease_until = NULL
    WHERE destination = $2 AND status = 'dead'`,
  requeueDeadIds: `UPDATE outbox SET status = 'pending', next_attempt_at = $1, attempts = 0,
      lease_owner = NULL, lease_until = NULL
    WHERE destination = $2 AND status = 'dead' AND id = ANY($3::bigint[])`,
  // A pending row is left alone: it is queued already, and clearing its lease would hand it to a second worker.
  requeueInbox: `UPDATE inbox SET status = 'pending', reason = NULL, processed_at = NULL, attempts = 0,
      lease_owner = NULL, lease_until = NULL
    WHERE status <> 'pending' AND id = ANY($1::bigint[])`,
  leaseOwners: `SELECT lease_owner FROM inbox WHERE status = 'pending' AND lease_owner IS NOT NULL
    UNION SELECT lease_owner FROM outbox WHERE status = 'pending' AND lease_owner IS NOT NULL`,
  releaseInboxLeases: `UPDATE inbox SET lease_owner = NULL, lease_until = NULL
    WHERE status = 'pending' AND lease_owner = ANY($1::text[])`,
  releaseOutboxLeases: `UPDATE outbox SET lease_owner = NULL, lease_until = NULL
    WHERE status = 'pending' AND lease_owner = ANY($1::text[])`,
} as const;

export type StatementName = keyof typeof sql;
