import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { startSegmentSink, type SegmentSink } from '../../src/local-sink/segment-sink.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startCartstream, type Cartstream } from '../../src/runtime.ts';
import { parseJsonExact } from '../../src/shopify/parse-json-exact.ts';
import { sendWebhooks, type SendSummary } from '../../src/simulator/send-webhooks.ts';
import { simulateWebhooks, type SimulatedWebhook } from '../../src/simulator/store-simulator.ts';
import { e2eSecret, e2eShop, e2eStartTime, e2eWriteKey, expectedWebOrders, orderChannels, tempDir, waitForDrain, type Json } from './e2e-harness.ts';

/**
 * The simulator's shoppers, through a real cartstream whose warehouse is the store's own SQLite file (the default
 * deployment's shape), read back with SQL as a merchant's analyst would. Seed 28 has what the checks need: orders in
 * four currencies, other-channel orders, returning customers and Shopify's own redeliveries of orders/create.
 */
const hooks = simulateWebhooks({ shop: e2eShop, seed: 28, startTime: e2eStartTime, count: 400 });
const webOrders = expectedWebOrders(hooks);
const customers = new Set(hooks.flatMap((hook) => (hook.customerId === undefined ? [] : [hook.customerId])));
const callTypes = new Set(['identify', 'alias', 'page']);

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

type Row = Record<string, unknown>;

describe('simulated journeys into the warehouse tables', () => {
  const tmp = tempDir('cartstream-journeys-warehouse-');
  const db = join(tmp.path, 'cartstream.db');
  let segment: SegmentSink;
  let cartstream: Cartstream;
  let reader: DatabaseSync;

  const select = (sql: string): Row[] => reader.prepare(sql).all().map((row) => ({ ...row }));
  const send = (traffic: SimulatedWebhook[]): Promise<SendSummary> =>
    sendWebhooks(new URL('/webhooks/shopify', cartstream.url!), traffic, { shop: e2eShop, secret: e2eSecret, concurrency: 8, duplicateShare: 0.05, seed: 5 });

  /** Rows in every warehouse table (Segment's layout: the call tables and one table per tracked event). */
  function warehouseCounts(): Record<string, number> {
    const tables = ['tracks', 'identifies', 'users', 'aliases', 'pages', ...select('SELECT DISTINCT event FROM tracks').map((row) => String(row.event))];
    const present = new Set(select("SELECT name FROM sqlite_master WHERE type = 'table'").map((row) => String(row.name)));
    return Object.fromEntries(tables.filter((table) => present.has(table)).map((table) => [table, Number(select(`SELECT count(*) AS n FROM "${table}"`)[0]?.n)]));
  }

  beforeAll(async () => {
    segment = await startSegmentSink({ writeKey: e2eWriteKey });
    const config = parseConfig({
      port: 0, host: '127.0.0.1', db, logLevel: 'silent',
      shops: [{ domain: e2eShop, webhookSecrets: [e2eSecret] }],
      // Product Added waits 10 s after a cart webhook: a debounce job firing while the counts are compared would race them.
      pipeline: { productAddedAfterMs: 600_000 },
      destinations: { segment: { writeKey: e2eWriteKey, endpoint: segment.url }, warehouse: {} },
    }, 'the e2e test');
    cartstream = await startCartstream(config, { logger: createLogger('silent'), processing: 'inline', random: () => 0 });
    const sent = await send(hooks);
    expect(sent.statusCounts).toStrictEqual({ 200: sent.sent });
    await waitForDrain(cartstream.store, 30_000);
    reader = new DatabaseSync(db, { readOnly: true });
  });

  afterAll(async () => {
    reader?.close();
    await cartstream?.close();
    await segment?.close();
    tmp.remove();
  });

  it('holds exactly one order_completed row per web order, with the order\'s total and currency', () => {
    expect(hooks.some((hook) => hook.redelivery && hook.topic === 'orders/create')).toBe(true);
    expect(orderChannels(hooks).size).toBeGreaterThan(webOrders.size); // pos, draft and app orders have no row here
    const rows = select('SELECT order_id, total, currency FROM order_completed ORDER BY order_id');
    const expected = [...webOrders].map(([orderId, hook]) => {
      const body = parseJsonExact(hook.body) as Json;
      return { order_id: orderId, total: Number(body.total_price), currency: body.currency };
    });
    expect(new Set(expected.map((order) => order.currency)).size).toBe(4);
    expect(rows).toStrictEqual(expected.sort((a, b) => a.order_id.localeCompare(b.order_id)));
  });

  it('has one tracks row per delivered track message, the same ones Segment received', async () => {
    const messages = await cartstream.store.searchMessages({ destination: 'warehouse', limit: 100_000 });
    // Orders of channels left out by the default orders.channels are skipped, with the rule, for both destinations.
    const [excluded, tracked] = partition(messages.filter((message) => !callTypes.has(message.eventName)), (message) => message.status === 'skipped');
    for (const message of excluded) expect(message.lastError).toMatch(/^excluded by option orders\.channels /);
    expect(tracked.every((message) => message.status === 'delivered')).toBe(true);
    const ids = select('SELECT id FROM tracks').map((row) => String(row.id)).sort();
    expect(ids).toStrictEqual(tracked.map((message) => message.messageId).sort());
    expect(ids).toStrictEqual(segment.received().filter((event) => event.type === 'track').map((event) => event.messageId).sort());
  });

  it('has one users row per customer, however many times each was identified', () => {
    const identifies = Number(select('SELECT count(*) AS n FROM identifies')[0]?.n);
    expect(identifies).toBeGreaterThan(customers.size);
    expect(select('SELECT id FROM users').map((row) => String(row.id)).sort()).toStrictEqual([...customers].sort());
  });

  it('adds no rows when the same traffic comes again, or when every warehouse message is replayed', async () => {
    const before = warehouseCounts();
    // Shopify's redelivery of the same events: new webhook ids, so each is stored and mapped again.
    const resent = await send(hooks.map((hook) => ({ ...hook, webhookId: `${hook.webhookId}-again` })));
    expect(resent.statusCounts).toStrictEqual({ 200: resent.sent });
    await waitForDrain(cartstream.store, 30_000);
    expect((await cartstream.store.counts()).inbox.done).toBe(2 * hooks.length);
    expect(warehouseCounts()).toStrictEqual(before);

    const replay = await cartstream.store.replayMessages({ destination: 'warehouse', include: 'settled' }, { dryRun: false, now: Date.now() });
    expect(replay.count).toBeGreaterThan(before.tracks!);
    await waitForDrain(cartstream.store, 30_000);
    expect(warehouseCounts()).toStrictEqual(before);
  });
});
