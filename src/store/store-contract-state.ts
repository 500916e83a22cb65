/**
 * The resource-state and scheduled-job part of the store contract (see mapping/resource-state.ts and
 * pipeline/scheduled-jobs.ts); describeStoreContract runs it for every engine.
 */
import { describe, expect, it } from 'vitest';
import type { InboxOutcome, JobWrite, OutboxMessage, ResourceState, Store } from './store.ts';

const t0 = 1_750_000_080_000;
const shop = 'alpha.myshopify.com';
const lease = (now: number, worker = 'w', limit = 10) => ({ worker, limit, leaseMs: 30_000, now });

function state(id: string, version: number, quantity: number): ResourceState {
  return { shop, kind: 'cart', id, version, state: { lines: { '111': { quantity } } } };
}

function job(key: string, dueAt: number, overrides: Partial<JobWrite> = {}): JobWrite {
  return { shop, kind: 'product-added', key, dueAt, payload: { variant: '111', to: 2 }, receivedAt: t0, ...overrides };
}

function message(inboxId: number, messageId: string): OutboxMessage {
  return { destination: 'segment', messageId, shop, inboxId, eventName: 'Product Added', payload: '{}', receivedAt: t0 };
}

export function describeStateContract(current: () => Store): void {
  /** Stores and claims one delivery per outcome, then settles each with its outcome; returns their inbox ids. */
  async function settled(...outcomes: InboxOutcome[]): Promise<number[]> {
    const store = current();
    const prefix = `state-${Math.random().toString(36).slice(2)}`;
    await store.insertInbox(outcomes.map((_, index) => ({
      shop, source: 'shopify', topic: 'carts/update', webhookId: `${prefix}-${index}`, eventId: null, triggeredAt: null,
      apiVersion: '2025-04', headers: {}, body: Buffer.from('{}'), receivedAt: t0,
    })));
    const rows = await store.claimInbox(lease(t0));
    await store.settleInbox(rows.map((row, index) => ({ id: row.id, outcome: outcomes[index]! })), t0);
    return rows.map((row) => row.id);
  }

  const done = (extra: Partial<Extract<InboxOutcome, { status: 'done' }>>): InboxOutcome => ({ status: 'done', messages: [], ...extra });

  describe('resource state', () => {
    it('keeps the newest state of each resource, written with the settlement, and finds many in one call', async () => {
      await settled(done({ states: [state('cart-a', 2_000, 2), state('cart-b', 1_000, 1)] }));
      await settled(done({ states: [state('cart-a', 1_500, 9)] }), done({ states: [state('cart-b', 1_000, 3)] }));

      const found = await current().findResourceStates([
        { shop, kind: 'cart', id: 'cart-a' }, { shop, kind: 'cart', id: 'cart-b' }, { shop, kind: 'cart', id: 'cart-c' },
        { shop, kind: 'order', id: 'cart-a' },
      ]);
      // An older version never replaces a newer one; the same version does (a re-run of the same delivery).
      expect(found.sort((a, b) => a.id.localeCompare(b.id))).toStrictEqual([state('cart-a', 2_000, 2), state('cart-b', 1_000, 3)]);
      expect(await current().findResourceStates([])).toStrictEqual([]);
    });

    it('writes nothing of a failed row, and the newest of one batch when two rows name the same resource', async () => {
      await settled({ status: 'failed', reason: 'bad' }, done({ states: [state('cart-d', 3_000, 1)] }), done({ states: [state('cart-d', 2_000, 5)] }));
      expect(await current().findResourceStates([{ shop, kind: 'cart', id: 'cart-d' }])).toStrictEqual([state('cart-d', 3_000, 1)]);
    });
  });

  describe('scheduled jobs', () => {
    it('hands a job out once it is due, leased, and settles it with its messages', async () => {
      const store = current();
      const [inboxId] = await settled(done({ jobs: [job('late', t0 + 20_000), job('soon', t0 + 10_000), job('soon', t0 + 99_000)] }));

      expect(await store.claimJobs(lease(t0 + 9_999))).toStrictEqual([]);
      const [soon] = await store.claimJobs(lease(t0 + 25_000, 'w', 1));
      const again = await store.claimJobs(lease(t0 + 25_000, 'other'));
      expect(soon).toStrictEqual({
        id: soon!.id, shop, kind: 'product-added', key: 'soon', dueAt: t0 + 10_000, payload: { variant: '111', to: 2 }, inboxId, receivedAt: t0, attempts: 1,
      });
      expect(again.map((j) => j.key)).toStrictEqual(['late']);

      await store.settleJobs([{ id: soon!.id, outcome: { status: 'done', messages: [message(inboxId!, 'added-1')] } }], t0 + 25_000);
      expect((await store.claimOutbox('segment', lease(t0 + 25_000))).map((row) => row.messageId)).toStrictEqual(['added-1']);
      // Settled and leased jobs are not handed out; an expired lease is.
      expect(await store.claimJobs(lease(t0 + 30_000))).toStrictEqual([]);
      expect((await store.claimJobs(lease(t0 + 60_000))).map((j) => [j.key, j.attempts])).toStrictEqual([['late', 2]]);
    });

    it('gives concurrent claimers disjoint jobs that together cover every due one', async () => {
      const store = current();
      const keys = Array.from({ length: 12 }, (_, index) => `job-${index}`);
      await settled(done({ jobs: keys.map((key) => job(key, t0)) }));
      const claims = await Promise.all(['a', 'b', 'c'].map((worker) => store.claimJobs({ worker, limit: 5, leaseMs: 30_000, now: t0 })));
      const claimed = claims.flat().map((j) => j.key);
      expect(new Set(claimed).size).toBe(claimed.length);
      // A claim that lost a row to another may come back short; a second round takes the rest.
      const rest = await store.claimJobs(lease(t0, 'd', 20));
      expect([...claimed, ...rest.map((j) => j.key)].sort()).toStrictEqual([...keys].sort());
    });

    it('hands the jobs of a worker that is gone to another one at once', async () => {
      const store = current();
      await settled(done({ jobs: [job('orphaned', t0)] }));
      expect(await store.claimJobs(lease(t0, 'gone'))).toHaveLength(1);

      expect(await store.releaseLeases((owner) => owner !== 'gone')).toBe(1);
      expect((await store.claimJobs(lease(t0, 'alive'))).map((j) => j.key)).toStrictEqual(['orphaned']);
    });

    it('never runs a cancelled job, even when the cancel was stored before the job was scheduled', async () => {
      const store = current();
      await settled(done({ jobs: [job('ordered-later', t0)] }));
      await settled(done({ jobs: [job('ordered-later', t0, { cancel: true }), job('ordered-first', t0, { cancel: true })] }));
      await settled(done({ jobs: [job('ordered-first', t0)] }), done({ jobs: [job('same-batch', t0), job('same-batch', t0, { cancel: true })] }));

      expect(await store.claimJobs(lease(t0 + 1))).toStrictEqual([]);
    });

    it("deletes the states a customer's redaction names by anonymousId, and no other", async () => {
      const store = current();
      const named = (id: string, anonymousId: string): ResourceState => ({ shop, kind: 'checkout', id, version: 1, state: { anonymousId, properties: { email: 'a@example.com' } } });
      await settled(done({ states: [named('ck-1', 'anon-1'), named('ck-2', 'anon-2'), state('cart-r', 1, 1)] }));
      await store.redact({ shop, inboxIds: [], outboxIds: [], anonymousIds: ['anon-1', 'anon-9'], customerIds: [], reason: 'customers/redact', enqueue: [] }, t0);

      const left = await store.findResourceStates(['ck-1', 'ck-2', 'cart-r'].map((id) => ({ shop, kind: id.startsWith('ck') ? 'checkout' : 'cart', id }) as const));
      expect(left.map((s) => s.id).sort()).toStrictEqual(['cart-r', 'ck-2']);
    });

    it('forgets the states and jobs of a forgotten shop', async () => {
      const store = current();
      await settled(done({ states: [state('cart-f', 1, 1)], jobs: [job('forgotten', t0)] }));
      expect(await store.forgetShop(shop)).toBe(1 + 1 + 1);
      expect(await store.findResourceStates([{ shop, kind: 'cart', id: 'cart-f' }])).toStrictEqual([]);
      expect(await store.claimJobs(lease(t0 + 1))).toStrictEqual([]);
    });
  });
}
