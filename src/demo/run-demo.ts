import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { CartstreamConfig } from '../config/config-schema.ts';
import { segmentSettingsSchema } from '../destinations/segment/settings.ts';
import { startSegmentSink } from '../local-sink/segment-sink.ts';
import { createLogger } from '../observability/logger.ts';
import { startCartstream, type Cartstream } from '../runtime.ts';
import { createStoreSimulator } from '../simulator/store-simulator.ts';
import { sendWebhooks } from '../simulator/send-webhooks.ts';
import { onShutdownSignal } from '../cli/process-helpers.ts';
import { demoGuide, formatDemoSummary } from './demo-summary.ts';

const demoShop = 'cartstream-demo.myshopify.com';
const demoWriteKey = 'demo-write-key';
const webhooksPerSecond = 20;
const summaryEveryMs = 2_000;

/** The demo's config: the embedded store in its own file, the local sink as Segment, a demo shop unless one is set. */
function demoConfig(config: CartstreamConfig, sinkUrl: string): { config: CartstreamConfig; shop: string; secret: string } {
  const configured = config.shops[0];
  const shop = configured?.domain ?? demoShop;
  const secret = configured?.webhookSecrets[0] ?? randomBytes(24).toString('base64url');
  const db = config.db === './data/cartstream.db' ? join('data', 'demo.db') : config.db;
  return {
    shop, secret,
    config: {
      ...config, db, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel,
      shops: configured ? config.shops : [{ domain: shop, webhookSecrets: [secret] }],
      destinations: { segment: segmentSettingsSchema.parse({ writeKey: demoWriteKey, endpoint: sinkUrl }) },
    },
  };
}

async function sendTraffic(url: string, shop: string, secret: string, isRunning: () => boolean, onSent: (n: number) => void) {
  const traffic = createStoreSimulator({ shop, seed: Date.now() % 1_000_000, startTime: Date.now() });
  while (isRunning()) {
    const chunk = [];
    for (let i = 0; i < webhooksPerSecond; i++) {
      const next = traffic.next();
      if (!next.done) chunk.push(next.value);
    }
    await sendWebhooks(new URL('/webhooks/shopify', url), chunk, {
      shop, secret, concurrency: 4, ratePerSecond: webhooksPerSecond, duplicateShare: 0.05, onResult: () => onSent(1),
    });
  }
}

function printSummary(cartstream: Cartstream, sent: number, sinkEvents: number, interactive: boolean): Promise<void> {
  return cartstream.store.counts().then((counts) => {
    const lines = formatDemoSummary({
      counts, sent, sinkEvents, p50: cartstream.deliveryLatency.percentile(50), p99: cartstream.deliveryLatency.percentile(99),
    });
    // In a terminal, rewrite the three lines in place; in a log, append them.
    if (interactive) process.stdout.write(`\x1b[${lines.length}A\x1b[0J`);
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

/** `npm start` with nothing configured: simulator → cartstream → local Segment sink, with a live summary. */
export async function runDemo(baseConfig: CartstreamConfig): Promise<void> {
  const sink = await startSegmentSink({ writeKey: demoWriteKey });
  const { config, shop, secret } = demoConfig(baseConfig, sink.url);
  const cartstream = await startCartstream(config, { logger: createLogger(config.logLevel) });
  const url = cartstream.url ?? `http://127.0.0.1:${config.port}`;
  const interactive = process.stdout.isTTY === true;
  process.stdout.write(`${demoGuide(url, config.db, sink.url).join('\n')}\n`);
  if (interactive) process.stdout.write('\n\n\n');
  let running = true;
  let sent = 0;
  const traffic = sendTraffic(url, shop, secret, () => running, (count) => (sent += count));
  const timer = setInterval(() => void printSummary(cartstream, sent, sink.stats().acceptedEvents, interactive), summaryEveryMs);
  onShutdownSignal(async () => {
    running = false;
    clearInterval(timer);
    await traffic;
    await cartstream.close();
    await sink.close();
    process.stdout.write('demo stopped; its data stays in ' + config.db + '\n');
  });
}
