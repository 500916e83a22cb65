import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics.ts';
import type { Logger } from '../observability/logger.ts';
import type { InboxWriter } from './inbox-writer.ts';
import { checkShopifyWebhook, type SecretsForShop } from './shopify-intake.ts';
import { acceptRawBodies, rejectDelivery, storeAndAcknowledge } from './webhook-route-parts.ts';

export interface ShopifyWebhookRouteOptions {
  writer: InboxWriter;
  secretsFor: SecretsForShop;
  bodyLimitBytes: number;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
}

/**
 * POST /webhooks/shopify: verify on the raw bytes, store durably, then answer 200. No JSON parsing and no outbound
 * calls before the answer — Shopify allows 5 s and retries on anything else.
 */
export async function shopifyWebhookRoute(app: FastifyInstance, options: ShopifyWebhookRouteOptions): Promise<void> {
  const { secretsFor, metrics, now } = options;
  const deps = { writer: options.writer, metrics, logger: options.logger, source: 'shopify' };
  acceptRawBodies(app, options.bodyLimitBytes, metrics, 'shopify');
  app.post('/webhooks/shopify', async (request, reply) => {
    const started = performance.now();
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const result = checkShopifyWebhook(request.headers, body, secretsFor, now());
    if (result.kind !== 'verified') return rejectDelivery(reply, result, metrics, 'shopify');
    return storeAndAcknowledge(reply, result.delivery, deps, started);
  });
}
