import type { Command } from 'commander';
import { hasDestination, loadConfig } from '../config/load-config.ts';
import { runDemo } from '../demo/run-demo.ts';
import { createLogger } from '../observability/logger.ts';
import { startCartstream } from '../runtime.ts';
import { exitOnConfigError, onShutdownSignal } from './process-helpers.ts';

interface StartOptions {
  config?: string;
  role?: 'all' | 'ingest' | 'worker';
  demo?: boolean;
}

async function start(options: StartOptions): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(process.env, options.config));
  if (options.role) config.role = options.role;
  if (options.demo || !hasDestination(config)) {
    await runDemo(config);
    return;
  }
  const logger = createLogger(config.logLevel);
  const cartstream = await startCartstream(config, { logger });
  onShutdownSignal(async () => {
    logger.info('shutting down: finishing in-flight work');
    await cartstream.close();
  });
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run cartstream (the demo store and a local sink when no destination is configured)')
    .option('-c, --config <path>', 'config file (default: cartstream.config.json when present, then the environment)')
    .option('--role <role>', 'all | ingest | worker — several processes can share one PostgreSQL')
    .option('--demo', 'run the demo even when a destination is configured')
    .action(start);
}
