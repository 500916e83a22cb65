import type { AdminClient } from '../shopify-admin/admin-client.ts';
import { countOrders, fetchOrdersPage } from '../shopify-admin/fetch-orders.ts';
import type { InboxDelivery, Store } from '../store/store.ts';
import { backfillDeliveries } from './backfill-deliveries.ts';
import { backfillKey, type BackfillState } from './backfill-state.ts';
import type { ProgressReporter, ProgressTotal } from './progress.ts';

export interface BackfillOptions {
  client: AdminClient;
  /** Where deliveries go; not needed for a dry run. */
  store?: Store | undefined;
  state: BackfillState;
  shop: string;
  apiVersion: string;
  since: Date;
  until?: Date | undefined;
  /** Fetch and convert, but store nothing and keep no cursor. */
  dryRun?: boolean;
  /** Ignore a saved cursor and start the period from its beginning. */
  restart?: boolean;
  /** Orders per Admin API page (each costs query points; see order-queries.ts). */
  pageSize?: number;
  now?: () => number;
  /** Gets the period's order count (when Shopify gives one) and returns the reporter to use. */
  progress?: (total: ProgressTotal | undefined) => ProgressReporter;
}

export interface BackfillResult {
  /** Orders read in this run and the runs it resumed. */
  orders: number;
  /** Deliveries those orders make (each order and each of its refunds); in a dry run, what would be stored. */
  deliveries: number;
  /** Deliveries (orders and refunds) stored for the first time. */
  stored: number;
  /** Deliveries the inbox already had (an earlier backfill of the same orders). */
  alreadyStored: number;
  /** The cursor this run continued from, when it resumed an interrupted one. */
  resumedFrom: string | null;
}

const silent: ProgressReporter = { update: () => {}, end: () => {} };

async function storeDeliveries(store: Store, deliveries: InboxDelivery[]): Promise<{ stored: number; alreadyStored: number }> {
  if (deliveries.length === 0) return { stored: 0, alreadyStored: 0 };
  const results = await store.insertInbox(deliveries);
  const stored = results.filter((result) => result === 'stored').length;
  return { stored, alreadyStored: results.length - stored };
}

/**
 * Reads a shop's orders created in [since, until) through the Admin API, page by page, and stores each as an
 * orders/create delivery (and each refund as refunds/create) exactly as a webhook would be stored; the pipeline
 * maps them. The cursor is saved after every page's deliveries are stored, so an interrupted run continues where
 * it stopped; a page read twice stores nothing twice.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillResult> {
  const { client, store, state } = options;
  if (store === undefined && !options.dryRun) throw new Error('a backfill that stores needs a store');
  const now = options.now ?? Date.now;
  const period = { since: options.since, until: options.until };
  const key = backfillKey(options.shop, options.since, options.until);
  if (options.restart && !options.dryRun) state.clear(key);
  const saved = options.restart ? undefined : state.load(key);
  const total = await countOrders(client, options.since, options.until);
  const progress = options.progress?.(total) ?? silent;
  const result: BackfillResult = { orders: saved?.orders ?? 0, deliveries: saved === undefined ? 0 : saved.stored + saved.alreadyStored, stored: saved?.stored ?? 0, alreadyStored: saved?.alreadyStored ?? 0, resumedFrom: saved?.cursor ?? null };
  let cursor = saved?.cursor ?? null;
  try {
    do {
      const page = await fetchOrdersPage(client, period, cursor, options.pageSize ?? 5);
      const context = { shop: options.shop, apiVersion: options.apiVersion, receivedAt: now() };
      const deliveries = page.orders.flatMap((order) => backfillDeliveries(order, context));
      const counts = options.dryRun || store === undefined ? { stored: 0, alreadyStored: 0 } : await storeDeliveries(store, deliveries);
      result.orders += page.orders.length;
      result.deliveries += deliveries.length;
      result.stored += counts.stored;
      result.alreadyStored += counts.alreadyStored;
      cursor = page.nextCursor;
      if (cursor !== null && !options.dryRun) state.save(key, { cursor, orders: result.orders, stored: result.stored, alreadyStored: result.alreadyStored, updatedAt: new Date(now()).toISOString() });
      progress.update(result.orders, result.stored);
    } while (cursor !== null);
  } finally {
    progress.end();
  }
  if (!options.dryRun) state.clear(key);
  return result;
}
