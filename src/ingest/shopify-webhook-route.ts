import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Metrics } from '../observability/metrics.ts';
import type { Logger } from '../observability/logger.ts';
import type { InboxWriter } from './inbox-writer.ts';
import { checkShopifyWebhook, type IntakeResult, type SecretsForShop } from './shopify-intake.ts';

export interface ShopifyWebhookRouteOptions {
  writer: InboxWriter;
  secretsFor: SecretsForShop;
  bodyLimitBytes: number;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
}

const rejections = {
  'missing-headers': { status: 400, reason: 'missing_headers' },
  'unknown-shop': { status: 401, reason: 'unknown_shop' },
  'bad-signature': { status: 401, reason: 'bad_signature' },
} as const;

function reject(reply: FastifyReply, result: Exclude<IntakeResult, { kind: 'verified' }>, metrics: Metrics) {
  const { status, reason } = rejections[result.kind];
  metrics.webhooksRejected.inc({ source: 'shopify', reason });
  const message = result.kind === 'missing-headers' ? `missing required headers: ${result.missing.join(', ')}` : 'invalid signature';
  return reply.code(status).send({ error: message });
}

/**
 * POST /webhooks/shopify: verify on the raw bytes, store durably, then answer 200. No JSON parsing and no outbound
 * calls before the answer — Shopify allows 5 s and retries on anything else.
 */
export async function shopifyWebhookRoute(app: FastifyInstance, options: ShopifyWebhookRouteOptions): Promise<void> {
  const { writer, secretsFor, metrics, logger, now } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes }, (_req, body, done) => done(null, body));
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    metrics.webhooksRejected.inc({ source: 'shopify', reason: status === 413 ? 'too_large' : `http_${status}` });
    return reply.code(status).send({ error: status === 413 ? `body over the ${options.bodyLimitBytes}-byte limit` : error.message });
  });
  app.post('/webhooks/shopify', async (request, reply) => {
    const started = performance.now();
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const result = checkShopifyWebhook(request.headers, body, secretsFor, now());
    if (result.kind !== 'verified') return reject(reply, result, metrics);
    const { delivery } = result;
    try {
      const stored = await writer.write(delivery);
      if (stored === 'duplicate') metrics.webhooksDeduplicated.inc({ source: 'shopify' });
      else metrics.webhooksReceived.inc({ source: 'shopify', topic: delivery.topic });
      metrics.ackLatency.observe((performance.now() - started) / 1000);
      return reply.code(200).send({ ok: true, status: stored });
    } catch (error) {
      // Not stored, so not acknowledged: Shopify will retry.
      logger.error({ err: error, shop: delivery.shop, webhookId: delivery.webhookId }, 'could not store webhook');
      metrics.webhooksRejected.inc({ source: 'shopify', reason: 'store_unavailable' });
      return reply.code(503).header('retry-after', '5').send({ error: 'store unavailable, retry later' });
    }
  });
}
