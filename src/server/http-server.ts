import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { bearerTokenCheck } from '../admin/bearer-token.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { refreshQueueGauges } from '../observability/queue-gauges.ts';
import type { Store } from '../store/store.ts';
import type { InboxWriter } from '../ingest/inbox-writer.ts';
import type { SecretsForShop } from '../ingest/shopify-intake.ts';
import { shopifyWebhookRoute } from '../ingest/shopify-webhook-route.ts';
import type { RechargeShops } from '../ingest/recharge-intake.ts';
import { rechargeWebhookRoute } from '../ingest/recharge-webhook-route.ts';
import { adminRoutes } from '../admin/admin-routes.ts';
import { collectorRoutes, type CollectorRoutesOptions } from '../collector/collector-routes.ts';
import { consoleRoutes } from '../console/console-routes.ts';

export interface HttpServerOptions {
  store: Store;
  writer: InboxWriter;
  secretsFor: SecretsForShop;
  /** Shops taking ReCharge webhooks (/webhooks/recharge); undefined or none turns the route off. */
  recharge?: RechargeShops;
  bodyLimitBytes: number;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
  /** False once shutdown has begun, so load balancers stop sending. */
  isAccepting: () => boolean;
  /** Prometheus text of every thread's metrics. */
  metricsText: () => Promise<string>;
  /** Bearer token of the admin API under /api; undefined turns it off. */
  adminToken?: string;
  /** The storefront collector (/v1/*); undefined turns it off. */
  collector?: Omit<CollectorRoutesOptions, 'writer' | 'now'>;
}

/**
 * Answers the errors the router raises before any hook runs (a URL that is not valid percent-encoding): under /api,
 * a caller without the admin token gets the same 401 as for any admin path, so it learns nothing of the routes.
 */
function frameworkErrorHandler(adminToken: string | undefined) {
  const authorized = adminToken === undefined ? undefined : bearerTokenCheck(adminToken);
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    if (authorized && /^\/api(\/|\?|$)/.test(request.url) && !authorized(request.headers.authorization)) {
      void reply.code(401).header('www-authenticate', 'Bearer realm="cartstream admin"').send({ error: 'missing or wrong bearer token' });
      return;
    }
    void reply.code(400).send({ error: 'Bad Request', code: error.code, message: error.message, statusCode: 400 });
  };
}

/** The HTTP face of cartstream: webhook intake, health, readiness and metrics. */
export function buildHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    frameworkErrors: frameworkErrorHandler(options.adminToken),
    loggerInstance: options.logger.child({ component: 'http' }) as FastifyBaseLogger,
    // One log line per webhook would be noise at thousands per second (and a place for personal data to leak).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    // Shopify sends one request at a time per connection; keep idle connections open for its retries and ours.
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
  });
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const ready = options.isAccepting() && (await options.store.ping().catch(() => false));
    return reply.code(ready ? 200 : 503).send({ ok: ready, store: options.store.engine });
  });
  app.get('/metrics', async (_request, reply) => {
    await refreshQueueGauges(options.store, options.metrics, options.now());
    return reply.header('content-type', options.metrics.registry.contentType).send(await options.metricsText());
  });
  app.register(adminRoutes, { prefix: '/api', store: options.store, token: options.adminToken, now: options.now });
  app.register(consoleRoutes, { prefix: '/console' });
  if (options.collector) app.register(collectorRoutes, { ...options.collector, writer: options.writer, now: options.now });
  app.register(shopifyWebhookRoute, {
    writer: options.writer,
    secretsFor: options.secretsFor,
    bodyLimitBytes: options.bodyLimitBytes,
    metrics: options.metrics,
    logger: options.logger,
    now: options.now,
  });
  if (options.recharge) {
    const { writer, bodyLimitBytes, metrics, logger, now } = options;
    app.register(rechargeWebhookRoute, { writer, shops: options.recharge, bodyLimitBytes, metrics, logger, now });
  }
  return app;
}
