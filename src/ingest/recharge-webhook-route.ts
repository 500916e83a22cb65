import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { InboxWriter } from './inbox-writer.ts';
import { checkRechargeWebhook, type RechargeShops } from './recharge-intake.ts';
import { acceptRawBodies, rejectDelivery, storeAndAcknowledge } from './webhook-route-parts.ts';

export interface RechargeWebhookRouteOptions {
  writer: InboxWriter;
  shops: RechargeShops;
  bodyLimitBytes: number;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
}

type RechargeRoute = FastifyRequest<{ Params: { shop?: string }; Querystring: { topic?: string } }>;

/**
 * POST /webhooks/recharge (the one shop with ReCharge secrets) and /webhooks/recharge/{shop}: verify ReCharge's
 * signature on the raw bytes, store durably, then answer 200. ReCharge waits 5 s and retries 20 times in 48 h.
 */
export async function rechargeWebhookRoute(app: FastifyInstance, options: RechargeWebhookRouteOptions): Promise<void> {
  const { shops, metrics, now } = options;
  const deps = { writer: options.writer, metrics, logger: options.logger, source: 'recharge' };
  acceptRawBodies(app, options.bodyLimitBytes, metrics, 'recharge');
  const handle = async (request: RechargeRoute, reply: FastifyReply) => {
    const started = performance.now();
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const input = { headers: request.headers, body, shop: request.params.shop, topicParameter: request.query.topic };
    const result = checkRechargeWebhook(input, shops, now());
    if (result.kind !== 'verified') return rejectDelivery(reply, result, metrics, 'recharge');
    return storeAndAcknowledge(reply, result.delivery, deps, started);
  };
  app.post('/webhooks/recharge', handle);
  app.post('/webhooks/recharge/:shop', handle);
}
