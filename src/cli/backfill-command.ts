import type { Command } from 'commander';
import { backfillStatePath, openBackfillState } from '../backfill/backfill-state.ts';
import { createProgressReporter } from '../backfill/progress.ts';
import { runBackfill, type BackfillResult } from '../backfill/run-backfill.ts';
import { loadConfig } from '../config/load-config.ts';
import { AdminApiError } from '../shopify-admin/admin-errors.ts';
import { openStore } from '../store/open-store.ts';
import { adminClientFor, adminShop, exitWithoutShop } from './admin-shop.ts';
import { exitOnConfigError } from './process-helpers.ts';

interface BackfillCliOptions {
  since: string;
  until?: string;
  shop?: string;
  dryRun?: boolean;
  restart?: boolean;
  config?: string;
  pageSize: string;
}

/** "2026-01-31" (UTC midnight) or a full ISO time; exits with the flag named when it is neither. */
function parseDate(flag: string, value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    console.error(`${flag}: "${value}" is not a date (use 2026-01-31 or 2026-01-31T12:00:00Z)`);
    process.exit(2);
  }
  return date;
}

function summary(result: BackfillResult, dryRun: boolean): string {
  if (dryRun) return `dry run: ${result.orders} orders → ${result.deliveries} deliveries would be stored (nothing was stored)`;
  const resumed = result.resumedFrom === null ? '' : ' (resumed an interrupted run)';
  return `${result.orders} orders${resumed} → ${result.stored} new deliveries stored, ${result.alreadyStored} already stored. `
    + 'A running cartstream maps them now (same messageIds as live webhooks, so nothing is sent twice).';
}

async function backfill(options: BackfillCliOptions): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(process.env, options.config));
  const shop = exitWithoutShop(adminShop(config, options.shop));
  const since = parseDate('--since', options.since);
  const until = options.until === undefined ? undefined : parseDate('--until', options.until);
  const pageSize = Number(options.pageSize);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50) {
    console.error('--page-size: must be a whole number from 1 to 50');
    process.exit(2);
  }
  const dryRun = options.dryRun === true;
  const store = dryRun ? undefined : await openStore(config.db);
  const statePath = backfillStatePath(config.db);
  try {
    const result = await runBackfill({
      client: adminClientFor(config, shop), store, state: openBackfillState(statePath), shop: shop.domain,
      apiVersion: config.shopifyAdmin.apiVersion, since, until, dryRun, restart: options.restart === true, pageSize,
      progress: (total) => createProgressReporter(process.stderr, total),
    });
    console.log(summary(result, dryRun));
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    console.error(error.message);
    if (!dryRun) console.error(`Progress is saved in ${statePath}: run the same command again to continue (--restart starts over).`);
    process.exitCode = 1;
  } finally {
    await store?.close();
  }
}

export function registerBackfillCommand(program: Command): void {
  program
    .command('backfill')
    .description('store historical orders and refunds from the Admin API as if their webhooks had arrived (resumable)')
    .requiredOption('--since <date>', 'orders created at or after this date (2026-01-31 or an ISO time, UTC)')
    .option('--until <date>', 'orders created before this date (default: now)')
    .option('--shop <domain>', 'which configured shop (default: the only one with an Admin API token)')
    .option('--dry-run', 'read and convert, store nothing')
    .option('--restart', 'ignore the saved position of an interrupted run of the same period')
    .option('--page-size <n>', 'orders per Admin API request (query cost grows with it)', '5')
    .option('-c, --config <path>', 'config file')
    .action(backfill);
}
