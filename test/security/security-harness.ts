/** Shared set-up for the security tests: a real HTTP server on a real (in-memory) SQLite store, serving given shops. */
import type { FastifyInstance } from 'fastify';
import { createInboxWriter } from '../../src/ingest/inbox-writer.ts';
import { createLogger, type Logger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { buildHttpServer, type HttpServerOptions } from '../../src/server/http-server.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';

export interface ServedShops {
  store: Store;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** What the production server may serve besides webhooks: the admin API (with its token) and the collector. */
export type ExtraSurfaces = Pick<HttpServerOptions, 'adminToken' | 'collector'>;

/** The production HTTP server (not the one-shop test helper) with several shops, each with its own secrets. */
export async function serveShops(
  secretsByShop: Record<string, string[]>, logger: Logger = createLogger('silent'), extra: ExtraSurfaces = {},
): Promise<ServedShops> {
  const store = await openStore(':memory:');
  const metrics = createMetrics();
  const app = buildHttpServer({
    store, writer: createInboxWriter(store), secretsFor: (shop) => secretsByShop[shop], bodyLimitBytes: 64 * 1024,
    metrics, logger, now: () => 1_000, isAccepting: () => true, metricsText: () => metrics.registry.metrics(), ...extra,
  });
  await app.ready();
  return { store, app, close: async () => { await app.close(); await store.close(); } };
}

/** Every inbox row, whatever its status. */
export async function inboxTotal(store: Store): Promise<number> {
  const { inbox } = await store.counts();
  return inbox.pending + inbox.done + inbox.failed;
}
