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
    .description('queue depths: inbox and outbox rows by status, duplicates received')
    .option('-c, --config <path>', 'config file')
    .option('--json', 'print JSON')
    .action(async (options: { config?: string; json?: boolean }) => withStore(options.config, async (store) => {
      const counts = await store.counts();
      if (options.json) return console.log(JSON.stringify(counts));
      console.log(`inbox   pending ${counts.inbox.pending}  done ${counts.inbox.done}  failed ${counts.inbox.failed}  (duplicates acknowledged: ${counts.duplicates})`);
      console.log(`outbox  pending ${counts.outbox.pending}  delivered ${counts.outbox.delivered}  dead ${counts.outbox.dead}  skipped ${counts.outbox.skipped}`);
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
