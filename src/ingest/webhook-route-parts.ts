import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { InboxDelivery } from '../store/store.ts';
import type { InboxWriter } from './inbox-writer.ts';
import type { IntakeResult } from './shopify-intake.ts';

/** What a webhook route needs to store a delivery and count what happened. */
export interface WebhookRouteDeps {
  writer: InboxWriter;
  metrics: Metrics;
  logger: Logger;
  /** 'shopify' or 'recharge': the metrics label. */
  source: string;
}

/**
 * Inside one route plugin: every body arrives as raw bytes (signatures are over the bytes, and nothing is parsed
 * before the 200); a body over the limit is answered 413 and counted.
 */
export function acceptRawBodies(app: FastifyInstance, bodyLimitBytes: number, metrics: Metrics, source: string): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: bodyLimitBytes }, (_req, body, done) => done(null, body));
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    metrics.webhooksRejected.inc({ source, reason: status === 413 ? 'too_large' : `http_${status}` });
    return reply.code(status).send({ error: status === 413 ? `body over the ${bodyLimitBytes}-byte limit` : error.message });
  });
}

const rejections = {
  'missing-headers': { status: 400, reason: 'missing_headers' },
  'unknown-shop': { status: 401, reason: 'unknown_shop' },
  'bad-signature': { status: 401, reason: 'bad_signature' },
} as const;

/** 400 for what is missing, 401 for an unknown shop or a bad signature; nothing is stored. */
export function rejectDelivery(reply: FastifyReply, result: Exclude<IntakeResult, { kind: 'verified' }>, metrics: Metrics, source: string) {
  const { status, reason } = rejections[result.kind];
  metrics.webhooksRejected.inc({ source, reason });
  const message = result.kind === 'missing-headers' ? `missing required headers: ${result.missing.join(', ')}` : 'invalid signature';
  return reply.code(status).send({ error: message });
}

/** Stores the delivery durably, then answers 200; 503 (not acknowledged, so the sender retries) when it cannot. */
export async function storeAndAcknowledge(reply: FastifyReply, delivery: InboxDelivery, deps: WebhookRouteDeps, started: number) {
  const { metrics, source } = deps;
  try {
    const stored = await deps.writer.write(delivery);
    if (stored === 'duplicate') metrics.webhooksDeduplicated.inc({ source });
    else metrics.webhooksReceived.inc({ source, topic: delivery.topic });
    metrics.ackLatency.observe((performance.now() - started) / 1000);
    return reply.code(200).send({ ok: true, status: stored });
  } catch (error) {
    // Not stored, so not acknowledged: the sender will retry.
    deps.logger.error({ err: error, shop: delivery.shop, webhookId: delivery.webhookId }, 'could not store webhook');
    metrics.webhooksRejected.inc({ source, reason: 'store_unavailable' });
    return reply.code(503).header('retry-after', '5').send({ error: 'store unavailable, retry later' });
  }
}
