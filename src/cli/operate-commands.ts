import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { exitOnConfigError } from './process-helpers.ts';
import { registerReplayCommand } from './replay-command.ts';

async function withStore(configPath: string | undefined, use: (store: Store) => Promise<void>): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(process.env, configPath));
  const store = await openStore(config.db);
  try {
    await use(store);
  } finally {
    await store.close();
  }
}

function parseIds(value: string | undefined): number[] | null {
  if (!value) return null;
  return value.split(',').map((id) => Number(id.trim())).filter((id) => Number.isInteger(id));
}

export function registerOperateCommands(program: Command): void {
  program
    .command('migrate')
    .description('create or upgrade the database schema (start does this too)')
    .option('-c, --config <path>', 'config file')
    .action(async (options: { config?: string }) => withStore(options.config, async (store) => {
      console.log(`schema is up to date (${store.engine})`);
    }));

  program
    .command('status')
    .description('queue depths, lag (age of the oldest waiting row) and each destination\'s backlog')
    .option('-c, --config <path>', 'config file')
    .option('--json', 'print JSON')
    .action(async (options: { config?: string; json?: boolean }) => withStore(options.config, async (store) => {
      const [counts, health] = await Promise.all([store.counts(), store.queueHealth()]);
      if (options.json) return console.log(JSON.stringify({ ...counts, queues: health }));
      const lag = (oldest: number | null) => (oldest === null ? 'nothing waiting' : `oldest waiting ${formatAge(Date.now() - oldest)}`);
      console.log(`inbox   pending ${counts.inbox.pending}  done ${counts.inbox.done}  failed ${counts.inbox.failed}  (duplicates acknowledged: ${counts.duplicates})  ${lag(health.inbox.oldestReceivedAt)}`);
      console.log(`outbox  pending ${counts.outbox.pending}  delivered ${counts.outbox.delivered}  dead ${counts.outbox.dead}  skipped ${counts.outbox.skipped}`);
      for (const d of health.destinations) {
        console.log(`  ${d.destination.padEnd(20)} pending ${d.pending} (retrying ${d.retrying})  dead ${d.dead}  ${lag(d.oldestReceivedAt)}`);
      }
    }));

  program
    .command('failed')
    .description('deliveries that could not be parsed or mapped, with the reason')
    .option('-c, --config <path>', 'config file')
    .option('-n, --limit <n>', 'how many', '50')
    .option('--reprocess <ids>', 'comma-separated inbox ids to map again (same messageIds)')
    .action(async (options: { config?: string; limit: string; reprocess?: string }) => withStore(options.config, async (store) => {
      const ids = parseIds(options.reprocess);
      if (ids) return console.log(`requeued ${await store.requeueInbox(ids, Date.now())} deliveries`);
      for (const row of await store.listFailedInbox(Number(options.limit))) {
        console.log(`#${row.id}  ${new Date(row.receivedAt).toISOString()}  ${row.shop}  ${row.topic}  ${row.reason ?? ''}`);
      }
    }));

  program
    .command('dead-letters')
    .description('messages a destination refused for good, with the reason')
    .option('-c, --config <path>', 'config file')
    .option('-d, --destination <name>', 'only this destination')
    .option('-n, --limit <n>', 'how many', '50')
    .action(async (options: { config?: string; destination?: string; limit: string }) => withStore(options.config, async (store) => {
      for (const dead of await store.listDeadLetters(options.destination ?? null, Number(options.limit))) {
        console.log(`#${dead.id}  ${dead.destination}  ${dead.eventName}  ${dead.messageId}  after ${dead.attempts} attempts: ${dead.reason}`);
      }
    }));

  registerReplayCommand(program);
}

/** 42 s, 7 min, 3.5 h, 2.1 d: the age of the oldest waiting row, at a glance. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}
