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
