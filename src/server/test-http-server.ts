import type { FastifyInstance } from 'fastify';
import { createInboxWriter } from '../ingest/inbox-writer.ts';
import type { RechargeShops } from '../ingest/recharge-intake.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import type { Store } from '../store/store.ts';
import { buildHttpServer } from './http-server.ts';

/** For tests: the real HTTP server on a given store, serving one shop, with a fixed clock and no logs. */
export function buildTestHttpServer(
  store: Store,
  shop: { domain: string; secret: string; bodyLimitBytes?: number; adminToken?: string; recharge?: RechargeShops },
): FastifyInstance {
  const metrics = createMetrics();
  return buildHttpServer({
    store, writer: createInboxWriter(store), secretsFor: (s) => (s === shop.domain ? [shop.secret] : undefined),
    bodyLimitBytes: shop.bodyLimitBytes ?? 5 * 1024 * 1024, metrics, logger: createLogger('silent'), now: () => 1_000,
    isAccepting: () => true, metricsText: () => metrics.registry.metrics(),
    ...(shop.adminToken ? { adminToken: shop.adminToken } : {}),
    ...(shop.recharge ? { recharge: shop.recharge } : {}),
  });
}
