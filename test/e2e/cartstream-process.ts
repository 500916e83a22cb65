/**
 * Runs the real `cartstream start` CLI as a child process for the crash tests: configured through the environment
 * only (as an operator would), answering on 127.0.0.1, and killable with SIGKILL at any moment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { e2eSecret, e2eShop, e2eWriteKey, waitFor } from './e2e-harness.ts';

const binPath = fileURLToPath(new URL('../../bin/cartstream.js', import.meta.url));
const pinnedNode = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url));

export interface CliProcessOptions {
  db: string;
  port: number;
  sinkUrl: string;
  /** Working directory (keeps a stray cartstream.config.json out of the test). */
  cwd: string;
  readyTimeoutMs?: number;
}

export interface CliProcess {
  url: string;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far (LOG_LEVEL=warn keeps it short). */
  output(): string;
  /** SIGKILL: no shutdown hook runs, in-flight requests and claimed rows are abandoned. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the graceful shutdown; rejects when it does not exit 0 in time. */
  stop(timeoutMs?: number): Promise<void>;
  exited(): boolean;
}

/** A port that was free a moment ago, so every restart can listen where Shopify keeps sending. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (typeof address !== 'object' || address === null) throw new Error('could not find a free port');
  return address.port;
}

/**
 * The Node 24 binary: bin/cartstream.js re-spawns itself under the pinned Node when started by an older one, and
 * SIGKILL on that wrapper would leave the real server running, so start the right binary directly.
 */
function node24(): string {
  return Number(process.versions.node.split('.')[0]) >= 24 ? process.execPath : pinnedNode;
}

function childEnv(options: CliProcessOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    PORT: String(options.port),
    HOST: '127.0.0.1',
    CARTSTREAM_DB: options.db,
    SHOPIFY_SHOP_DOMAIN: e2eShop,
    SHOPIFY_WEBHOOK_SECRET: e2eSecret,
    SEGMENT_WRITE_KEY: e2eWriteKey,
    SEGMENT_ENDPOINT: options.sinkUrl,
    LOG_LEVEL: 'warn',
  };
}

async function isReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

/** Starts `cartstream start` and resolves once GET /readyz answers 200. */
export async function startCliProcess(options: CliProcessOptions): Promise<CliProcess> {
  const args = ['--max-old-space-size=192', '--max-semi-space-size=8', binPath, 'start'];
  const child: ChildProcess = spawn(node24(), args, { cwd: options.cwd, env: childEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const exit = once(child, 'exit');
  const url = `http://127.0.0.1:${options.port}`;
  const cli: CliProcess = {
    url,
    pid: child.pid ?? -1,
    output: () => chunks.join(''),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async kill() {
      if (cli.exited()) return;
      child.kill('SIGKILL');
      await exit;
    },
    async stop(timeoutMs = 10_000) {
      if (cli.exited()) throw new Error(`cartstream had already exited: ${cli.output()}`);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const [code, signal] = (await exit) as [number | null, string | null];
      clearTimeout(timer);
      if (code !== 0) throw new Error(`cartstream did not shut down cleanly (code ${code}, signal ${signal}): ${cli.output()}`);
    },
  };
  try {
    await waitFor(`cartstream (pid ${child.pid}) to answer GET /readyz`, async () => {
      if (cli.exited()) throw new Error(`cartstream exited before it was ready: ${cli.output()}`);
      return (await isReady(url)) ? null : 'a 200 from /readyz';
    }, options.readyTimeoutMs ?? 10_000);
  } catch (error) {
    await cli.kill();
    throw error;
  }
  return cli;
}
