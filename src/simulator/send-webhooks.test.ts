import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyShopifyHmac } from '../shopify/webhook-hmac.ts';
import { sendWebhooks, type SendResult } from './send-webhooks.ts';
import { simulateWebhooks } from './store-simulator.ts';

const shop = 'send.myshopify.com';
const secret = 'send-test-secret';

interface Received {
  webhookId: string;
  body: Buffer;
  verified: boolean;
}

describe('sendWebhooks', () => {
  const received: Received[] = [];
  let app: FastifyInstance;
  let url = '';

  beforeAll(async () => {
    app = Fastify();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.post('/webhooks', async (request, reply) => {
      const body = request.body as Buffer;
      const verified = verifyShopifyHmac(body, String(request.headers['x-shopify-hmac-sha256']), [secret]);
      received.push({ webhookId: String(request.headers['x-shopify-webhook-id']), body, verified });
      return reply.code(verified ? 200 : 401).send();
    });
    url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/webhooks`;
  });

  afterAll(() => app.close());

  it('delivers every webhook signed, and re-sends some with the same id and bytes', async () => {
    received.length = 0;
    const webhooks = simulateWebhooks({ shop, seed: 2, startTime: 0, count: 300 });
    const seen: SendResult[] = [];
    const summary = await sendWebhooks(url, webhooks, { shop, secret, concurrency: 8, duplicateShare: 0.1, onResult: (r) => seen.push(r) });
    expect(summary.statusCounts).toEqual({ 200: summary.sent });
    expect(summary.sent).toBe(300 + summary.duplicates);
    expect(summary.duplicates).toBeGreaterThan(10);
    expect(seen).toHaveLength(summary.sent);
    expect(received.every((r) => r.verified)).toBe(true);
    expect(new Set(received.map((r) => r.webhookId))).toEqual(new Set(webhooks.map((w) => w.webhookId)));
    for (const duplicate of summary.results.filter((r) => r.duplicate)) {
      const copies = received.filter((r) => r.webhookId === duplicate.webhookId);
      expect(copies).toHaveLength(2);
      expect(copies[0]?.body.equals(copies[1]?.body as Buffer)).toBe(true);
    }
  });

  it('reports the server’s answer per request', async () => {
    const [webhook] = simulateWebhooks({ shop, seed: 2, startTime: 0, count: 1 });
    const summary = await sendWebhooks(url, [webhook!], { shop, secret: 'wrong-secret', concurrency: 1 });
    expect(summary.results).toMatchObject([{ index: 0, status: 401, duplicate: false, webhookId: webhook!.webhookId }]);
    expect(summary.results[0]?.latencyMs).toBeGreaterThan(0);
  });

  it('keeps to ratePerSecond', async () => {
    const webhooks = simulateWebhooks({ shop, seed: 3, startTime: 0, count: 21 });
    const summary = await sendWebhooks(url, webhooks, { shop, secret, concurrency: 4, ratePerSecond: 100 });
    expect(summary.durationMs).toBeGreaterThan(180);
    expect(summary.sent).toBe(21);
  });

  it('turns a refused connection into results with status 0 instead of throwing', async () => {
    const closed = Fastify();
    const deadUrl = `${await closed.listen({ host: '127.0.0.1', port: 0 })}/webhooks`;
    await closed.close();
    const webhooks = simulateWebhooks({ shop, seed: 3, startTime: 0, count: 3 });
    const summary = await sendWebhooks(deadUrl, webhooks, { shop, secret, concurrency: 2 });
    expect(summary.statusCounts).toEqual({ 0: 3 });
    expect(summary.results.every((r) => typeof r.error === 'string')).toBe(true);
  });
});
