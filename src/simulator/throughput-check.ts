/**
 * Measures the simulator on this machine: generator and template throughput, and the sender against a trivial
 * fastify server (answers 200) in a child process, so the two use both cores as a real benchmark would.
 * Run: node src/simulator/throughput-check.ts [requests] [concurrency]   (only talks to 127.0.0.1)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { buildOrderCreateTemplate } from './order-template.ts';
import { sendWebhooks } from './send-webhooks.ts';
import { simulateWebhooks } from './store-simulator.ts';

const shop = 'throughput.myshopify.com';
const startTime = '2025-03-01T12:00:00Z';

async function serve(): Promise<void> {
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/webhooks/shopify', async () => ({ ok: true }));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${address}\n`);
}

function rate(count: number, ms: number): string {
  return `${Math.round((count * 1_000) / ms)}/s`;
}

async function measure(requests: number, concurrency: number): Promise<void> {
  let t = performance.now();
  const simulated = simulateWebhooks({ shop, seed: 7, startTime, count: 20_000 });
  console.log(`generator: 20000 webhooks in ${Math.round(performance.now() - t)} ms (${rate(20_000, performance.now() - t)})`);
  t = performance.now();
  const orders = Array.from({ length: requests }, (_, index) => buildOrderCreateTemplate({ shop, index, startTime }));
  console.log(`order template: ${requests} bodies of ~${orders[0]?.body.length} B (${rate(requests, performance.now() - t)})`);
  const server = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(server.stdout, 'data')) as [Buffer];
    const url = `${line.toString().trim()}/webhooks/shopify`;
    for (const [name, webhooks] of [['11 KB orders/create', orders], ['simulated mix', simulated.slice(0, requests)]] as const) {
      const cpuBefore = process.cpuUsage();
      const summary = await sendWebhooks(url, webhooks, { shop, secret: 'throughput-secret', concurrency });
      const cpu = process.cpuUsage(cpuBefore);
      const senderCore = ((cpu.user + cpu.system) / 1_000 / summary.durationMs) * 100;
      const { p50, p99 } = summary.latencyMs;
      console.log(`sender (${name}, concurrency ${concurrency}): ${summary.sent} requests, ${Math.round(summary.requestsPerSecond)} req/s, p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, statuses ${JSON.stringify(summary.statusCounts)}, sender CPU ${Math.round(senderCore)}% of a core`);
    }
  } finally {
    server.kill();
  }
}

if (process.argv[2] === 'serve') await serve();
else await measure(Number(process.argv[2] ?? 20_000), Number(process.argv[3] ?? 32));
