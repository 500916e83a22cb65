/**
 * The customer profile part of the store contract: profile records are written with the settlement, once per order
 * and refund id whatever the retries, traits never go back to an older version, a batch's lookup finds a customer
 * through an order named by a refund, and privacy requests remove profiles. describeStoreContract runs it for every
 * engine.
 */
import { describe, expect, it } from 'vitest';
import type { ProfileOrder, ProfileRecords, ProfileRefund, ProfileTraits, Store } from './store.ts';

const t0 = 1_750_000_040_000;
const shop = 'alpha.myshopify.com';
const otherShop = 'beta.myshopify.com';

const none: ProfileRecords = { traits: [], orders: [], refunds: [], anonymousIds: [] };

function traits(customerId: string, version: string | null, values: Record<string, unknown>, inShop = shop): ProfileTraits {
  return { shop: inShop, customerId, traits: values, version };
}

function order(orderId: string, customerId: string, totalMinor: number, placedAt = '2025-06-15T15:00:00.000Z', inShop = shop): ProfileOrder {
  return { shop: inShop, customerId, orderId, currency: 'EUR', totalMinor, placedAt };
}

function refund(refundId: string, orderId: string, amountMinor: number): ProfileRefund {
  return { shop, refundId, orderId, currency: 'EUR', amountMinor };
}

/** Sorted copies of the lists, so engines may return rows in any order. */
function sorted(records: ProfileRecords): ProfileRecords {
  const by = <T>(key: (item: T) => string) => (a: T, b: T) => key(a).localeCompare(key(b));
  return {
    traits: [...records.traits].sort(by((t) => `${t.shop} ${t.customerId}`)),
    orders: [...records.orders].sort(by((o) => `${o.shop} ${o.orderId}`)),
    refunds: [...records.refunds].sort(by((r) => `${r.shop} ${r.refundId}`)),
    anonymousIds: [...records.anonymousIds].sort(by((a) => `${a.shop} ${a.customerId} ${a.anonymousId}`)),
  };
}

export function describeProfileContract(current: () => Store): void {
  let webhook = 0;
  /** Stores, claims and settles one delivery per set of profile records, in one settlement. */
  async function settle(...profiles: Partial<ProfileRecords>[]): Promise<void> {
    const store = current();
    const deliveries = profiles.map(() => ({
      shop, source: 'shopify' as const, topic: 'orders/create', webhookId: `p${webhook++}`, eventId: null, triggeredAt: null,
      apiVersion: '2025-04', headers: {}, body: Buffer.from('{}'), receivedAt: t0,
    }));
    await store.insertInbox(deliveries);
    const ids = (await store.claimInbox({ worker: 'w', limit: 100, leaseMs: 30_000, now: t0 })).map((row) => row.id);
    await store.settleInbox(ids.map((id, i) => ({ id, outcome: { status: 'done', messages: [], profile: { ...none, ...profiles[i] } } })), t0);
  }

  describe('customer profiles', () => {
    it('writes profile records with the settlement and reads them back exactly, per customer and by order', async () => {
      const address = { street: '151 O\'Connor Street', city: 'Ottawa', country: 'CA' };
      await settle({
        traits: [traits('c1', '2025-06-01T00:00:00.000Z', { email: 'ada@example.com', firstName: 'Ada', address, tags: 'vip, repeat' })],
        orders: [order('o1', 'c1', 12_345), order('o2', 'c1', 1, '2025-06-16T10:00:00.000Z')],
        anonymousIds: [{ shop, customerId: 'c1', anonymousId: 'browser-1' }],
      }, { orders: [order('o3', 'c2', 500)] });

      const expected: ProfileRecords = {
        traits: [traits('c1', '2025-06-01T00:00:00.000Z', { email: 'ada@example.com', firstName: 'Ada', address, tags: 'vip, repeat' })],
        orders: [order('o1', 'c1', 12_345), order('o2', 'c1', 1, '2025-06-16T10:00:00.000Z')],
        refunds: [],
        anonymousIds: [{ shop, customerId: 'c1', anonymousId: 'browser-1' }],
      };
      expect(sorted(await current().findProfiles({ customers: [{ shop, customerId: 'c1' }], orders: [] }))).toStrictEqual(expected);
      // A refund names only its order: the lookup by order finds the customer and all their orders.
      expect(sorted(await current().findProfiles({ customers: [], orders: [{ shop, orderId: 'o2' }] }))).toStrictEqual(expected);
      expect(sorted(await current().customerProfile('c1'))).toStrictEqual(expected);
      expect(await current().findProfiles({ customers: [{ shop: otherShop, customerId: 'c1' }], orders: [] })).toStrictEqual(none);
      expect(await current().findProfiles({ customers: [], orders: [] })).toStrictEqual(none);
    });

    it('keeps one row per order and refund id however often they are settled, the first one written', async () => {
      await settle({ orders: [order('o1', 'c1', 10_000)], refunds: [refund('r1', 'o1', 2_500)] });
      await settle(
        { orders: [order('o1', 'c1', 99_999)], refunds: [refund('r1', 'o1', 2_500)] },
        { orders: [order('o1', 'c1', 10_000)], refunds: [refund('r1', 'o1', 7_777), refund('r2', 'o1', 100)] },
      );

      const found = sorted(await current().findProfiles({ customers: [{ shop, customerId: 'c1' }], orders: [] }));
      expect(found.orders).toStrictEqual([order('o1', 'c1', 10_000)]);
      expect(found.refunds).toStrictEqual([refund('r1', 'o1', 2_500), refund('r2', 'o1', 100)]);
    });

    it('reads a customer known only by orders or anonymousIds, without a customer record', async () => {
      await settle({ orders: [order('o1', 'c7', 100)], anonymousIds: [{ shop, customerId: 'c7', anonymousId: 'browser-7' }] });

      expect(await current().customerProfile('c7')).toStrictEqual({
        ...none, orders: [order('o1', 'c7', 100)], anonymousIds: [{ shop, customerId: 'c7', anonymousId: 'browser-7' }],
      });
    });

    it('finds refunds stored before their order arrived, by the order id', async () => {
      await settle({ refunds: [refund('r1', 'o9', 300)] });

      expect(await current().findProfiles({ customers: [], orders: [{ shop, orderId: 'o9' }] }))
        .toStrictEqual({ ...none, refunds: [refund('r1', 'o9', 300)] });
    });

    it('replaces traits with a newer or equal version only; a record without a version only fills an empty profile', async () => {
      await settle({ traits: [traits('c1', null, { email: 'first@example.com' })] });
      await settle({ traits: [traits('c1', null, { email: 'second@example.com' })] });
      const read = async () => (await current().customerProfile('c1')).traits;
      expect(await read()).toStrictEqual([traits('c1', null, { email: 'first@example.com' })]);

      await settle({ traits: [traits('c1', '2025-06-02T00:00:00.000Z', { email: 'june2@example.com' })] });
      // In one settlement too, the older record loses whatever its place.
      await settle(
        { traits: [traits('c1', '2025-06-03T00:00:00.000Z', { email: 'june3@example.com' })] },
        { traits: [traits('c1', '2025-06-01T00:00:00.000Z', { email: 'june1@example.com' })] },
      );
      await settle({ traits: [traits('c1', null, { email: 'unversioned@example.com' })] });

      expect(await read()).toStrictEqual([traits('c1', '2025-06-03T00:00:00.000Z', { email: 'june3@example.com' })]);
    });

    it("customers/redact removes the customer's profile in that shop, with their orders' refunds; others stay", async () => {
      await settle({
        traits: [traits('c1', null, { email: 'ada@example.com' }), traits('c2', null, { email: 'grace@example.com' }), traits('c1', null, { email: 'ada@beta.example' }, otherShop)],
        orders: [order('o1', 'c1', 100), order('o2', 'c2', 200)],
        refunds: [refund('r1', 'o1', 50), refund('r2', 'o2', 60)],
        anonymousIds: [{ shop, customerId: 'c1', anonymousId: 'browser-1' }],
      });

      const counts = await current().redact({
        shop, inboxIds: [], outboxIds: [], anonymousIds: [], customerIds: ['c1'], reason: 'redacted', enqueue: [],
      }, t0 + 1);

      expect(counts).toStrictEqual({ inbox: 0, outbox: 0, links: 0, profiles: 4 });
      expect(sorted(await current().customerProfile('c1'))).toStrictEqual({ ...none, traits: [traits('c1', null, { email: 'ada@beta.example' }, otherShop)] });
      expect(sorted(await current().customerProfile('c2'))).toStrictEqual({
        ...none, traits: [traits('c2', null, { email: 'grace@example.com' })], orders: [order('o2', 'c2', 200)], refunds: [refund('r2', 'o2', 60)],
      });
    });

    it('shop/redact removes every profile of the shop and none of another shop', async () => {
      await settle({
        traits: [traits('c1', null, { email: 'ada@example.com' }), traits('c1', null, { email: 'ada@beta.example' }, otherShop)],
        orders: [order('o1', 'c1', 100)],
        refunds: [refund('r1', 'o1', 50)],
        anonymousIds: [{ shop, customerId: 'c1', anonymousId: 'browser-1' }],
      });

      // The delivery settle() stored, and the four profile rows.
      expect(await current().forgetShop(shop)).toBe(1 + 4);
      expect(await current().customerProfile('c1')).toStrictEqual({ ...none, traits: [traits('c1', null, { email: 'ada@beta.example' }, otherShop)] });
    });
  });
}
