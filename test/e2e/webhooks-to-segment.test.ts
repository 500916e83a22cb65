/**
 * End to end over real HTTP on 127.0.0.1: signed simulated webhooks → cartstream (SQLite, then PostgreSQL) → the
 * local Segment sink. Asserts what a merchant would check in Segment's debugger and in `cartstream status`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { startSegmentSink, type SegmentSink, type SinkEvent } from '../../src/local-sink/segment-sink.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startCartstream, type Cartstream } from '../../src/runtime.ts';
import { parseJsonExact } from '../../src/shopify/parse-json-exact.ts';
import { sendWebhooks, type SendSummary } from '../../src/simulator/send-webhooks.ts';
import type { WebhookToSign } from '../../src/simulator/sign-webhook.ts';
import { simulateWebhooks, type SimulatedWebhook } from '../../src/simulator/store-simulator.ts';
import {
  postgresUnavailableReason,
  skipWithoutPostgres,
  testPostgresUrl,
  testSchema,
} from '../../src/store/postgres/postgres-test-database.ts';
import type { StoreCounts } from '../../src/store/store.ts';
import {
  e2eSecret,
  e2eShop,
  e2eStartTime,
  e2eWriteKey,
  expectedWebOrders,
  missingOrders,
  orderChannels,
  orderCompletedCounts,
  orderCompletedEvents,
  orderIdOf,
  tempDir,
  waitFor,
  waitForDrain,
  type Json,
} from './e2e-harness.ts';

const exampleOrderPath = new URL('../../../shared/fixtures/shopify/exemplars/orders_2023-10_1.json', import.meta.url);
const drainTimeoutMs = 30_000;
const moneyKeys = ['total', 'subtotal', 'revenue', 'shipping', 'tax', 'discount'] as const;

/** A database for one cartstream run: a SQLite file or a fresh PostgreSQL schema, and how to throw it away. */
interface TestDatabase {
  db: string;
  drop(): Promise<void>;
}

type DatabaseFactory = (name: string) => Promise<TestDatabase>;

const tmp = tempDir('cartstream-e2e-');
afterAll(() => tmp.remove());

async function sqliteDatabase(name: string): Promise<TestDatabase> {
  return { db: join(tmp.path, `${name}.db`), drop: async () => undefined };
}

/** A fresh schema, named in the URL as an operator would (`?schema=`); cartstream creates it. */
async function postgresDatabase(name: string): Promise<TestDatabase> {
  const schema = testSchema(`cartstream_e2e_${name}`);
  const url = new URL(testPostgresUrl);
  url.searchParams.set('schema', schema.name);
  return { db: url.toString(), drop: () => schema.drop() };
}

/** A running sink + cartstream pair on one database. */
interface Service {
  sink: SegmentSink;
  cartstream: Cartstream;
  webhooksUrl: URL;
  database: TestDatabase;
  close(): Promise<void>;
}

async function startService(makeDatabase: DatabaseFactory, name: string): Promise<Service> {
  const database = await makeDatabase(name);
  const sink = await startSegmentSink({ writeKey: e2eWriteKey });
  const config = parseConfig({
    port: 0, host: '127.0.0.1', db: database.db, logLevel: 'silent',
    shops: [{ domain: e2eShop, webhookSecrets: [e2eSecret] }],
    // Product Added waits 10 s after a cart webhook: a debounce job firing while the counts are compared would race them.
    pipeline: { productAddedAfterMs: 600_000 },
    destinations: { segment: { writeKey: e2eWriteKey, endpoint: sink.url } },
  }, 'the e2e test');
  const cartstream = await startCartstream(config, { logger: createLogger(config.logLevel) });
  return {
    sink, cartstream, database, webhooksUrl: new URL('/webhooks/shopify', cartstream.url ?? 'http://127.0.0.1:0'),
    async close() {
      await cartstream.close();
      await sink.close();
      await database.drop();
    },
  };
}

function send(service: Service, webhooks: readonly WebhookToSign[], duplicateShare = 0): Promise<SendSummary> {
  return sendWebhooks(service.webhooksUrl, webhooks, { shop: e2eShop, secret: e2eSecret, concurrency: 16, duplicateShare, seed: 41 });
}

/** Every answer to every attempt, and the webhooks that never got a 200. */
interface ShopifySendReport {
  first: SendSummary;
  /** 200 answers over all attempts: one 'stored' per webhook, the rest acknowledged duplicates. */
  acknowledgements: number;
  unacknowledged: string[];
}

/**
 * Sends as Shopify does: a delivery without a 200 is sent again (same webhook id and bytes), here at most three
 * more times, so what reaches Segment can be checked even when an attempt was refused.
 */
async function sendLikeShopify(service: Service, webhooks: readonly WebhookToSign[], duplicateShare: number): Promise<ShopifySendReport> {
  const first = await send(service, webhooks, duplicateShare);
  const acknowledged = new Set(first.results.filter((r) => r.status === 200).map((r) => r.webhookId));
  let acknowledgements = first.statusCounts[200] ?? 0;
  for (let round = 0; round < 3 && acknowledged.size < webhooks.length; round++) {
    const again = await send(service, webhooks.filter((hook) => !acknowledged.has(hook.webhookId)));
    for (const result of again.results.filter((r) => r.status === 200)) acknowledged.add(result.webhookId);
    acknowledgements += again.statusCounts[200] ?? 0;
  }
  return { first, acknowledgements, unacknowledged: webhooks.map((h) => h.webhookId).filter((id) => !acknowledged.has(id)) };
}

/** Waits for the queue to drain and for every expected order to be at the sink. */
async function settled(service: Service, expectedOrderIds: Iterable<string>): Promise<void> {
  await waitForDrain(service.cartstream.store, drainTimeoutMs);
  await waitFor('Order Completed at the sink', () => missingOrders(expectedOrderIds, service.sink.received()), 2_000);
}

function bodyOf(hook: SimulatedWebhook): Json {
  return parseJsonExact(hook.body) as Json;
}

function describeTraffic(engine: string, makeDatabase: DatabaseFactory, unavailable: string | null = null): void {
  describe(`simulated store traffic → cartstream (${engine}) → Segment sink`, () => {
    const hooks = simulateWebhooks({ shop: e2eShop, seed: 2025, startTime: e2eStartTime, count: 600 });
    const webOrders = expectedWebOrders(hooks);
    let service: Service | undefined;
    let sent: ShopifySendReport;
    let events: SinkEvent[];
    let counts: StoreCounts;
    let skipped: (string | null)[];

    beforeAll(async () => {
      if (unavailable !== null) throw new Error(`CI requires PostgreSQL: ${unavailable}`);
      service = await startService(makeDatabase, 'traffic');
      sent = await sendLikeShopify(service, hooks, 0.1);
      await settled(service, webOrders.keys());
      events = service.sink.received();
      counts = await service.cartstream.store.counts();
      const messages = await service.cartstream.store.searchMessages({ limit: 100_000 });
      skipped = messages.filter((message) => message.status === 'skipped').map((message) => message.lastError);
    });
    afterAll(async () => {
      await service?.close();
    });

    it('acknowledges every delivery with 200 the first time, repeated ones included', () => {
      expect(sent.first.duplicates).toBeGreaterThan(30);
      // A 503 means the store refused the write; Shopify would retry it, but ordinary traffic must not cause one.
      expect(sent.first.statusCounts, 'answers to the first attempt').toStrictEqual({ 200: hooks.length + sent.first.duplicates });
      expect(sent.unacknowledged, 'webhooks never acknowledged, even after retries').toStrictEqual([]);
    });

    it('delivers exactly one Order Completed per web order, whatever was repeated or paid later', () => {
      const paid = new Set(hooks.filter((h) => h.topic === 'orders/paid').map((h) => h.orderId));
      const redelivered = new Set(hooks.filter((h) => h.redelivery).map((h) => h.orderId));
      // The traffic must exercise what could double an order, or the assertion below proves nothing.
      expect([...webOrders.keys()].filter((id) => paid.has(id)).length).toBeGreaterThan(20);
      expect([...webOrders.keys()].some((id) => redelivered.has(id))).toBe(true);
      expect(orderCompletedCounts(events)).toStrictEqual(new Map([...webOrders.keys()].map((id) => [id, 1])));
    });

    it('sends no Order Completed for POS, draft-order or iPhone orders', () => {
      const otherChannels = [...orderChannels(hooks)].filter(([, channel]) => channel !== 'web');
      expect(new Set(otherChannels.map(([, channel]) => channel))).toStrictEqual(new Set(['pos', 'shopify_draft_order', 'iphone']));
      const delivered = orderCompletedCounts(events);
      expect(otherChannels.filter(([orderId]) => delivered.has(orderId))).toStrictEqual([]);
    });

    it('gives every event at the sink its own messageId, and sends each outbox row once', () => {
      const repeated = [...service!.sink.countsByMessageId()].filter(([, n]) => n > 1);
      expect(repeated).toStrictEqual([]);
      expect(counts.outbox.delivered).toBe(events.length);
    });

    it('carries amounts as numbers and the exact 18-digit order id', () => {
      for (const event of orderCompletedEvents(events)) {
        const hook = webOrders.get(orderIdOf(event));
        const order = bodyOf(hook!);
        const properties = event.event.properties as Json;
        expect(properties.order_id).toMatch(/^\d{18}$/);
        expect(properties.order_id).toBe(hook!.orderId);
        expect(properties.total).toBe(Number(order.total_price));
        expect(properties.currency).toBe(order.currency);
        for (const key of moneyKeys) if (key in properties) expect(typeof properties[key], key).toBe('number');
        for (const product of properties.products as Json[]) {
          expect([typeof product.price, typeof product.quantity]).toStrictEqual(['number', 'number']);
        }
      }
    });

    it("identifies each web order's customer with their email as a trait", () => {
      const identifies = events.filter((event) => event.type === 'identify');
      // customers/update sends only the record traits that changed since the stored profile (never purchaseCount), so
      // those may lack the email; every other Identify carries it.
      const complete = identifies.filter((identify) => (identify.event.traits as Json).purchaseCount !== undefined);
      expect(complete.length).toBeGreaterThan(0);
      for (const identify of complete) expect((identify.event.traits as Json).email).toMatch(/^[^@\s]+@[^@\s]+$/);
      const emailsByUser = new Map(complete.map((identify) => [identify.event.userId, (identify.event.traits as Json).email]));
      const customers = [...webOrders.values()].filter((hook) => hook.customerId !== undefined);
      expect(customers.length).toBeGreaterThan(10);
      for (const hook of customers) expect(emailsByUser.get(hook.customerId), `customer of order ${hook.orderId}`).toBe(bodyOf(hook).email);
    });

    it('counts the repeated deliveries as duplicates, fails nothing and leaves nothing queued', () => {
      expect(counts).toStrictEqual({
        inbox: { pending: 0, done: hooks.length, failed: 0 },
        duplicates: sent.acknowledgements - hooks.length,
        outbox: { pending: 0, delivered: events.length, dead: 0, skipped: skipped.length },
      });
      // Only the draft-order and iPhone orders' messages are skipped, by Segment's default orders.channels.
      expect(skipped.length).toBeGreaterThan(0);
      for (const reason of skipped) expect(reason).toMatch(/^excluded by option orders\.channels \(web\): source_name (shopify_draft_order|iphone) /);
    });
  });
}

/** A correctly signed delivery whose body is not JSON at all. */
const notJson: WebhookToSign = {
  topic: 'orders/create', webhookId: 'e2e-not-json-1', eventId: 'e2e-event-not-json', triggeredAt: '2025-06-02T13:59:00Z',
  apiVersion: '2026-04', body: Buffer.from('<html>502 Bad Gateway</html>'),
};

/** Shopify's own orders/create example (every money field is "example string"), as a web order. */
function unreadableMoneyOrder(): WebhookToSign {
  const order = JSON.parse(readFileSync(exampleOrderPath, 'utf8')) as Json;
  return {
    topic: 'orders/create', webhookId: 'e2e-example-money-1', eventId: 'e2e-event-example-money', triggeredAt: '2025-06-02T13:59:30Z',
    apiVersion: '2023-10', body: Buffer.from(JSON.stringify({ ...order, source_name: 'web' })),
  };
}

function describeBadDeliveries(engine: string, makeDatabase: DatabaseFactory, unavailable: string | null = null): void {
  describe(`deliveries cartstream cannot read (${engine})`, () => {
    let service: Service | undefined;

    beforeAll(async () => {
      if (unavailable !== null) throw new Error(`CI requires PostgreSQL: ${unavailable}`);
      service = await startService(makeDatabase, 'unreadable');
    });
    afterAll(async () => {
      await service?.close();
    });

    it('acknowledges them, keeps them as failed with a readable reason, and delivers the orders sent after them', async () => {
      const bad = [notJson, unreadableMoneyOrder()];
      const badSummary = await sendWebhooks(service!.webhooksUrl, bad, { shop: e2eShop, secret: e2eSecret, concurrency: 1 });
      expect(badSummary.statusCounts).toStrictEqual({ 200: 2 });
      const good = simulateWebhooks({ shop: e2eShop, seed: 77, startTime: e2eStartTime, count: 200 });
      const goodOrders = expectedWebOrders(good);
      expect((await send(service!, good)).statusCounts).toStrictEqual({ 200: good.length });
      await settled(service!, goodOrders.keys());

      const failed = await service!.cartstream.store.listFailedInbox(10);
      const reasons = new Map(failed.map((row) => [row.webhookId, row.reason]));
      expect([...reasons.keys()].sort()).toStrictEqual(['e2e-example-money-1', 'e2e-not-json-1']);
      expect(reasons.get('e2e-not-json-1')).toMatch(/not valid JSON/);
      expect(reasons.get('e2e-example-money-1')).toMatch(/^[\w.[\]]+: "example string" /);
      expect(orderCompletedCounts(service!.sink.received())).toStrictEqual(new Map([...goodOrders.keys()].map((id) => [id, 1])));
      expect(await service!.cartstream.store.counts()).toMatchObject({
        inbox: { pending: 0, done: good.length, failed: 2 }, outbox: { pending: 0, dead: 0 },
      });
    });
  });
}

describeTraffic('SQLite', sqliteDatabase);
describeBadDeliveries('SQLite', sqliteDatabase);

const pgUnavailable = await postgresUnavailableReason();
describe.skipIf(skipWithoutPostgres(pgUnavailable, 'the PostgreSQL end-to-end tests'))('on PostgreSQL', () => {
  describeTraffic('PostgreSQL', postgresDatabase, pgUnavailable);
  describeBadDeliveries('PostgreSQL', postgresDatabase, pgUnavailable);
});
