import type { FastifyInstance } from 'fastify';
import type { CartstreamConfig } from './config/config-schema.ts';
import { createInboxWriter } from './ingest/inbox-writer.ts';
import type { RechargeShops } from './ingest/recharge-intake.ts';
import { createLatencyWindow, type LatencyWindow } from './observability/latency-window.ts';
import type { Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { startProcessingThread } from './processing/processing-host.ts';
import { startProcessing, type Processing } from './processing/start-processing.ts';
import { mayBeAlive, workerId } from './processing/worker-identity.ts';
import { buildHttpServer } from './server/http-server.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';

export interface Cartstream {
  /** Base URL the HTTP server listens on (when this process runs ingest). */
  url: string | null;
  store: Store;
  metrics: Metrics;
  /** webhook → delivery latencies of recent deliveries, in ms. */
  deliveryLatency: LatencyWindow;
  close(): Promise<void>;
}

export interface RuntimeDependencies {
  logger: Logger;
  /**
   * 'thread' (default with role all): pipeline and deliveries in a worker thread. 'inline': in this thread, which
   * lets tests inject a clock, randomness or fetch.
   */
  processing?: 'thread' | 'inline';
  now?: () => number;
  random?: () => number;
  fetch?: typeof fetch;
}

interface Parts {
  store: Store;
  metrics: Metrics;
  deliveryLatency: LatencyWindow;
  worker: string;
  now: () => number;
}

type StartedProcessing = Processing & { metricsText?: () => Promise<string> };

async function startProcessingFor(config: CartstreamConfig, deps: RuntimeDependencies, parts: Parts): Promise<StartedProcessing | null> {
  if (config.role === 'ingest') return null;
  if (config.role === 'all' && deps.processing !== 'inline') {
    return startProcessingThread(config, { worker: parts.worker, logger: deps.logger, metrics: parts.metrics, deliveryLatency: parts.deliveryLatency });
  }
  return startProcessing(config, {
    ...parts, logger: deps.logger, random: deps.random ?? Math.random, ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

async function listen(server: FastifyInstance, config: CartstreamConfig): Promise<string> {
  await server.listen({ port: config.port, host: config.host });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
}

function secretsLookup(config: CartstreamConfig): (shop: string) => readonly string[] | undefined {
  const byShop = new Map(config.shops.map((shop) => [shop.domain, shop.webhookSecrets]));
  return (shop) => byShop.get(shop);
}

/** The shops taking ReCharge webhooks; a lone one also answers the shop-less /webhooks/recharge. */
function rechargeShops(config: CartstreamConfig): RechargeShops | undefined {
  const withSecrets = config.shops.filter((shop) => shop.rechargeSecrets !== undefined);
  if (withSecrets.length === 0) return undefined;
  const byShop = new Map(withSecrets.map((shop) => [shop.domain, shop.rechargeSecrets ?? []]));
  return { secretsFor: (shop) => byShop.get(shop), defaultShop: withSecrets.length === 1 ? withSecrets[0]?.domain : undefined };
}

/** Starts cartstream: store, HTTP intake, pipeline and delivery, according to the configured role. */
export async function startCartstream(config: CartstreamConfig, deps: RuntimeDependencies): Promise<Cartstream> {
  const { logger } = deps;
  const now = deps.now ?? Date.now;
  const processingInThread = config.role === 'all' && deps.processing !== 'inline';
  // This connection answers webhooks. When a processing thread shares the SQLite file, that thread checkpoints,
  // and this one never blocks on the thread's write lock (the inbox writer retries asynchronously instead).
  const store = await openStore(config.db, processingInThread
    ? { walAutoCheckpoint: 0, busyTimeoutMs: 0 }
    : { synchronous: config.role === 'worker' ? 'normal' : 'full' });
  const parts: Parts = { store, metrics: createMetrics(), deliveryLatency: createLatencyWindow(), worker: workerId(), now };
  if (config.role !== 'ingest') {
    // Rows a crashed process had claimed are taken over now rather than when their leases run out.
    const released = await store.releaseLeases((owner) => mayBeAlive(owner, parts.worker));
    if (released > 0) logger.warn({ released }, 'took over rows claimed by a process that is gone');
  }
  const processing = await startProcessingFor(config, deps, parts);
  let accepting = true;
  let server: FastifyInstance | null = null;
  let url: string | null = null;
  if (config.role !== 'worker') {
    const recharge = rechargeShops(config);
    server = buildHttpServer({
      store, writer: createInboxWriter(store), secretsFor: secretsLookup(config), bodyLimitBytes: config.bodyLimitBytes,
      metrics: parts.metrics, logger, now, isAccepting: () => accepting,
      metricsText: processing?.metricsText ?? (() => parts.metrics.registry.metrics()),
      ...(config.adminToken ? { adminToken: config.adminToken } : {}),
      ...(config.collector ? { collector: config.collector } : {}),
      ...(recharge ? { recharge } : {}),
    });
    server.addHook('onResponse', async (_request, reply) => {
      if (reply.statusCode === 200) processing?.wake();
    });
    url = await listen(server, config);
  }
  logger.info({ url, role: config.role, store: store.engine, destinations: Object.keys(config.destinations) }, 'cartstream started');
  return {
    url, store, metrics: parts.metrics, deliveryLatency: parts.deliveryLatency,
    async close() {
      accepting = false;
      // Stop taking webhooks first, then let the pipeline and deliveries finish what they hold.
      await server?.close();
      await processing?.stop();
      await store.close();
    },
  };
}
