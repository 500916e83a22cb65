/**
 * Shopify's compliance webhooks against a real cartstream on a SQLite file: after customers/redact the customer's
 * email is nowhere in the database's files (secure deletion, write-ahead log truncated) while another customer's
 * data is untouched (customer profiles included), and Segment is asked to suppress and delete the user;
 * customers/data_request writes an export with the customer's profile; shop/redact leaves nothing of the shop.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { startSegmentPublicApi, type SegmentPublicApi } from '../../src/local-sink/segment-public-api.ts';
import { startSegmentSink, type SegmentSink } from '../../src/local-sink/segment-sink.ts';
import { sampleResponseText } from '../../src/mapping/samples-for-tests.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startCartstream, type Cartstream } from '../../src/runtime.ts';
import { e2eSecret, e2eShop, e2eWriteKey, pendingWork, postSignedWebhook, tempDir, waitFor } from './e2e-harness.ts';

const publicApiToken = 'segment-public-api-token-e2e';
const ada = { email: 'ada.lovelace@analytical.example', customerId: '115310627314700001', orderId: '820982911946100001', phone: '+44 20 7946 0001', checkout: 'co-ada-1' };
const grace = { email: 'grace.hopper@cobol.example', customerId: '115310627314700002', orderId: '820982911946100002', phone: '+1 202 555 0002', checkout: 'co-grace-2' };

/** The real orders/create sample, made into this customer's order (the raw text, so every digit is exact). */
function orderOf(person: typeof ada): string {
  return sampleResponseText('orders_create.json')
    .replaceAll(/jo(h)?n@example\.com/g, person.email)
    // The sample writes each id in two spellings (its REST number was rounded once); both become this person's.
    .replaceAll(/11531062731472395\d/g, person.customerId)
    .replaceAll(/82098291194615450\d/g, person.orderId)
    .replace('"phone": null', `"phone": "${person.phone}"`)
    .replace(/"checkout_token": "[^"]*"/, `"checkout_token": "${person.checkout}"`);
}

describe('privacy requests (customers/redact, customers/data_request, shop/redact)', () => {
  const tmp = tempDir('cartstream-privacy-');
  const db = join(tmp.path, 'cartstream.db');
  let sink: SegmentSink;
  let publicApi: SegmentPublicApi;
  let cartstream: Cartstream;
  let sequence = 0;

  async function send(topic: string, body: string): Promise<void> {
    expect(await postSignedWebhook(cartstream.url!, topic, `privacy-${sequence++}`, body)).toBe(200);
  }

  async function processed(): Promise<void> {
    await waitFor('the inbox to be processed', async () => pendingWork(await cartstream.store.counts()), 15_000);
  }

  /** The warehouse's order_completed rows (user_id), read with a connection of our own. */
  function warehouseOrders(): string[] {
    const reader = new DatabaseSync(db, { readOnly: true });
    try {
      const exists = reader.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'order_completed'").get();
      return exists ? reader.prepare('SELECT user_id FROM order_completed').all().map((row) => String(row.user_id)) : [];
    } finally {
      reader.close();
    }
  }

  /** Every byte cartstream's SQLite database has on disk: the file, its write-ahead log and shared memory. */
  function databaseBytes(): string {
    return readdirSync(tmp.path).filter((name) => name.startsWith('cartstream.db'))
      .map((name) => readFileSync(join(tmp.path, name)).toString('latin1')).join('');
  }

  beforeAll(async () => {
    sink = await startSegmentSink({ writeKey: e2eWriteKey });
    publicApi = await startSegmentPublicApi({ token: publicApiToken });
    const config = parseConfig({
      port: 0, host: '127.0.0.1', db, logLevel: 'silent',
      shops: [{ domain: e2eShop, webhookSecrets: [e2eSecret] }],
      // The warehouse shares the store's file, as it does by default: its rows must go too.
      destinations: { segment: { writeKey: e2eWriteKey, endpoint: sink.url }, warehouse: {} },
      privacy: { exportDir: join(tmp.path, 'exports'), segmentPublicApi: { token: publicApiToken, endpoint: publicApi.url } },
    }, 'the privacy test');
    cartstream = await startCartstream(config, { logger: createLogger('silent') });
    await send('orders/create', orderOf(ada));
    await send('orders/create', orderOf(grace));
    await processed();
    await waitFor('both orders at Segment', () => (sink.received().filter((e) => e.event.event === 'Order Completed').length === 2 ? null : 'not yet'), 15_000);
    await waitFor('both orders in the warehouse', () => (warehouseOrders().length === 2 ? null : `${warehouseOrders().length}`), 15_000);
  });

  afterAll(async () => {
    await cartstream?.close();
    await sink?.close();
    await publicApi?.close();
    tmp.remove();
  });

  /** The customer's profile rows, of every kind. */
  async function profileRows(customerId: string): Promise<number> {
    const records = await cartstream.store.customerProfile(customerId);
    return records.traits.length + records.orders.length + records.refunds.length + records.anonymousIds.length;
  }

  it('customers/redact: the email is gone from every database file, the other customer stays, Segment is asked to delete', async () => {
    expect(databaseBytes()).toContain(ada.email);
    expect((await cartstream.store.customerProfile(ada.customerId)).traits).toMatchObject([{ traits: { email: ada.email } }]);

    // Shopify writes ids as JSON numbers with every digit; JSON.stringify of a Number would round these.
    await send('customers/redact', `{"shop_id":954889,"shop_domain":"${e2eShop}","customer":{"id":${ada.customerId},`
      + `"email":"${ada.email}","phone":"${ada.phone}"},"orders_to_redact":[${ada.orderId}]}`);
    await processed();

    const bytes = databaseBytes();
    expect(bytes).not.toContain(ada.email);
    expect(bytes).not.toContain(ada.phone);
    expect(bytes).toContain(grace.email);
    expect(await profileRows(ada.customerId)).toBe(0);
    expect(await profileRows(grace.customerId)).toBeGreaterThan(0);
    expect(warehouseOrders()).toEqual([grace.customerId]);
    await waitFor('the regulation at Segment', () => (publicApi.regulations().length === 1 ? null : 'none yet'), 15_000);
    expect(publicApi.regulations()).toEqual([
      { regulationType: 'SUPPRESS_WITH_DELETE', subjectType: 'USER_ID', subjectIds: [ada.customerId], regulateId: 'reg_1' },
    ]);
    const [request] = (await cartstream.store.scanInbox(e2eShop, 0, 100)).filter((row) => row.topic === 'customers/redact');
    expect(request!.body.toString()).toBe('{"cartstream_redacted":true}');
  });

  it('customers/data_request: writes an export of what is held about the customer, and nothing of others', async () => {
    await send('customers/data_request', `{"shop_id":954889,"shop_domain":"${e2eShop}","customer":{"id":${grace.customerId},`
      + `"email":"${grace.email}","phone":"${grace.phone}"},"orders_requested":[${grace.orderId}],"data_request":{"id":4242}}`);
    await processed();

    const file = join(tmp.path, 'exports', e2eShop, 'customer-data-request-4242.json');
    const text = readFileSync(file, 'utf8');
    const exported = JSON.parse(text) as {
      deliveries: { topic: string }[]; messages: { destination: string; messageId: string }[];
      profiles: { customerId: string; orderCount: number; lifetimeValue: string; traits: { email: string } }[];
    };
    expect(exported.deliveries.map((d) => d.topic)).toEqual(['orders/create']);
    // Order Completed and Identify, each for Segment and the warehouse.
    expect(exported.messages.map((m) => m.destination).sort()).toEqual(['segment', 'segment', 'warehouse', 'warehouse']);
    expect(new Set(exported.messages.map((m) => m.messageId)).size).toBe(2);
    expect(exported.profiles).toMatchObject([{ customerId: grace.customerId, orderCount: 1, lifetimeValue: '404.95 USD', traits: { email: grace.email } }]);
    expect(text).toContain(grace.email);
    expect(text).not.toContain(ada.customerId);
  });

  it('shop/redact: nothing of the shop is left', async () => {
    await send('shop/redact', JSON.stringify({ shop_id: 954889, shop_domain: e2eShop }));
    await waitFor('the shop to be forgotten', async () => ((await cartstream.store.scanInbox(e2eShop, 0, 10)).length === 0 ? null : 'rows left'), 15_000);
    expect(await cartstream.store.scanOutbox(e2eShop, 0, 10)).toEqual([]);
    expect(await profileRows(grace.customerId)).toBe(0);
    // The rows are gone at the commit; the log holding their earlier pages is truncated a moment later.
    await waitFor('the email gone from the files', () => (databaseBytes().includes(grace.email) ? 'still there' : null), 10_000);
    expect(warehouseOrders()).toEqual([]);
  });
});
