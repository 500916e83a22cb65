/**
 * The behaviour every Store implementation must show. Each engine's test file calls describeStoreContract with a
 * function that opens a migrated, empty store.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeProfileContract } from './store-contract-profiles.ts';
import { describeReplayContract } from './store-contract-replay.ts';
import { describeReportingContract } from './store-contract-reporting.ts';
import { describeStateContract } from './store-contract-state.ts';
import { redactedPayload, type ClaimOptions, type InboxDelivery, type InboxRow, type MessageFilter, type OutboxMessage, type Store } from './store.ts';

export interface OpenedStore {
  store: Store;
  cleanup: () => Promise<void>;
}

const t0 = 1_750_000_000_000;
const shop = 'alpha.myshopify.com';
const orderBody = readFileSync(
  new URL('../../../shared/fixtures/shopify/exemplars/orders_2024-01_1.json', import.meta.url),
);

function delivery(webhookId: string, overrides: Partial<InboxDelivery> = {}): InboxDelivery {
  return {
    shop,
    source: 'shopify',
    topic: 'orders/create',
    webhookId,
    eventId: `event-${webhookId}`,
    triggeredAt: '2025-06-15T15:06:40.000Z',
    apiVersion: '2025-04',
    headers: {
      'x-shopify-topic': 'orders/create',
      'x-shopify-webhook-id': webhookId,
      'content-type': 'application/json',
    },
    body: Buffer.from(`{"id":"${webhookId}"}`),
    receivedAt: t0,
    ...overrides,
  };
}

function message(inboxId: number, messageId: string, overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    destination: 'segment',
    messageId,
    shop,
    inboxId,
    eventName: 'Order Completed',
    payload: JSON.stringify({ type: 'track', event: 'Order Completed', messageId }),
    receivedAt: t0,
    ...overrides,
  };
}

function lease(now: number, overrides: Partial<ClaimOptions> = {}): ClaimOptions {
  return { worker: 'worker-a', limit: 100, leaseMs: 30_000, now, ...overrides };
}

export function describeStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await cleanup();
    });

    /** Inserts deliveries and claims them all, returning their ids in insertion order. */
    async function storedIds(...webhookIds: string[]): Promise<number[]> {
      await store.insertInbox(webhookIds.map((id) => delivery(id)));
      return (await store.claimInbox(lease(t0))).map((row) => row.id);
    }

    /**
     * Claims, retrying briefly while nothing comes back: PostgreSQL reports a failed statement a moment before it
     * releases that statement's row locks, and claims skip locked rows.
     */
    async function claimSoon(options: ClaimOptions): Promise<InboxRow[]> {
      for (let attempt = 1; ; attempt += 1) {
        const rows = await store.claimInbox(options);
        if (rows.length > 0 || attempt === 40) return rows;
        await sleep(25);
      }
    }

    async function outboxIds(destination = 'segment', now = t0): Promise<number[]> {
      return (await store.claimOutbox(destination, lease(now))).map((row) => row.id);
    }

    describe('receiving deliveries', () => {
      it('stores new deliveries and acknowledges a repeated (shop, webhookId) as a counted duplicate', async () => {
        expect(await store.insertInbox([delivery('w1'), delivery('w2')])).toEqual(['stored', 'stored']);
        expect(await store.insertInbox([delivery('w1')])).toEqual(['duplicate']);
        expect(await store.insertInbox([delivery('w3'), delivery('w2')])).toEqual(['stored', 'duplicate']);

        const counts = await store.counts();
        expect(counts.inbox.pending).toBe(3);
        expect(counts.duplicates).toBe(2);
        expect((await store.claimInbox(lease(t0))).map((row) => row.webhookId)).toEqual(['w1', 'w2', 'w3']);
      });

      it('keeps the first copy when one batch repeats a delivery, and counts the repeats', async () => {
        const first = delivery('w1', { body: Buffer.from('first') });
        const again = delivery('w1', { body: Buffer.from('second') });
        expect(await store.insertInbox([first, again, delivery('w2'), again])).toEqual([
          'stored',
          'duplicate',
          'stored',
          'duplicate',
        ]);

        expect((await store.counts()).duplicates).toBe(2);
        const [row] = await store.claimInbox(lease(t0, { limit: 1 }));
        expect(row?.body.toString()).toBe('first');
      });

      it('stores a delivery once when its repeats arrive at the same moment', async () => {
        const results = await Promise.all([1, 2, 3, 4].map(() => store.insertInbox([delivery('w1')])));

        expect(results.flat().sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'stored']);
        expect(await store.counts()).toMatchObject({ inbox: { pending: 1 }, duplicates: 3 });
      });

      it('treats the same webhook id from another shop as a different delivery', async () => {
        const results = await store.insertInbox([delivery('w1'), delivery('w1', { shop: 'beta.myshopify.com' })]);
        expect(results).toEqual(['stored', 'stored']);
        expect((await store.counts()).duplicates).toBe(0);
      });

      it('gives back every field as stored, the body byte for byte even when it is not UTF-8', async () => {
        const notUtf8 = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80, 0x5c, 0x78, 0x30]);
        const allBytes = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
        const deliveries = [
          delivery('fixture', { body: orderBody }),
          delivery('binary', { body: Buffer.concat([notUtf8, allBytes]), eventId: null, triggeredAt: null }),
          delivery('empty', { body: Buffer.alloc(0), apiVersion: null, source: 'recharge', headers: {} }),
        ];
        await store.insertInbox(deliveries);

        const rows = await store.claimInbox(lease(t0));
        expect(rows).toEqual(deliveries.map((d) => ({ ...d, id: expect.any(Number), attempts: 1 })));
        rows.forEach((row, index) => {
          expect(Buffer.isBuffer(row.body)).toBe(true);
          expect(row.body.equals(deliveries[index]!.body)).toBe(true);
        });
      });
    });

    describe('claiming deliveries', () => {
      it('hands out pending rows oldest first, at most `limit` per claim', async () => {
        await store.insertInbox(['w1', 'w2', 'w3', 'w4', 'w5'].map((id) => delivery(id)));

        const first = await store.claimInbox(lease(t0, { limit: 3 }));
        const second = await store.claimInbox(lease(t0, { limit: 3, worker: 'worker-b' }));
        expect(first.map((row) => row.webhookId)).toEqual(['w1', 'w2', 'w3']);
        expect(second.map((row) => row.webhookId)).toEqual(['w4', 'w5']);
        expect(first[0]!.id).toBeLessThan(first[1]!.id);
      });

      it('does not hand a leased row to anyone until the lease expires, then counts the new attempt', async () => {
        await store.insertInbox([delivery('w1')]);
        const claimed = await store.claimInbox(lease(t0, { leaseMs: 1_000 }));
        expect(claimed.map((row) => row.attempts)).toEqual([1]);

        expect(await store.claimInbox(lease(t0 + 999, { worker: 'worker-b' }))).toEqual([]);
        expect(await store.claimInbox(lease(t0 + 1_000, { worker: 'worker-b' }))).toEqual([]);
        const reclaimed = await store.claimInbox(lease(t0 + 1_001, { worker: 'worker-b' }));
        expect(reclaimed.map((row) => [row.id, row.attempts])).toEqual([[claimed[0]!.id, 2]]);
      });

      it("defers a worker's claimed rows until a given time, then hands them out again; another worker's lease is left alone", async () => {
        await store.insertInbox([delivery('w1'), delivery('w2')]);
        const [first, second] = await store.claimInbox(lease(t0, { worker: 'worker-a' }));

        expect(await store.deferInbox([first!.id, second!.id], 'worker-b', t0 + 1_000)).toBe(0);
        expect(await store.deferInbox([first!.id], 'worker-a', t0 + 1_000)).toBe(1);

        expect(await store.claimInbox(lease(t0 + 999))).toEqual([]);
        expect((await store.claimInbox(lease(t0 + 1_001))).map((row) => row.id)).toEqual([first!.id]);
      });

      it('gives concurrent claimers disjoint rows that together cover everything', async () => {
        await store.insertInbox(Array.from({ length: 60 }, (_, i) => delivery(`w${i}`)));

        const claims = await Promise.all(
          ['a', 'b', 'c', 'd'].map((worker) => store.claimInbox(lease(t0, { worker, limit: 20 }))),
        );
        const ids = claims.flat().map((row) => row.id);
        expect(ids).toHaveLength(60);
        expect(new Set(ids).size).toBe(60);
      });
    });

    describe('settling deliveries', () => {
      it('writes the outbox messages in the same step that marks the delivery done', async () => {
        const [id] = await storedIds('w1');
        expect(await store.claimOutbox('segment', lease(t0))).toEqual([]);

        const toSegment = message(id!, 'm1');
        const toTiktok = message(id!, 'm1', { destination: 'tiktok', payload: '{"event":"CompletePayment"}' });
        const outcome = { status: 'done' as const, messages: [toSegment, toTiktok], note: 'ok' };
        await store.settleInbox([{ id: id!, outcome }], t0);

        expect(await store.counts()).toMatchObject({ inbox: { pending: 0, done: 1 }, outbox: { pending: 2 } });
        const [segmentRow] = await store.claimOutbox('segment', lease(t0));
        expect(segmentRow).toEqual({ ...toSegment, id: expect.any(Number), attempts: 0 });
        expect(await store.claimInbox(lease(t0 + 60_000))).toEqual([]);
      });

      it('settles nothing of a call when one of its rows cannot be written', async () => {
        const [a, b] = await storedIds('w1', 'w2');
        const unwritable = message(b!, 'm2', { payload: null as unknown as string });

        await expect(
          store.settleInbox(
            [
              { id: a!, outcome: { status: 'done', messages: [message(a!, 'm1')] } },
              { id: b!, outcome: { status: 'done', messages: [unwritable] } },
            ],
            t0,
          ),
        ).rejects.toThrow();

        expect(await store.counts()).toMatchObject({ inbox: { pending: 2, done: 0 }, outbox: { pending: 0 } });
        expect((await claimSoon(lease(t0 + 60_000))).map((row) => row.id)).toEqual([a, b]);
      });

      it('refuses a repeated messageId for a destination without failing the settlement', async () => {
        const [a, b] = await storedIds('w1', 'w2');
        await store.settleInbox([{ id: a!, outcome: { status: 'done', messages: [message(a!, 'm1')] } }], t0);

        const repeated = message(b!, 'm1', { payload: '{"second":true}' });
        const fresh = message(b!, 'm2');
        await store.settleInbox([{ id: b!, outcome: { status: 'done', messages: [repeated, fresh, fresh] } }], t0);

        expect(await store.counts()).toMatchObject({ inbox: { done: 2 }, outbox: { pending: 2 } });
        const rows = await store.claimOutbox('segment', lease(t0));
        expect(rows.map((row) => [row.messageId, row.inboxId, row.payload])).toEqual([
          ['m1', a, message(a!, 'm1').payload],
          ['m2', b, fresh.payload],
        ]);
      });

      it('settles two workers\' batches that share messageIds in opposite orders at once, storing each message once', async () => {
        // orders/create on one process and orders/paid on another both yield the same Order Completed messageId.
        await store.insertInbox(Array.from({ length: 40 }, (_, i) => delivery(`w${i}`)));
        const [first, second] = await Promise.all([
          store.claimInbox(lease(t0, { worker: 'worker-a', limit: 20 })),
          store.claimInbox(lease(t0, { worker: 'worker-b', limit: 20 })),
        ]);
        const messageIds = Array.from({ length: 300 }, (_, i) => `shared-${i}`);
        const settle = (rows: InboxRow[], ids: string[]) =>
          store.settleInbox(rows.map((row, n) => ({
            id: row.id,
            outcome: { status: 'done' as const, messages: ids.filter((_, i) => i % rows.length === n).map((m) => message(row.id, m)) },
          })), t0);

        await Promise.all([settle(first!, messageIds), settle(second!, [...messageIds].reverse())]);

        expect(await store.counts()).toMatchObject({ inbox: { pending: 0, done: 40 }, outbox: { pending: 300 } });
      });

      it('records identity links with the settlement, keeps the first link of a token, and finds them by token', async () => {
        const [a, b] = await storedIds('w1', 'w2');
        const link = (kind: 'cart' | 'checkout', token: string, anonymousId: string, linkedAt: number) =>
          ({ shop, kind, token, anonymousId, linkedAt });
        await store.settleInbox([{ id: a!, outcome: { status: 'done', messages: [], links: [
          link('cart', 'c1', 'anon-1', t0), link('checkout', 'c1', 'anon-2', t0),
        ] } }], t0);
        await store.settleInbox([{ id: b!, outcome: { status: 'done', messages: [], links: [
          link('cart', 'c1', 'anon-later', t0 + 1), link('cart', 'c2', 'anon-3', t0 + 1),
        ] } }], t0 + 1);

        const found = await store.findIdentityLinks([
          { shop, kind: 'cart', token: 'c1' }, { shop, kind: 'checkout', token: 'c1' }, { shop, kind: 'cart', token: 'c2' },
          { shop, kind: 'cart', token: 'unknown' }, { shop: 'other.myshopify.com', kind: 'cart', token: 'c1' },
        ]);
        expect(found.sort((x, y) => x.anonymousId.localeCompare(y.anonymousId))).toEqual([
          link('cart', 'c1', 'anon-1', t0), link('checkout', 'c1', 'anon-2', t0), link('cart', 'c2', 'anon-3', t0 + 1),
        ]);
        expect(await store.findIdentityLinks([])).toEqual([]);
      });

      it('writes messages that can never be sent already settled, with their reason', async () => {
        const [id] = await storedIds('w1');
        const dead = message(id!, 'm1', { initial: { status: 'dead', reason: 'event larger than 32 KB' } });
        const skipped = message(id!, 'm2', { initial: { status: 'skipped', reason: 'no consent for marketing' } });
        await store.settleInbox([{ id: id!, outcome: { status: 'done', messages: [dead, skipped] } }], t0);

        expect(await store.claimOutbox('segment', lease(t0))).toEqual([]);
        expect((await store.counts()).outbox).toEqual({ pending: 0, delivered: 0, dead: 1, skipped: 1 });
        const letters = await store.listDeadLetters('segment', 10);
        expect(letters).toEqual([
          {
            id: expect.any(Number),
            destination: 'segment',
            messageId: 'm1',
            shop,
            eventName: 'Order Completed',
            reason: 'event larger than 32 KB',
            attempts: 0,
            payload: dead.payload,
          },
        ]);
      });

      it('keeps a failed delivery with its reason, never hands it out again, and lets later rows through', async () => {
        const [a, b, c] = await storedIds('w1', 'w2', 'w3');
        await store.settleInbox(
          [
            { id: a!, outcome: { status: 'failed', reason: 'body is not JSON' } },
            { id: b!, outcome: { status: 'done', messages: [] } },
          ],
          t0,
        );

        expect((await store.claimInbox(lease(t0 + 60_000))).map((row) => row.id)).toEqual([c]);
        expect(await store.listFailedInbox(10)).toEqual([
          {
            id: a,
            shop,
            topic: 'orders/create',
            webhookId: 'w1',
            status: 'failed',
            reason: 'body is not JSON',
            duplicates: 0,
            receivedAt: t0,
          },
        ]);
      });

      it('lists failed deliveries newest first and requeues them for another pass', async () => {
        const [a, b, c] = await storedIds('w1', 'w2', 'w3');
        await store.settleInbox(
          [
            { id: a!, outcome: { status: 'failed', reason: 'first' } },
            { id: b!, outcome: { status: 'failed', reason: 'second' } },
          ],
          t0,
        );
        expect((await store.listFailedInbox(10)).map((row) => [row.id, row.reason])).toEqual([
          [b, 'second'],
          [a, 'first'],
        ]);
        expect(await store.listFailedInbox(1)).toHaveLength(1);

        expect(await store.requeueInbox([a!, c!], t0 + 1)).toBe(1); // c is still pending (leased): left alone
        const again = await store.claimInbox(lease(t0 + 2, { worker: 'worker-b' }));
        expect(again.map((row) => [row.id, row.attempts])).toEqual([[a, 1]]);
        expect((await store.listFailedInbox(10)).map((row) => row.id)).toEqual([b]);
      });

      it('requeues a done delivery and refuses the messages it produces a second time', async () => {
        const [id] = await storedIds('w1');
        const settle = { id: id!, outcome: { status: 'done' as const, messages: [message(id!, 'm1')] } };
        await store.settleInbox([settle], t0);

        expect(await store.requeueInbox([id!], t0 + 1)).toBe(1);
        expect((await store.claimInbox(lease(t0 + 2))).map((row) => row.id)).toEqual([id]);
        await store.settleInbox([settle], t0 + 3);

        expect(await store.counts()).toMatchObject({ inbox: { pending: 0, done: 1 }, outbox: { pending: 1 } });
      });
    });

    describe('delivering messages', () => {
      async function queue(...messages: Array<[messageId: string, overrides?: Partial<OutboxMessage>]>) {
        const [id] = await storedIds('w1');
        const outbox = messages.map(([messageId, overrides]) => message(id!, messageId, overrides));
        await store.settleInbox([{ id: id!, outcome: { status: 'done', messages: outbox } }], t0);
      }

      it("hands out one destination's pending messages oldest first, leased, at most `limit` per claim", async () => {
        await queue(['m1'], ['t1', { destination: 'tiktok' }], ['m2'], ['m3']);

        const first = await store.claimOutbox('segment', lease(t0, { limit: 2, leaseMs: 1_000 }));
        expect(first.map((row) => row.messageId)).toEqual(['m1', 'm2']);
        expect((await store.claimOutbox('segment', lease(t0))).map((row) => row.messageId)).toEqual(['m3']);
        expect((await store.claimOutbox('tiktok', lease(t0))).map((row) => row.messageId)).toEqual(['t1']);

        expect(await store.claimOutbox('segment', lease(t0 + 1_000, { worker: 'worker-b' }))).toEqual([]);
        const reclaimed = await store.claimOutbox('segment', lease(t0 + 1_001, { worker: 'worker-b' }));
        expect(reclaimed.map((row) => row.messageId)).toEqual(['m1', 'm2']);
      });

      it('does not hand out a message to retry before its next attempt, then counts the attempt', async () => {
        await queue(['m1']);
        const [id] = await outboxIds();
        await store.settleOutbox([{ id: id!, status: 'retry', nextAttemptAt: t0 + 60_000, error: 'HTTP 503' }], t0);

        expect(await store.claimOutbox('segment', lease(t0 + 59_999))).toEqual([]);
        const due = await store.claimOutbox('segment', lease(t0 + 60_000));
        expect(due.map((row) => [row.id, row.attempts])).toEqual([[id, 1]]);
      });

      it('makes the rows backing off for a destination due at once when asked, and no others', async () => {
        await queue(['m1'], ['m2'], ['m3'], ['t1', { destination: 'tiktok' }]);
        const [m1, m2] = (await store.claimOutbox('segment', lease(t0, { limit: 2 }))).map((row) => row.id);
        const [t1] = await outboxIds('tiktok');
        const later = t0 + 600_000;
        await store.settleOutbox([m1, m2, t1].map((id) => ({ id: id!, status: 'retry' as const, nextAttemptAt: later, error: 'HTTP 503' })), t0);

        expect(await store.expediteRetries('segment', t0 + 10)).toBe(2);
        const due = await store.claimOutbox('segment', lease(t0 + 10));
        // m1 and m2 waited for their retry; m3 was never sent and was due already.
        expect(due.map((row) => row.messageId).sort()).toEqual(['m1', 'm2', 'm3']);
        expect(await store.claimOutbox('tiktok', lease(t0 + 10))).toEqual([]);
        expect(await store.expediteRetries('segment', t0 + 10)).toBe(0);
      });

      it("frees only the leases of workers that are gone, so their rows are handed out again at once", async () => {
        await store.insertInbox([delivery('w-dead'), delivery('w-live')]);
        await store.claimInbox(lease(t0, { worker: 'crashed', limit: 1 }));
        await store.claimInbox(lease(t0, { worker: 'running', limit: 1 }));
        await queue(['m1'], ['m2']);
        await store.claimOutbox('segment', lease(t0, { worker: 'crashed', limit: 1 }));
        await store.claimOutbox('segment', lease(t0, { worker: 'running', limit: 1 }));

        expect(await store.releaseLeases((owner) => owner !== 'crashed')).toBe(2);
        expect((await store.claimInbox(lease(t0 + 1, { worker: 'new' }))).map((row) => row.webhookId)).toEqual(['w-dead']);
        expect((await store.claimOutbox('segment', lease(t0 + 1, { worker: 'new' }))).map((row) => row.messageId)).toEqual(['m1']);
        expect(await store.releaseLeases(() => true)).toBe(0);
      });

      it('keeps a delivered message delivered, even when a late retry for it arrives', async () => {
        await queue(['m1']);
        const [id] = await outboxIds();
        await store.settleOutbox([{ id: id!, status: 'delivered' }], t0 + 5);
        await store.settleOutbox([{ id: id!, status: 'retry', nextAttemptAt: t0 + 10, error: 'late' }], t0 + 6);

        expect((await store.counts()).outbox).toMatchObject({ pending: 0, delivered: 1 });
        expect(await store.claimOutbox('segment', lease(t0 + 60_000))).toEqual([]);
      });

      it('lists dead letters with their reason and puts them back in the queue on request', async () => {
        await queue(['m1'], ['m2'], ['t1', { destination: 'tiktok' }], ['m3']);
        const [m1, m2, m3] = await outboxIds();
        const [t1] = await outboxIds('tiktok');
        await store.settleOutbox([{ id: m1!, status: 'retry', nextAttemptAt: t0, error: 'HTTP 500' }], t0);
        await outboxIds('segment', t0 + 1);
        await store.settleOutbox(
          [
            { id: m1!, status: 'dead', reason: 'HTTP 400: invalid event' },
            { id: m2!, status: 'dead', reason: 'HTTP 401' },
            { id: t1!, status: 'dead', reason: 'HTTP 403' },
            { id: m3!, status: 'delivered' },
          ],
          t0 + 2,
        );

        const segmentLetters = await store.listDeadLetters('segment', 10);
        expect(segmentLetters.map((l) => [l.id, l.messageId, l.reason, l.attempts])).toEqual([
          [m2, 'm2', 'HTTP 401', 1],
          [m1, 'm1', 'HTTP 400: invalid event', 2],
        ]);
        expect((await store.listDeadLetters(null, 10)).map((l) => l.id)).toEqual([t1, m2, m1]);
        expect(await store.listDeadLetters(null, 2)).toHaveLength(2);

        expect(await store.requeueDeadLetters('tiktok', [m1!], t0 + 3)).toBe(0);
        expect(await store.requeueDeadLetters('segment', [m1!, m3!], t0 + 3)).toBe(1);
        expect(await store.requeueDeadLetters('segment', null, t0 + 4)).toBe(1);
        const requeued = await store.claimOutbox('segment', lease(t0 + 4));
        expect(requeued.map((row) => [row.id, row.attempts])).toEqual([
          [m1, 0],
          [m2, 0],
        ]);
        expect((await store.listDeadLetters(null, 10)).map((l) => l.id)).toEqual([t1]);
      });
    });

    describe('searching messages', () => {
      const beta = 'beta.myshopify.com';

      /** Three webhooks a minute apart, each settled with messages; m1 delivered, m2 retried then dead. */
      async function history(): Promise<{ m1: number; m2: number }> {
        const [a, b, c] = await storedIds('w1', 'w2', 'w3');
        const at = (minutes: number) => ({ receivedAt: t0 + minutes * 60_000 });
        const skipped = { initial: { status: 'skipped' as const, reason: 'filtered' } };
        const produced = [
          [message(a!, 'm1', { ...at(0), facts: { userId: 'c-7', orderId: '1001' } }), message(a!, 't1', { ...at(0), destination: 'tiktok' })],
          [message(b!, 'm2', { ...at(1), eventName: 'Order Paid', facts: { userId: 'c-7', orderId: '1002' } })],
          [message(c!, 'm3', { ...at(2), shop: beta, ...skipped })],
        ];
        await store.settleInbox(
          [a, b, c].map((id, index) => ({ id: id!, outcome: { status: 'done', messages: produced[index]! } })),
          t0,
        );
        const [m1, m2] = await outboxIds();
        const retry = { id: m2!, status: 'retry' as const, nextAttemptAt: t0, error: 'HTTP 503' };
        await store.settleOutbox([{ id: m1!, status: 'delivered' }, retry], t0 + 5);
        await store.settleOutbox([{ id: m2!, status: 'dead', reason: 'HTTP 400: invalid event' }], t0 + 6);
        return { m1: m1!, m2: m2! };
      }

      it('finds messages newest webhook first, with their status, attempts, last error and times', async () => {
        const ids = await history();

        const found = await store.searchMessages({ limit: 10 });
        expect(found.map((row) => row.messageId)).toEqual(['m3', 'm2', 't1', 'm1']);
        expect(found[1]).toEqual({
          id: ids.m2, destination: 'segment', messageId: 'm2', shop, eventName: 'Order Paid', status: 'dead',
          attempts: 2, lastError: 'HTTP 400: invalid event', receivedAt: t0 + 60_000, deliveredAt: null,
        });
        const delivered = { id: ids.m1, status: 'delivered', attempts: 1, lastError: null, deliveredAt: t0 + 5 };
        expect(found[3]).toMatchObject(delivered);
        expect(found[0]).toMatchObject({ shop: beta, status: 'skipped', lastError: 'filtered', attempts: 0 });
        expect(await store.searchMessages({ limit: 2 })).toHaveLength(2);
      });

      it('narrows by shop, event name, destination and a received-at window (since in, until out)', async () => {
        await history();
        const search = async (filter: Omit<MessageFilter, 'limit'>) =>
          (await store.searchMessages({ ...filter, limit: 10 })).map((row) => row.messageId);

        expect(await search({ shop: beta })).toEqual(['m3']);
        expect(await search({ eventName: 'Order Completed', shop })).toEqual(['t1', 'm1']);
        expect(await search({ destination: 'tiktok' })).toEqual(['t1']);
        expect(await search({ since: t0 + 60_000 })).toEqual(['m3', 'm2']);
        expect(await search({ since: t0, until: t0 + 60_000 })).toEqual(['t1', 'm1']);
        expect(await search({ shop: 'gamma.myshopify.com' })).toEqual([]);
      });

      it("narrows by customer (the message's userId) and by order", async () => {
        await history();
        const search = async (filter: Omit<MessageFilter, 'limit'>) =>
          (await store.searchMessages({ ...filter, limit: 10 })).map((row) => row.messageId);

        expect(await search({ userId: 'c-7' })).toEqual(['m2', 'm1']);
        expect(await search({ orderId: '1001' })).toEqual(['m1']);
        expect(await search({ userId: 'c-7', orderId: '1002', eventName: 'Order Paid' })).toEqual(['m2']);
        expect(await search({ userId: 'someone-else' })).toEqual([]);
      });
    });

    describe('privacy', () => {
      const email = 'ada.lovelace@example.com';

      /** Two deliveries of the customer and one of someone else, each settled with one message to Segment. */
      async function seedPrivacyRows() {
        await store.insertInbox([
          delivery('w-ada-1', { body: Buffer.from(`{"id":1,"email":"${email}"}`) }),
          delivery('w-other', { body: Buffer.from('{"id":2,"email":"grace@example.com"}') }),
          delivery('w-ada-2', { body: Buffer.from(`{"id":3,"email":"${email}"}`), headers: { 'x-shopify-topic': 'orders/paid' } }),
          delivery('w-elsewhere', { shop: 'other.myshopify.com' }),
        ]);
        const rows = await store.claimInbox(lease(t0));
        const ours = rows.filter((row) => row.shop === shop);
        await store.settleInbox(ours.map((row) => ({ id: row.id, outcome: { status: 'done', messages: [
          message(row.id, `m-${row.webhookId}`, {
            payload: `{"email":"${row.webhookId === 'w-other' ? 'grace' : email}"}`,
            facts: { userId: row.webhookId === 'w-other' ? 'grace-id' : 'ada-id', anonymousId: `anon-${row.webhookId}` },
          }),
        ], links: [{ shop, kind: 'cart', token: `cart-${row.webhookId}`, anonymousId: `anon-${row.webhookId}`, linkedAt: t0 }] } })), t0);
        const [ada1, other, ada2] = ours;
        return { ada1: ada1!, other: other!, ada2: ada2! };
      }

      it("scans one shop's deliveries and messages in id order, in pages, bodies included", async () => {
        const { ada1, other, ada2 } = await seedPrivacyRows();

        const first = await store.scanInbox(shop, 0, 2);
        expect(first.map((row) => [row.id, row.body.toString()])).toEqual([
          [ada1.id, `{"id":1,"email":"${email}"}`], [other.id, '{"id":2,"email":"grace@example.com"}'],
        ]);
        expect((await store.scanInbox(shop, other.id, 10)).map((row) => row.id)).toEqual([ada2.id]);
        const messages = await store.scanOutbox(shop, 0, 10);
        expect(messages.map((m) => m.id)).toEqual(messages.map((m) => m.id).sort((a, b) => a - b));
        expect(messages.map((m) => [m.inboxId, m.messageId, m.status]).sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
          [ada1.id, 'm-w-ada-1', 'pending'], [ada2.id, 'm-w-ada-2', 'pending'], [other.id, 'm-w-other', 'pending'],
        ]);
      });

      it('redacts the named bodies and messages, skips pending ones with the reason, drops links, queues messages', async () => {
        const { ada1, other, ada2 } = await seedPrivacyRows();
        const byMessageId = new Map((await store.scanOutbox(shop, 0, 10)).map((m) => [m.messageId, m]));
        const [m1, m3] = [byMessageId.get('m-w-ada-1'), byMessageId.get('m-w-ada-2')];
        await store.settleOutbox([{ id: m1!.id, status: 'delivered' }], t0);
        const regulation = message(ada2.id, 'regulation-1', { destination: 'segment-regulations', eventName: 'regulation' });

        const counts = await store.redact({
          shop, inboxIds: [ada1.id, ada2.id], outboxIds: [m1!.id, m3!.id], anonymousIds: ['anon-w-ada-1', 'anon-w-ada-2'],
          customerIds: [], reason: 'redacted: customers/redact', enqueue: [regulation],
        }, t0 + 1);

        expect(counts).toEqual({ inbox: 2, outbox: 2, links: 2, profiles: 0 });
        // Nothing indexed by who it was about is left either: the journey of the customer is empty.
        expect(await store.customerJourney('ada-id', 10)).toEqual([]);
        expect(await store.customerJourney('grace-id', 10)).toHaveLength(1);
        const bodies = await store.scanInbox(shop, 0, 10);
        expect(bodies.map((row) => [row.id, row.body.toString(), row.headers])).toEqual([
          [ada1.id, redactedPayload, {}], [other.id, '{"id":2,"email":"grace@example.com"}', other.headers], [ada2.id, redactedPayload, {}],
        ]);
        const messages = await store.scanOutbox(shop, 0, 10);
        expect(messages.map((m) => [m.messageId, m.status, m.payload]).sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([
          ['m-w-ada-1', 'delivered', redactedPayload], ['m-w-ada-2', 'skipped', redactedPayload],
          ['m-w-other', 'pending', '{"email":"grace"}'], ['regulation-1', 'pending', regulation.payload],
        ]);
        expect(await store.findIdentityLinks(['w-ada-1', 'w-other'].map((w) => ({ shop, kind: 'cart' as const, token: `cart-${w}` }))))
          .toEqual([{ shop, kind: 'cart', token: 'cart-w-other', anonymousId: 'anon-w-other', linkedAt: t0 }]);
        // A repeated request changes nothing more and queues nothing twice.
        await store.redact({ shop, inboxIds: [ada1.id], outboxIds: [m1!.id], anonymousIds: [], customerIds: [], reason: 'again', enqueue: [regulation] }, t0 + 2);
        expect(await store.counts()).toMatchObject({ outbox: { pending: 2, delivered: 1, skipped: 1 } });
      });

      it('forgets everything of one shop and nothing of another', async () => {
        await seedPrivacyRows();
        expect(await store.forgetShop(shop)).toBe(3 + 3 + 3);
        expect(await store.scanInbox(shop, 0, 10)).toEqual([]);
        expect(await store.scanOutbox(shop, 0, 10)).toEqual([]);
        expect((await store.scanInbox('other.myshopify.com', 0, 10)).map((row) => row.webhookId)).toEqual(['w-elsewhere']);
      });
    });

    describeReportingContract(() => store);
    describeReplayContract(() => store);
    describeProfileContract(() => store);
    describeStateContract(() => store);

    describe('counts and health', () => {
      it('counts every status, zero included, and the duplicates acknowledged', async () => {
        expect(await store.counts()).toEqual({
          inbox: { pending: 0, done: 0, failed: 0 },
          duplicates: 0,
          outbox: { pending: 0, delivered: 0, dead: 0, skipped: 0 },
        });

        await store.insertInbox([delivery('w1'), delivery('w2'), delivery('w3'), delivery('w1'), delivery('w1')]);
        const [a, b] = (await store.claimInbox(lease(t0))).map((row) => row.id);
        const skipped = { initial: { status: 'skipped' as const, reason: 'filtered' } };
        await store.settleInbox(
          [
            {
              id: a!,
              outcome: { status: 'done', messages: [message(a!, 'm1'), message(a!, 'm2'), message(a!, 'm3', skipped)] },
            },
            { id: b!, outcome: { status: 'failed', reason: 'unknown topic' } },
          ],
          t0,
        );
        const [m1, m2] = await outboxIds();
        await store.settleOutbox(
          [
            { id: m1!, status: 'delivered' },
            { id: m2!, status: 'dead', reason: 'HTTP 400' },
          ],
          t0,
        );

        expect(await store.counts()).toEqual({
          inbox: { pending: 1, done: 1, failed: 1 },
          duplicates: 2,
          outbox: { pending: 0, delivered: 1, dead: 1, skipped: 1 },
        });
      });

      it('answers a ping, and migrating again changes nothing', async () => {
        await store.insertInbox([delivery('w1')]);
        await store.migrate();

        expect(await store.ping()).toBe(true);
        expect((await store.counts()).inbox.pending).toBe(1);
      });
    });
  });
}
