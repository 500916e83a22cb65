import type { DatabaseSync } from 'node:sqlite';
import { missingMigrations, type Migration } from '../migration.ts';
import { inImmediateTransaction } from './sqlite-transaction.ts';

/*
 * The raw headers and body sit in inbox_payload, apart from the inbox row: SQLite rewrites a whole row on every
 * UPDATE, and claims and settlements update inbox rows, so with 10+ KB bodies inline they ran 4x slower.
 * Column order puts what claims and counts read first.
 */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'inbox and outbox',
    sql: `
      CREATE TABLE inbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        shop TEXT NOT NULL,
        webhook_id TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        lease_until INTEGER,
        lease_owner TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        source TEXT NOT NULL,
        topic TEXT NOT NULL,
        event_id TEXT,
        triggered_at TEXT,
        api_version TEXT,
        received_at INTEGER NOT NULL,
        processed_at INTEGER,
        reason TEXT,
        UNIQUE (shop, webhook_id)
      );
      CREATE TABLE inbox_payload (
        inbox_id INTEGER PRIMARY KEY REFERENCES inbox (id),
        headers TEXT NOT NULL,
        body BLOB NOT NULL
      );
      CREATE INDEX inbox_claim ON inbox (status, id);
      CREATE INDEX inbox_duplicates ON inbox (duplicates) WHERE duplicates > 0;

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        destination TEXT NOT NULL,
        message_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead', 'skipped')),
        next_attempt_at INTEGER NOT NULL,
        lease_until INTEGER,
        lease_owner TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        shop TEXT NOT NULL,
        inbox_id INTEGER NOT NULL REFERENCES inbox (id),
        event_name TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        last_error TEXT,
        payload TEXT NOT NULL,
        UNIQUE (destination, message_id)
      );
      CREATE INDEX outbox_claim ON outbox (destination, status, next_attempt_at);
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
        linked_at INTEGER NOT NULL,
        PRIMARY KEY (shop, token_kind, token)
      );
    `,
  },
  {
    version: 4,
    name: 'message facts and delivery minutes',
    // Who and which order each message is about, in columns, so the customer journey and the accuracy report
    // query indexes instead of parsing every destination's wire format; rows written before are filled from
    // their JSON. Per-minute delivery counts are kept in the database, not in one process's memory, because
    // the process serving the console is often not the one delivering (threads, --role worker processes).
    // The partial indexes leave the hot insert paths alone for rows the reports never look for.
    sql: `
      ALTER TABLE outbox ADD COLUMN user_id TEXT;
      ALTER TABLE outbox ADD COLUMN anonymous_id TEXT;
      ALTER TABLE outbox ADD COLUMN order_id TEXT;
      ALTER TABLE outbox ADD COLUMN currency TEXT;
      ALTER TABLE outbox ADD COLUMN amount_minor INTEGER;
      UPDATE outbox SET
          user_id = CAST(json_extract(payload, '$.userId') AS TEXT),
          anonymous_id = CAST(COALESCE(json_extract(payload, '$.anonymousId'), json_extract(payload, '$.previousId')) AS TEXT),
          order_id = CAST(json_extract(payload, '$.properties.order_id') AS TEXT)
        WHERE json_valid(payload);
      CREATE INDEX outbox_user ON outbox (user_id) WHERE user_id IS NOT NULL;
      CREATE INDEX outbox_anonymous ON outbox (anonymous_id) WHERE anonymous_id IS NOT NULL;
      CREATE INDEX outbox_order_events ON outbox (event_name, received_at, id) WHERE order_id IS NOT NULL;
      CREATE INDEX inbox_order_topics ON inbox (topic, received_at, id) WHERE topic IN ('orders/create', 'refunds/create');
      CREATE TABLE delivery_minutes (
        minute INTEGER NOT NULL,
        destination TEXT NOT NULL,
        delivered INTEGER NOT NULL DEFAULT 0,
        retried INTEGER NOT NULL DEFAULT 0,
        dead INTEGER NOT NULL DEFAULT 0,
        latency_ms_sum INTEGER NOT NULL DEFAULT 0,
        latency_ms_max INTEGER NOT NULL DEFAULT 0,
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
        version INTEGER NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (shop, kind, resource_id)
      );
      CREATE TABLE scheduled_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        shop TEXT NOT NULL,
        kind TEXT NOT NULL,
        job_key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'cancelled')),
        due_at INTEGER NOT NULL,
        lease_until INTEGER,
        lease_owner TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        inbox_id INTEGER NOT NULL REFERENCES inbox (id),
        received_at INTEGER NOT NULL,
        processed_at INTEGER,
        reason TEXT,
        payload TEXT NOT NULL,
        UNIQUE (shop, kind, job_key)
      );
      CREATE INDEX scheduled_jobs_due ON scheduled_jobs (due_at, id) WHERE status = 'pending';
    `,
  },
  {
    version: 7,
    name: 'customer profiles',
    // The customer profile store (see profiles/): traits as of the newest customer record, and one row per order and
    // per refund, so a replayed order or a retried refund is written once and lifetime value is derived from them.
    // Keys lead with customer_id: the admin API reads a profile by customer id alone. Traits are kept as text, not
    // parsed, so they read back exactly as written.
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
        total_minor INTEGER NOT NULL,
        placed_at TEXT NOT NULL,
        PRIMARY KEY (shop, order_id)
      );
      CREATE INDEX profile_orders_customer ON profile_orders (customer_id, shop);
      CREATE TABLE profile_refunds (
        shop TEXT NOT NULL,
        refund_id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        currency TEXT NOT NULL,
        amount_minor INTEGER NOT NULL,
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

/** Applies the missing steps in one IMMEDIATE transaction (so two processes migrating queue up); returns how many. */
export function migrateSqlite(db: DatabaseSync, now: number = Date.now()): number {
  return inImmediateTransaction(db, () => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
    const rows = db.prepare('SELECT version FROM schema_migrations').all();
    const steps = missingMigrations(sqliteMigrations, new Set(rows.map((row) => Number(row.version))));
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const step of steps) {
      db.exec(step.sql);
      record.run(step.version, step.name, now);
    }
    return steps.length;
  });
}
