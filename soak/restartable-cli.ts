/** One cartstream process slot on a fixed port and DB: SIGKILL it and start it again where Shopify keeps sending. */
import { startCliProcess, type CliProcess } from '../test/e2e/cartstream-process.ts';
import type { RssSampler } from './rss-sampler.ts';

export interface RestartableCli {
  url: string;
  current(): CliProcess;
  /** SIGKILL, then start again on the same DB file / URL and port; resolves once the new one is ready. */
  killAndRestart(): Promise<void>;
  kills(): number;
  /** Output of every process this slot ran (LOG_LEVEL=warn). */
  output(): string;
  stop(): Promise<void>;
}

export interface CliSlotOptions {
  db: string;
  port: number;
  sinkUrl: string;
  cwd: string;
  rss: RssSampler;
}

export async function restartableCli(options: CliSlotOptions): Promise<RestartableCli> {
  const start = async (): Promise<CliProcess> => {
    const cli = await startCliProcess({ db: options.db, port: options.port, sinkUrl: options.sinkUrl, cwd: options.cwd, readyTimeoutMs: 60_000 });
    options.rss.watch(cli.pid);
    return cli;
  };
  const logs: string[] = [];
  let cli = await start();
  let kills = 0;
  return {
    url: cli.url,
    current: () => cli,
    async killAndRestart() {
      await cli.kill();
      logs.push(cli.output());
      kills += 1;
      cli = await start();
    },
    kills: () => kills,
    output: () => [...logs, cli.output()].join('\n--- restart ---\n'),
    async stop() {
      await cli.kill(); // the soak's verdict is read from the store, so no graceful shutdown is needed
      logs.push(cli.output());
    },
  };
}
