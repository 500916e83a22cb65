import { readdirSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSegmentDestination } from '../destinations/segment/index.ts';
import { segmentSettingsSchema } from '../destinations/segment/settings.ts';
import { rawResponse } from '../mapping/samples-for-tests.ts';
import { createLogger } from '../observability/logger.ts';
import { isPrivacyTopic } from '../privacy/privacy-requests.ts';
import { createMetrics } from '../observability/metrics.ts';
import { buildTestHttpServer } from '../server/test-http-server.ts';
import { signShopifyBody } from '../shopify/webhook-hmac.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { createPipelineWorker } from './pipeline-worker.ts';

const shop = 'fixtures.myshopify.com';
const secret = 'fixture-secret';
const fixtures = new URL('../../../shared/fixtures/shopify/', import.meta.url);

interface Case { name: string; topic: string; body: Buffer }

function topicOf(file: string, exemplar: boolean): string {
  const base = file.replace(/\.json$/, '');
  if (exemplar) return `${base.split('_')[0]}/${base.startsWith('orders') ? 'create' : 'update'}`;
  const [resource, ...rest] = base.split('_');
  return resource === 'draft' || resource === 'inventory' ? base.replace(/^(\w+?_\w+?)_/, '$1/') : `${resource}/${rest.join('_')}`;
}

function cases(): Case[] {
  // The compliance samples would act on this store (shop/redact forgets the shop, customers/redact redacts the order
  // samples' customer): test/e2e/privacy.test.ts covers them.
  const samples = readdirSync(new URL('samples/', fixtures)).map((file) => ({
    name: `samples/${file}`, topic: topicOf(file, false),
    body: Buffer.from(rawResponse(readFileSync(new URL(`samples/${file}`, fixtures), 'utf8'))),
  })).filter((sample) => !isPrivacyTopic(sample.topic));
  const exemplars = readdirSync(new URL('exemplars/', fixtures)).map((file) => ({
    name: `exemplars/${file}`, topic: topicOf(file, true), body: readFileSync(new URL(`exemplars/${file}`, fixtures)),
  }));
  const order = samples.find((c) => c.name.endsWith('orders_create.json'))!;
  const garbled = [
    { name: 'truncated orders/create', topic: 'orders/create', body: order.body.subarray(0, order.body.length / 2) },
    { name: 'orders/create with bytes flipped', topic: 'orders/create', body: Buffer.from(order.body.map((b, i) => (i % 97 === 0 ? b ^ 0x55 : b))) },
    { name: 'empty body', topic: 'orders/create', body: Buffer.alloc(0) },
    { name: 'a JSON array', topic: 'orders/create', body: Buffer.from('[1,2,3]') },
    { name: 'JSON null', topic: 'orders/paid', body: Buffer.from('null') },
  ];
  return [...samples, ...exemplars, ...garbled];
}

const all = cases();
let store: Store;
let app: FastifyInstance;
const metrics = createMetrics();

beforeAll(async () => {
  store = await openStore(':memory:');
  app = buildTestHttpServer(store, { domain: shop, secret });
  for (const [index, c] of all.entries()) {
    const response = await app.inject({
      method: 'POST', url: '/webhooks/shopify', payload: c.body,
      headers: {
        'content-type': 'application/json', 'x-shopify-topic': c.topic, 'x-shopify-shop-domain': shop,
        'x-shopify-webhook-id': `fixture-${index}`, 'x-shopify-hmac-sha256': signShopifyBody(c.body, secret),
      },
    });
    if (response.statusCode !== 200) throw new Error(`${c.name}: ingest answered ${response.statusCode}`);
  }
  const destination = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'k', endpoint: 'http://127.0.0.1:9' }));
  const pipeline = createPipelineWorker({
    store, destinations: [destination], worker: 'test', batchSize: 7, leaseMs: 60_000, idleDelayMs: 1, now: () => 2_000,
    logger: createLogger('silent'), metrics,
  });
  while ((await pipeline.runOnce()) > 0);
});

afterAll(async () => {
  await app.close();
  await store.close();
});

describe(`every Shopify fixture (${all.length}) through ingest and pipeline`, () => {
  it('acknowledges every signed delivery and leaves none unprocessed, even bad ones between good ones', async () => {
    const counts = await store.counts();
    expect(counts.inbox.pending).toBe(0);
    expect(counts.inbox.done + counts.inbox.failed).toBe(all.length);
  });

  it('keeps every delivery that could not be parsed or mapped with a readable reason', async () => {
    const failed = await store.listFailedInbox(1_000);
    for (const row of failed) expect(row.reason, `${row.topic} #${row.id}`).toMatch(/\w{3,}/);
    const reasons = new Map(failed.map((row) => [row.webhookId, row.reason ?? '']));
    const index = (name: string) => all.findIndex((c) => c.name === name);
    expect(reasons.get(`fixture-${index('truncated orders/create')}`)).toMatch(/not valid JSON/);
    expect(reasons.get(`fixture-${index('empty body')}`)).toMatch(/not valid JSON/);
    expect(reasons.get(`fixture-${index('JSON null')}`)).toBeTruthy();
  });

  it('maps the order samples to Order Completed once (orders/create and orders/paid share the messageId)', async () => {
    const rows = await store.claimOutbox('segment', { worker: 't', limit: 1_000, leaseMs: 1_000, now: 3_000 });
    const completed = rows.filter((row) => row.eventName === 'Order Completed');
    expect(completed).toHaveLength(1);
    const event = JSON.parse(completed[0]!.payload) as { properties: { order_id: string; total: number } };
    expect(event.properties.order_id).toBe('820982911946154508');
    expect(typeof event.properties.total).toBe('number');
    expect(new Set(rows.map((row) => row.messageId)).size).toBe(rows.length);
  });

  it('maps every fixture to messages that keep the event spec: none is held', async () => {
    expect(await store.listDeadLetters(null, 1_000)).toStrictEqual([]);
    const invalid = await metrics.registry.getSingleMetric('cartstream_messages_invalid_total')?.get();
    expect(invalid?.values).toStrictEqual([]);
    expect((await store.counts()).outbox.pending).toBeGreaterThan(20);
  });
});
