import { destinationOptionsOf } from '../destination-options.ts';
import type { Destination } from '../destination.ts';
import { createPostgresWarehouse } from './postgres-writer.ts';
import { warehouseTarget, type ResolvedWarehouseSettings } from './settings.ts';
import { createSqliteWarehouse } from './sqlite-writer.ts';
import { toWarehouseEvent } from './warehouse-rows.ts';
import type { WarehouseWriter } from './warehouse-writer.ts';

export { warehouseSettingsSchema, type ResolvedWarehouseSettings, type WarehouseSettings, type WarehouseSettingsInput } from './settings.ts';
export { toWarehouseEvent, warehouseRows, type WarehouseRow } from './warehouse-rows.ts';

/**
 * No API limits here, only ours: one event's rows (an order with many products is a few tens of KB) and a batch
 * held in memory while its transaction runs.
 */
export const warehouseLimits = { maxEventBytes: 1024 * 1024, maxBatchBytes: 16 * 1024 * 1024 } as const;

export interface WarehouseOptions {
  /** The clock for received_at / sent_at (tests fix it). */
  now?: () => number;
}

function writerFor(settings: ResolvedWarehouseSettings): WarehouseWriter {
  const target = warehouseTarget(settings.db);
  const { maxColumnsPerTable } = settings;
  if (target.kind === 'sqlite') return createSqliteWarehouse({ path: target.path, busyTimeoutMs: settings.busyTimeoutMs, maxColumnsPerTable });
  return createPostgresWarehouse({ ...target, statementTimeoutMs: settings.statementTimeoutMs, maxColumnsPerTable });
}

/**
 * Segment's warehouse layout written by cartstream itself: tracks, one table per event, identifies, users, pages,
 * aliases, in a SQLite file or a PostgreSQL schema. Idempotent on messageId; the connection opens on first send.
 */
export function createWarehouseDestination(settings: ResolvedWarehouseSettings, options: WarehouseOptions = {}): Destination {
  const writer = writerFor(settings);
  const now = options.now ?? Date.now;
  return {
    name: 'warehouse',
    options: destinationOptionsOf(settings),
    limits: { maxBatchEvents: settings.maxBatchEvents, ...warehouseLimits },
    transform: toWarehouseEvent,
    send: (events) => writer.write(events, new Date(now()).toISOString()),
    forget: (subject) => writer.forget(subject),
    close: () => writer.close(),
  };
}
