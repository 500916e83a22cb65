/**
 * The replay part of the store contract (`cartstream replay`, POST /api/messages/replay); describeStoreContract
 * runs it for every engine.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxMessage, ReplaySelection, Store } from './store.ts';

const t0 = 1_750_000_040_000;
const minute = 60_000;
const shop = 'alpha.myshopify.com';
/** When the replays run: the in-flight message's lease (one hour from t0) has not run out. */
const now = t0 + 10 * minute;
const window = { since: t0, until: t0 + 3 * minute };

function message(inboxId: number, messageId: string, eventName: string, minutes: number, orderId: string | null, overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    destination: 'segment', messageId, shop, inboxId, eventName, payload: JSON.stringify({ messageId, event: eventName }),
    receivedAt: t0 + minutes * minute, facts: orderId === null ? {} : { orderId }, ...overrides,
  };
}

export function describeReplayContract(current: () => Store): void {
  /**
   * Messages around the window [t0, t0 + 3 min): delivered ones, a dead letter, one still in flight (leased), a
   * skipped one, a redacted one, and one for TikTok. Returns the outbox id of each messageId.
   */
  async function history(): Promise<Map<string, number>> {
    const store = current();
    await store.insertInbox([{
      shop, source: 'shopify', topic: 'orders/create', webhookId: 'replay-1', eventId: null, triggeredAt: null,
      apiVersion: '2025-04', headers: {}, body: Buffer.from('{}'), receivedAt: t0,
    }]);
    const [inbox] = await store.claimInbox({ worker: 'w', limit: 1, leaseMs: 30_000, now: t0 });
    const id = inbox!.id;
    const messages = [
      message(id, 'before', 'Order Completed', -1, '1001'),
      message(id, 'first', 'Order Completed', 0, '1002'),
      message(id, 'refused', 'Order Paid', 1, '1003'),
      message(id, 'viewed', 'Product Viewed', 1, null),
      message(id, 'redacted', 'Order Completed', 1, '1005'),
      message(id, 'to-tiktok', 'Order Completed', 1, '1002', { destination: 'tiktok' }),
      message(id, 'skipped', 'Order Completed', 2, '1002', { initial: { status: 'skipped', reason: 'no consent for marketing' } }),
      message(id, 'in-flight', 'Order Refunded', 2, '1002'),
      message(id, 'at-until', 'Order Completed', 3, '1004'),
    ];
    await store.settleInbox([{ id, outcome: { status: 'done', messages } }], t0);
    const ids = new Map((await store.scanOutbox(shop, 0, 100)).map((row) => [row.messageId, row.id]));
    const lease = { worker: 'w', limit: 100, leaseMs: 60 * minute, now: t0 };
    const claimed = [...await store.claimOutbox('segment', lease), ...await store.claimOutbox('tiktok', lease)];
    await store.settleOutbox(claimed.filter((row) => row.messageId !== 'in-flight').map((row) =>
      row.messageId === 'refused' ? { id: row.id, status: 'dead', reason: 'HTTP 400: invalid event' } : { id: row.id, status: 'delivered' }), t0 + 1);
    await store.redact({
      shop, inboxIds: [], outboxIds: [ids.get('redacted')!], anonymousIds: [], customerIds: [], reason: 'redacted: customers/redact', enqueue: [],
    }, t0 + 2);
    return ids;
  }

  /** messageId → status and attempts of every stored message. */
  async function standing(): Promise<Record<string, string>> {
    const rows = await current().searchMessages({ limit: 100 });
    return Object.fromEntries(rows.map((row) => [`${row.destination}:${row.messageId}`, `${row.status} ${row.attempts} ${row.deliveredAt ?? '-'}`]));
  }

  function settled(fields: Partial<ReplaySelection> = {}): ReplaySelection {
    return { destination: 'segment', include: 'settled', ...fields };
  }

  describe('replaying messages', () => {
    it('counts the window per event in a dry run (since in, until out) and changes nothing', async () => {
      await history();
      const before = await standing();

      const counted = await current().replayMessages(settled(window), { dryRun: true, now });

      expect(counted).toEqual({
        count: 3,
        byEvent: [
          { eventName: 'Order Completed', count: 1 }, { eventName: 'Order Paid', count: 1 }, { eventName: 'Product Viewed', count: 1 },
        ],
        ids: [],
      });
      expect(await standing()).toEqual(before);
      expect(await current().claimOutbox('segment', { worker: 'x', limit: 100, leaseMs: 1_000, now })).toEqual([]);
    });

    it('puts the window back in the queue, due now, and leaves pending, skipped, redacted and other rows alone', async () => {
      const ids = await history();

      const replayed = await current().replayMessages(settled(window), { dryRun: false, now });

      const expected = ['first', 'refused', 'viewed'].map((m) => ids.get(m)!);
      expect(replayed.ids).toEqual(expected);
      expect(replayed.count).toBe(3);
      expect(await standing()).toEqual({
        'segment:before': `delivered 1 ${t0 + 1}`,
        'segment:first': 'pending 0 -',
        'segment:refused': 'pending 0 -',
        'segment:viewed': 'pending 0 -',
        'segment:redacted': `delivered 1 ${t0 + 1}`,
        'tiktok:to-tiktok': `delivered 1 ${t0 + 1}`,
        'segment:skipped': 'skipped 0 -',
        'segment:in-flight': 'pending 0 -',
        'segment:at-until': `delivered 1 ${t0 + 1}`,
      });
      const claim = (at: number) => current().claimOutbox('segment', { worker: 'next', limit: 100, leaseMs: 1_000, now: at });
      expect(await claim(now - 1)).toEqual([]);
      // The in-flight row keeps its lease: it is not handed to a second worker.
      expect((await claim(now)).map((row) => [row.id, row.attempts, row.messageId])).toEqual(
        expected.map((id, n) => [id, 0, ['first', 'refused', 'viewed'][n]]),
      );
    });

    it('selects by order ids whatever the event, narrowed further by a window', async () => {
      const ids = await history();
      const replay = async (fields: Partial<ReplaySelection>) =>
        (await current().replayMessages(settled(fields), { dryRun: true, now })).count;

      expect(await replay({ orderIds: ['1002', '1003'] })).toBe(2); // first (delivered) and refused (dead)
      expect(await replay({ orderIds: ['1002', '1003'], since: t0 + minute })).toBe(1);
      expect(await replay({ orderIds: ['1005', '9999'] })).toBe(0); // redacted, unknown
      expect(await replay({ orderIds: [] })).toBe(0);

      const replayed = await current().replayMessages(settled({ orderIds: ['1002', '1001'] }), { dryRun: false, now });
      expect(replayed.ids).toEqual([ids.get('before'), ids.get('first')]);
    });

    it('replays only dead letters when asked, by window or by id', async () => {
      const ids = await history();
      const dead = (fields: Partial<ReplaySelection>) => ({ ...settled(fields), include: 'dead' as const });

      expect((await current().replayMessages(dead({ since: t0 + 2 * minute }), { dryRun: true, now })).count).toBe(0);
      expect((await current().replayMessages(dead({ ids: [ids.get('first')!, ids.get('refused')!] }), { dryRun: true, now })).byEvent)
        .toEqual([{ eventName: 'Order Paid', count: 1 }]);
      expect((await current().replayMessages(dead(window), { dryRun: false, now })).ids).toEqual([ids.get('refused')]);
      expect((await current().replayMessages(dead({}), { dryRun: false, now })).count).toBe(0);
    });

    it('reports where replayed rows stand as they are delivered or dead-lettered again', async () => {
      const ids = await history();
      const { ids: replayed } = await current().replayMessages(settled(window), { dryRun: false, now });
      const [first, refused] = await current().claimOutbox('segment', { worker: 'next', limit: 2, leaseMs: 1_000, now });
      await current().settleOutbox([
        { id: first!.id, status: 'delivered' }, { id: refused!.id, status: 'dead', reason: 'HTTP 400: invalid event' },
      ], now + 1);

      const statuses = await current().outboxStatuses([...replayed, 987_654]);
      expect(statuses.sort((a, b) => a.id - b.id)).toEqual([
        { id: ids.get('first'), status: 'delivered' }, { id: ids.get('refused'), status: 'dead' }, { id: ids.get('viewed'), status: 'pending' },
      ]);
      expect(await current().outboxStatuses([])).toEqual([]);
    });
  });
}
