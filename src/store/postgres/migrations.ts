import type { Pool } from 'pg';
import { missingMigrations, type Migration } from '../migration.ts';
import { inTransaction } from './pg-transaction.ts';

export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'inbox and outbox',
    sql: `
      CREATE TABLE inbox (
        id BIGSERIAL PRIMARY KEY,
        shop TEXT NOT NULL,
        source TEXT NOT NULL,
        topic TEXT NOT NULL,
        webhook_id TEXT NOT NULL,
        event_id TEXT,
        triggered_at TEXT,
        api_version TEXT,
        headers JSONB NOT NULL,
        body BYTEA NOT NULL,
        received_at BIGINT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until BIGINT,
        processed_at BIGINT,
        duplicates INTEGER NOT NULL DEFAULT 0,
        UNIQUE (shop, webhook_id)
      );
      CREATE INDEX inbox_claim ON inbox (status, id);
      CREATE INDEX inbox_duplicates ON inbox (duplicates) WHERE duplicates > 0;

      CREATE TABLE outbox (
        id BIGSERIAL PRIMARY KEY,
        destination TEXT NOT NULL,
        message_id TEXT NOT NULL,
        shop TEXT NOT NULL,
        inbox_id BIGINT NOT NULL REFERENCES inbox (id),
        event_name TEXT NOT NULL,
        payload TEXT NOT NULL,
        received_at BIGINT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead', 'skipped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        last_error TEXT,
        lease_owner TEXT,
        lease_until BIGINT,
        created_at BIGINT NOT NULL,
        delivered_at BIGINT,
        UNIQUE (destination, message_id)
      );
      -- id last so claims read the index in (next_attempt_at, id) order without a sort.
      CREATE INDEX outbox_claim ON outbox (destination, status, next_attempt_at, id);
    `,
  },
  {
    version: 2,
    name: 'event search index',
    // The admin API lists messages newest first, optionally within a time window.
    sql: 'CREATE INDEX outbox_received ON outbox (received_at, id)',
  },
  {
    version: 3,
    name: 'identity links',
    // A browser event that carried a cart or checkout token links it to the browser's anonymousId, so a later
    // server event for that cart joins the same person even when the cart attribute never arrived.
    sql: `
      CREATE TABLE identity_links (
        shop TEXT NOT NULL,
        token_kind TEXT NOT NULL CHECK (token_kind IN ('cart', 'checkout')),
        token TEXT NOT NULL,
        anonymous_id TEXT NOT NULL,
        linked_at BIGINT NOT NULL,
        PRIMARY KEY (shop, token_kind, token)
      );
    `,
  },
  {
    version: 4,
    name: 'message facts and delivery minutes',
    // See the SQLite step of the same version for why. Rows written before are filled from their JSON, except
    // the rare payload with a \u escape, which jsonb may refuse (\u0000, lone surrogates): a migration must not
    // fail on old data.
    sql: `
      ALTER TABLE outbox ADD COLUMN user_id TEXT, ADD COLUMN anonymous_id TEXT, ADD COLUMN order_id TEXT,
        ADD COLUMN currency TEXT, ADD COLUMN amount_minor BIGINT;
      UPDATE outbox SET user_id = j.p->>'userId', anonymous_id = COALESCE(j.p->>'anonymousId', j.p->>'previousId'),
          order_id = j.p->'properties'->>'order_id'
        FROM (SELECT id, payload::jsonb AS p FROM outbox WHERE strpos(payload, '\\u') = 0) AS j
        WHERE outbox.id = j.id;
      CREATE INDEX outbox_user ON outbox (user_id) WHERE user_id IS NOT NULL;
      CREATE INDEX outbox_anonymous ON outbox (anonymous_id) WHERE anonymous_id IS NOT NULL;
      CREATE INDEX outbox_order_events ON outbox (event_name, received_at, id) WHERE order_id IS NOT NULL;
      CREATE INDEX inbox_order_topics ON inbox (topic, received_at, id) WHERE topic IN ('orders/create', 'refunds/create');
      CREATE TABLE delivery_minutes (
        minute BIGINT NOT NULL,
        destination TEXT NOT NULL,
        delivered BIGINT NOT NULL DEFAULT 0,
        retried BIGINT NOT NULL DEFAULT 0,
        dead BIGINT NOT NULL DEFAULT 0,
        latency_ms_sum BIGINT NOT NULL DEFAULT 0,
        latency_ms_max BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (minute, destination)
      );
      INSERT INTO delivery_minutes (minute, destination, delivered, latency_ms_sum, latency_ms_max)
        SELECT delivered_at - delivered_at % 60000, destination, COUNT(*), SUM(delivered_at - received_at),
            MAX(delivered_at - received_at)
          FROM outbox WHERE status = 'delivered' AND delivered_at IS NOT NULL
          GROUP BY delivered_at - delivered_at % 60000, destination;
    `,
  },
  {
    version: 5,
    name: 'order id index',
    // A replay selects a destination's messages by order id (`cartstream replay --orders`); the index of version 4
    // leads with event_name, so it cannot find an order's messages whatever their event.
    sql: 'CREATE INDEX outbox_order ON outbox (order_id) WHERE order_id IS NOT NULL',
  },
  {
    version: 6,
    name: 'resource state and scheduled jobs',
    // resource_state: the last state of an order, cart or checkout the mappers compare deliveries with; version is
    // Shopify's updated_at (epoch ms), so an older delivery never replaces a newer state. scheduled_jobs: work due
    // later (the 10 s cart debounce, checkout abandonment), claimed like the inbox; (shop, kind, job_key) is unique
    // so a retried delivery schedules nothing twice and a cancel written first still wins.
    sql: `
      CREATE TABLE resource_state (
        shop TEXT NOT NULL,
        kind TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        version BIGINT NOT NULL,
        state JSONB NOT NULL,
        PRIMARY KEY (shop, kind, resource_id)
      );
      CREATE TABLE scheduled_jobs (
        id BIGSERIAL PRIMARY KEY,
        shop TEXT NOT NULL,
        kind TEXT NOT NULL,
        job_key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'cancelled')),
        due_at BIGINT NOT NULL,
        lease_until BIGINT,
        lease_owner TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        inbox_id BIGINT NOT NULL REFERENCES inbox (id),
        received_at BIGINT NOT NULL,
        processed_at BIGINT,
        reason TEXT,
        payload JSONB NOT NULL,
        UNIQUE (shop, kind, job_key)
      );
      CREATE INDEX scheduled_jobs_due ON scheduled_jobs (due_at, id) WHERE status = 'pending';
    `,
  },
  {
    version: 7,
    name: 'customer profiles',
    // See the SQLite step of the same version for why; traits stay TEXT (jsonb would reorder their keys).
    sql: `
      CREATE TABLE profile_traits (
        customer_id TEXT NOT NULL,
        shop TEXT NOT NULL,
        traits TEXT NOT NULL,
        traits_version TEXT,
        PRIMARY KEY (customer_id, shop)
      );
      CREATE TABLE profile_orders (
        shop TEXT NOT NULL,
        order_id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        currency TEXT NOT NULL,
        total_minor BIGINT NOT NULL,
        placed_at TEXT NOT NULL,
        PRIMARY KEY (shop, order_id)
      );
      CREATE INDEX profile_orders_customer ON profile_orders (customer_id, shop);
      CREATE TABLE profile_refunds (
        shop TEXT NOT NULL,
        refund_id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        currency TEXT NOT NULL,
        amount_minor BIGINT NOT NULL,
        PRIMARY KEY (shop, refund_id)
      );
      CREATE INDEX profile_refunds_order ON profile_refunds (shop, order_id);
      CREATE TABLE profile_anonymous_ids (
        customer_id TEXT NOT NULL,
        shop TEXT NOT NULL,
        anonymous_id TEXT NOT NULL,
        PRIMARY KEY (customer_id, shop, anonymous_id)
      );
    `,
  },
];

const migrationLockSql =
  "SELECT pg_advisory_xact_lock(hashtext('cartstream.migrate:' || COALESCE($1, current_schema())))";

/**
 * Creates the schema if needed and applies the missing steps in one transaction; returns how many. The advisory
 * lock (per schema) makes a second process wait and then find nothing left to do.
 */
export async function migratePostgres(pool: Pool, schema: string | null, now: number = Date.now()): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query(migrationLockSql, [schema]);
    if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const steps = missingMigrations(postgresMigrations, new Set(rows.map((row) => Number(row.version))));
    for (const step of steps) {
      await client.query(step.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        step.version,
        step.name,
        now,
      ]);
    }
    return steps.length;
  });
}
