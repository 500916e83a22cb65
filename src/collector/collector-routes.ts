import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InboxWriter } from '../ingest/inbox-writer.ts';
import type { InsertResult } from '../store/store.ts';
import { clientIp, trustedProxies, type TrustedProxies } from './client-ip.ts';
import { collectorEndpoints, readCollectorRequest, type CollectorIntakeSettings } from './collector-intake.ts';
import { corsPolicy, type CorsPolicy } from './cors.ts';
import { createRateLimiter, type RateLimiter } from './rate-limiter.ts';

export interface CollectorRoutesOptions {
  writer: InboxWriter;
  /** The shop every collected event belongs to (`*.myshopify.com`). */
  shop: string;
  /** The shop's public source key (CARTSTREAM_SOURCE_KEY), as Segment's write key. */
  sourceKey: string;
  /** Storefront origins allowed by CORS, e.g. `https://shop.example`; a request from any other origin gets 403. */
  allowedOrigins: readonly string[];
  /** Largest request body; Segment's own batch limit is 500 KB. */
  bodyLimitBytes: number;
  /** Largest single call once enriched; Segment's limit is 32 KB. */
  maxEventBytes: number;
  /** Requests per minute per client IP; `maxClients` bounds how many IPs are tracked (default 10,000). */
  rateLimit: { perMinute: number; maxClients?: number };
  /** Addresses or CIDR ranges of proxies whose X-Forwarded-For is believed. */
  trustedProxies: readonly string[];
  now: () => number;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** CORS headers on every answer, then the origin and rate checks, before the body is read. */
function guard(cors: CorsPolicy, limiter: RateLimiter, trusted: TrustedProxies) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = header(request, 'origin');
    reply.headers(cors.headersFor(origin));
    if (!cors.allows(origin)) return reply.code(403).send({ error: `origin ${origin} is not allowed` });
    const ip = clientIp(request.socket.remoteAddress ?? '', header(request, 'x-forwarded-for'), trusted);
    const decision = limiter.take(ip);
    if (!decision.allowed) {
      return reply.code(429).header('retry-after', String(decision.retryAfterSeconds)).send({ error: 'rate limit exceeded, retry later' });
    }
    return undefined;
  };
}

function answerStored(reply: FastifyReply, results: InsertResult[]) {
  const duplicates = results.filter((result) => result === 'duplicate').length;
  return reply.code(200).send({ success: true, stored: results.length - duplicates, duplicates });
}

/**
 * The first-party collector: Segment's HTTP API (`POST /v1/batch`, `/v1/t|p|i|a` and the long names), so
 * analytics.js and analytics-node work against cartstream unchanged. Each call is stored as one inbox delivery
 * (deduplicated on its messageId) before the 200; no outbound calls.
 */
export async function collectorRoutes(app: FastifyInstance, options: CollectorRoutesOptions): Promise<void> {
  const cors = corsPolicy(options.allowedOrigins);
  const trusted = trustedProxies(options.trustedProxies);
  const limiter = createRateLimiter({ perMinute: options.rateLimit.perMinute, maxClients: options.rateLimit.maxClients, now: options.now });
  // sendBeacon posts text/plain and analytics.js uses it to avoid a preflight, so every content type is read as bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes }, (_req, body, done) => done(null, body));
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    return reply.code(status).send({ error: status === 413 ? `body over the ${options.bodyLimitBytes}-byte limit` : error.message });
  });
  app.addHook('onRequest', guard(cors, limiter, trusted));
  app.options('/v1/:endpoint', async (_request, reply) => reply.code(204).headers(cors.preflightHeaders()).send());
  app.post<{ Params: { endpoint: string } }>('/v1/:endpoint', async (request, reply) => {
    const endpoint = collectorEndpoints[request.params.endpoint];
    if (!endpoint) return reply.code(404).send({ error: `unknown endpoint /v1/${request.params.endpoint}` });
    const settings: CollectorIntakeSettings = {
      shop: options.shop, sourceKey: options.sourceKey, maxEventBytes: options.maxEventBytes, receivedAt: options.now(),
    };
    const result = readCollectorRequest({
      endpoint,
      body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      authorization: header(request, 'authorization'),
      ip: clientIp(request.socket.remoteAddress ?? '', header(request, 'x-forwarded-for'), trusted),
      userAgent: header(request, 'user-agent'),
      origin: header(request, 'origin'),
    }, settings);
    if (result.kind === 'rejected') return reply.code(result.status).send({ error: result.error });
    try {
      return answerStored(reply, await Promise.all(result.deliveries.map((delivery) => options.writer.write(delivery))));
    } catch (error) {
      // Not stored, so not acknowledged: the client retries, and the same messageIds make the retry safe.
      request.log.error({ err: error, shop: options.shop }, 'could not store collected events');
      return reply.code(503).header('retry-after', '5').send({ error: 'store unavailable, retry later' });
    }
  });
}
