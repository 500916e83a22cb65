/**
 * The reporting part of the store contract (customer journey, accuracy report, queue health, per-minute delivery
 * counts); describeStoreContract runs it for every engine.
 */
import { describe, expect, it } from 'vitest';
import type { InboxDelivery, MessageFacts, OutboxMessage, ReceivedPage, Store } from './store.ts';

const t0 = 1_750_000_020_000;
const minute = 60_000;
const shop = 'alpha.myshopify.com';

function delivery(webhookId: string, topic: string, receivedAt: number): InboxDelivery {
  return {
    shop, source: 'shopify', topic, webhookId, eventId: null, triggeredAt: null, apiVersion: '2025-04',
    headers: { 'x-shopify-topic': topic }, body: Buffer.from(`{"id":"${webhookId}"}`), receivedAt,
  };
}

function message(inboxId: number, messageId: string, eventName: string, facts: MessageFacts, overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    destination: 'segment', messageId, shop, inboxId, eventName, payload: `{"messageId":"${messageId}"}`, receivedAt: t0,
    facts, ...overrides,
  };
}

/** Every row of a paged query, reading `size` rows at a time from `since`. */
async function allPages<T extends { id: number; receivedAt: number }>(read: (page: ReceivedPage) => Promise<T[]>, since: number, until: number, size: number): Promise<T[]> {
  const rows: T[] = [];
  let after = { receivedAt: since, id: 0 };
  for (;;) {
    const page = await read({ until, after, limit: size });
    rows.push(...page);
    const last = page.at(-1);
    if (last === undefined || page.length < size) return rows;
    after = { receivedAt: last.receivedAt, id: last.id };
  }
}

export function describeReportingContract(current: () => Store): void {
  /** One stored, claimed and settled delivery per list of messages; returns the inbox ids. */
  async function settled(...produced: ((inboxId: number) => OutboxMessage[])[]): Promise<number[]> {
    const store = current();
    await store.insertInbox(produced.map((_, i) => delivery(`r${i}`, 'orders/create', t0)));
    const ids = (await store.claimInbox({ worker: 'w', limit: 100, leaseMs: 30_000, now: t0 })).map((row) => row.id);
    await store.settleInbox(ids.map((id, i) => ({ id, outcome: { status: 'done', messages: produced[i]!(id) } })), t0);
    return ids;
  }

  describe('reporting', () => {
    it("finds a customer's journey: their messages and those of every anonymousId their messages carry, in time order", async () => {
      const at = (minutes: number) => ({ receivedAt: t0 + minutes * minute });
      await settled((id) => [
        message(id, 'browse', 'Product Viewed', { anonymousId: 'browser-a' }, at(0)),
        message(id, 'order', 'Order Completed', { userId: 'cust-1', anonymousId: 'browser-a', orderId: '9001', money: { currency: 'EUR', minor: 4_250 } }, at(2)),
        message(id, 'order', 'Order Completed', { userId: 'cust-1', anonymousId: 'browser-a' }, { ...at(2), destination: 'tiktok' }),
        message(id, 'alias', 'alias', { userId: 'cust-1', anonymousId: 'browser-b' }, at(3)),
        message(id, 'other-device', 'Page Viewed', { anonymousId: 'browser-b' }, at(4)),
        message(id, 'someone-else', 'Order Completed', { userId: 'cust-2', anonymousId: 'browser-c' }, at(1)),
        message(id, 'stranger', 'Page Viewed', { anonymousId: 'browser-d' }, at(1)),
      ]);

      const journey = await current().customerJourney('cust-1', 100);
      expect(journey.map((m) => `${m.messageId}→${m.destination}`)).toEqual([
        'browse→segment', 'order→segment', 'order→tiktok', 'alias→segment', 'other-device→segment',
      ]);
      expect(journey[1]).toMatchObject({
        eventName: 'Order Completed', status: 'pending', userId: 'cust-1', anonymousId: 'browser-a', orderId: '9001',
        currency: 'EUR', amountMinor: 4_250, receivedAt: t0 + 2 * minute,
      });
      expect((await current().customerJourney('cust-1', 2)).map((m) => m.messageId)).toEqual(['alias', 'other-device']);
      expect(await current().customerJourney('nobody', 100)).toEqual([]);
    });

    it('pages through the messages of one event that name an order, in a received-at window, with their totals', async () => {
      const order = (n: number, minutes: number, extra: Partial<OutboxMessage> = {}) => (id: number) =>
        message(id, `oc-${n}`, 'Order Completed', { orderId: `${n}`, money: { currency: 'JPY', minor: 9_007_199_254_740_000 + n } }, { receivedAt: t0 + minutes * minute, ...extra });
      await settled((id) => [
        order(1, 0)(id), order(2, 1)(id), order(3, 1)(id), order(4, 2)(id), order(5, 5)(id),
        message(id, 'no-order', 'Order Completed', {}, { receivedAt: t0 + minute }),
        message(id, 'refund-1', 'Order Refunded', { orderId: '1', money: { currency: 'JPY', minor: 500 } }, { receivedAt: t0 + minute }),
        order(6, 1, { initial: { status: 'skipped', reason: 'filtered' }, destination: 'tiktok' })(id),
      ]);

      const rows = await allPages((page) => current().orderMessages('Order Completed', page), t0, t0 + 5 * minute, 2);
      expect(rows.map((m) => m.messageId)).toEqual(['oc-1', 'oc-2', 'oc-3', 'oc-6', 'oc-4']);
      expect(rows[0]).toEqual({
        id: expect.any(Number), destination: 'segment', messageId: 'oc-1', shop, eventName: 'Order Completed',
        status: 'pending', lastError: null, receivedAt: t0, orderId: '1', currency: 'JPY', amountMinor: 9_007_199_254_740_001,
      });
      expect(rows[3]).toMatchObject({ destination: 'tiktok', status: 'skipped', lastError: 'filtered' });
      const refunds = await current().orderMessages('Order Refunded', { until: t0 + 5 * minute, after: { receivedAt: t0, id: 0 }, limit: 10 });
      expect(refunds.map((m) => [m.orderId, m.amountMinor])).toEqual([['1', 500]]);
    });

    it('pages through the raw orders/create and refunds/create deliveries of a window, with status and reason', async () => {
      const store = current();
      await store.insertInbox([
        delivery('o1', 'orders/create', t0), delivery('o2', 'orders/create', t0 + minute), delivery('p1', 'orders/paid', t0 + minute),
        delivery('f1', 'refunds/create', t0 + minute), delivery('o3', 'orders/create', t0 + 2 * minute),
        delivery('o0', 'orders/create', t0 - 1),
      ]);
      const claimed = await store.claimInbox({ worker: 'w', limit: 100, leaseMs: 30_000, now: t0 });
      const byWebhook = new Map(claimed.map((row) => [row.webhookId, row.id]));
      await store.settleInbox([
        { id: byWebhook.get('o1')!, outcome: { status: 'done', messages: [], note: 'source_name iphone is not a web or POS order' } },
        { id: byWebhook.get('o2')!, outcome: { status: 'failed', reason: 'line_items: missing' } },
      ], t0);

      const orders = await allPages((page) => store.receivedDeliveries('orders/create', page), t0, t0 + 2 * minute, 1);
      expect(orders.map((d) => [d.webhookId, d.status, d.reason])).toEqual([
        ['o1', 'done', 'source_name iphone is not a web or POS order'],
        ['o2', 'failed', 'line_items: missing'],
      ]);
      expect(orders[0]!.body.toString()).toBe('{"id":"o1"}');
      expect(orders[0]).toMatchObject({ shop, topic: 'orders/create', receivedAt: t0 });
      const refunds = await store.receivedDeliveries('refunds/create', { until: t0 + 9 * minute, after: { receivedAt: 0, id: 0 }, limit: 10 });
      expect(refunds.map((d) => [d.webhookId, d.status])).toEqual([['f1', 'pending']]);
    });

    it("counts each settled attempt in its destination's minute, with webhook-to-delivery latency", async () => {
      const store = current();
      await settled((id) => ['a', 'b', 'c', 'd', 'e'].map((m, i) =>
        message(id, m, 'Order Completed', {}, { receivedAt: t0 - (i + 1) * 1_000, destination: m === 'e' ? 'tiktok' : 'segment' })));
      const rows = await store.claimOutbox('segment', { worker: 'w', limit: 10, leaseMs: 1, now: t0 });
      const [a, b, c, d] = rows.map((row) => row.id);
      const [e] = (await store.claimOutbox('tiktok', { worker: 'w', limit: 10, leaseMs: 1, now: t0 })).map((row) => row.id);
      await store.settleOutbox([{ id: a!, status: 'delivered' }, { id: b!, status: 'delivered' }, { id: c!, status: 'retry', nextAttemptAt: t0, error: 'HTTP 503' }], t0 + 5_000);
      await store.settleOutbox([{ id: d!, status: 'dead', reason: 'HTTP 400' }, { id: e!, status: 'delivered' }], t0 + 30_000);
      await store.settleOutbox([{ id: c!, status: 'delivered' }, { id: a!, status: 'delivered' }], t0 + minute);

      expect(await store.deliveryMinutes(t0, t0 + 2 * minute)).toEqual([
        { destination: 'segment', minute: t0, delivered: 2, retried: 1, dead: 1, latencyMsSum: 6_000 + 7_000, latencyMsMax: 7_000 },
        { destination: 'segment', minute: t0 + minute, delivered: 1, retried: 0, dead: 0, latencyMsSum: 63_000, latencyMsMax: 63_000 },
        { destination: 'tiktok', minute: t0, delivered: 1, retried: 0, dead: 0, latencyMsSum: 35_000, latencyMsMax: 35_000 },
      ]);
      expect(await store.deliveryMinutes(t0 + minute, t0 + 2 * minute)).toHaveLength(1);
    });

    it('tells how many rows wait in the inbox and per destination, how many are retrying or dead, and the oldest', async () => {
      const store = current();
      expect(await store.queueHealth()).toEqual({ inbox: { pending: 0, oldestReceivedAt: null }, destinations: [] });
      await settled((id) => [
        message(id, 'm1', 'Order Completed', {}, { receivedAt: t0 - 3_000 }),
        message(id, 'm2', 'Order Completed', {}, { receivedAt: t0 - 2_000 }),
        message(id, 'm3', 'Order Completed', {}, { receivedAt: t0 - 9_000, initial: { status: 'dead', reason: 'too large' } }),
        message(id, 't1', 'Order Completed', {}, { receivedAt: t0 - 1_000, destination: 'tiktok' }),
      ]);
      const [m1] = (await store.claimOutbox('segment', { worker: 'w', limit: 1, leaseMs: 1, now: t0 })).map((row) => row.id);
      await store.settleOutbox([{ id: m1!, status: 'retry', nextAttemptAt: t0 + minute, error: 'HTTP 500' }], t0);
      const tiktok = (await store.claimOutbox('tiktok', { worker: 'w', limit: 1, leaseMs: 1, now: t0 })).map((row) => row.id);
      await store.settleOutbox([{ id: tiktok[0]!, status: 'delivered' }], t0);
      await store.insertInbox([delivery('late-1', 'orders/create', t0 + 5), delivery('late-2', 'orders/paid', t0 + 9)]);

      expect(await store.queueHealth()).toEqual({
        inbox: { pending: 2, oldestReceivedAt: t0 + 5 },
        // tiktok has nothing waiting and nothing dead: not listed.
        destinations: [{ destination: 'segment', pending: 2, retrying: 1, dead: 1, oldestReceivedAt: t0 - 3_000 }],
      });
    });
  });
}
