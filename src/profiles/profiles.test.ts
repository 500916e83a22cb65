import { describe, expect, it } from 'vitest';
import { pipelineConfigSchema } from '../config/config-schema.ts';
import { sampleResponseText, testShop as shop } from '../mapping/samples-for-tests.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import type { ProfileOrder, ProfileRecords } from '../store/store.ts';
import { profileOf, traitsSupersede } from './customer-profile.ts';
import { defaultLtvTiers, ltvTier } from './ltv-tier.ts';
import { profileBook, profileQueryOf } from './profile-book.ts';
import { profileChangesOf, type ProfileChanges } from './profile-changes.ts';

const none: ProfileRecords = { traits: [], orders: [], refunds: [], anonymousIds: [] };
const customer = { shop, customerId: 'c1' };

function order(orderId: string, totalMinor: number, placedAt: string, currency = 'EUR'): ProfileOrder {
  return { ...customer, orderId, currency, totalMinor, placedAt };
}

/** A live body: the sample's raw text parsed with exact ids. */
function live(name: string, edit: (text: string) => string = (text) => text): unknown {
  return parseJsonExact(Buffer.from(edit(sampleResponseText(name))));
}

describe('profileOf', () => {
  it('derives lifetime value net of refunds, order count and first and last order from the records', () => {
    const records: ProfileRecords = {
      ...none,
      orders: [order('o2', 2_000, '2025-06-02T00:00:00.000Z'), order('o1', 1_010, '2025-06-01T00:00:00.000Z'), { ...order('x', 99, '2025-06-01T00:00:00.000Z'), customerId: 'c2' }],
      refunds: [
        { shop, refundId: 'r1', orderId: 'o1', currency: 'EUR', amountMinor: 505 },
        { shop, refundId: 'r2', orderId: 'x', currency: 'EUR', amountMinor: 99 },
        { shop: 'other.myshopify.com', refundId: 'r3', orderId: 'o2', currency: 'EUR', amountMinor: 1 },
      ],
      anonymousIds: [{ ...customer, anonymousId: 'b' }, { ...customer, anonymousId: 'a' }],
    };

    expect(profileOf(records, customer)).toStrictEqual({
      ...customer, traits: undefined, lifetimeValue: { currency: 'EUR', minor: 2_505 }, orderCount: 2,
      firstOrderAt: '2025-06-01T00:00:00.000Z', lastOrderAt: '2025-06-02T00:00:00.000Z', anonymousIds: ['a', 'b'],
    });
    expect(profileOf(none, customer)).toMatchObject({ lifetimeValue: undefined, orderCount: 0, firstOrderAt: undefined });
  });

  it("sums in the latest order's currency (the shop's), leaving out orders in another", () => {
    const records = { ...none, orders: [order('o1', 500, '2025-01-01T00:00:00.000Z', 'USD'), order('o2', 700, '2025-06-01T00:00:00.000Z')] };
    expect(profileOf(records, customer)).toMatchObject({ lifetimeValue: { currency: 'EUR', minor: 700 }, orderCount: 2 });
  });

  it('lets traits supersede only by a newer or equal version; a record without one only fills an empty profile', () => {
    expect(traitsSupersede(undefined, { version: null })).toBe(true);
    expect(traitsSupersede({ version: null }, { version: null })).toBe(false);
    expect(traitsSupersede({ version: null }, { version: '2025-01-01T00:00:00.000Z' })).toBe(true);
    expect(traitsSupersede({ version: '2025-02-01T00:00:00.000Z' }, { version: '2025-01-01T00:00:00.000Z' })).toBe(false);
    expect(traitsSupersede({ version: '2025-02-01T00:00:00.000Z' }, { version: '2025-02-01T00:00:00.000Z' })).toBe(true);
  });
});

describe('ltvTier', () => {
  it('is the last tier whose threshold the value reaches', () => {
    expect([0, 0.01, 99.99, 100, 1999.99, 2000, 1e9].map((value) => ltvTier(value))).toStrictEqual(['none', 'low', 'low', 'medium', 'high', 'vip', 'vip']);
    expect(ltvTier(-5)).toBeUndefined();
  });

  it('is configured in pipeline.ltvTiers, refused with the field named when out of order', () => {
    expect(pipelineConfigSchema.parse({}).ltvTiers).toStrictEqual(defaultLtvTiers);
    const result = pipelineConfigSchema.safeParse({ ltvTiers: [{ name: 'a', from: 10 }, { name: 'b', from: 5 }] });
    expect(result.success ? [] : result.error.issues.map((issue) => [issue.path.join('.'), issue.message])).toStrictEqual([
      ['ltvTiers', 'tiers must be in increasing order of `from`'],
    ]);
  });
});

describe('profileChangesOf', () => {
  it('reads an order: its customer (exact id), record traits and version, and its total in minor units', () => {
    const changes = profileChangesOf(shop, 'orders/paid', live('orders_create.json'));
    const key = { shop, customerId: '115310627314723954' };
    expect(changes?.customer).toStrictEqual(key);
    expect(changes?.records.orders).toStrictEqual([{ ...key, orderId: '820982911946154508', currency: 'USD', totalMinor: 40_495, placedAt: '2022-01-01T00:00:00.000Z' }]);
    expect(changes?.records.traits).toMatchObject([{ ...key, version: null, traits: { email: 'john@example.com', firstName: 'John' } }]);
  });

  it('reads a refund: the order it names and the money refunded, exactly', () => {
    expect(profileChangesOf(shop, 'refunds/create', live('refunds_create.json'))).toStrictEqual({
      refundOf: { shop, orderId: '820982911946154500' },
      records: { ...none, refunds: [{ shop, refundId: '890088186047892319', orderId: '820982911946154500', currency: 'USD', amountMinor: 8_500 }] },
    });
  });

  it('reads a customer record and a checkout customer, and nothing from a guest order or a product', () => {
    expect(profileChangesOf(shop, 'customers/update', live('customers_update.json'))?.records.traits[0]?.version).toBe('2022-01-01T00:00:00.000Z');
    expect(profileChangesOf(shop, 'checkouts/create', live('checkouts_create.json'))?.customer).toStrictEqual({ shop, customerId: '603851970716743426' });
    expect(profileChangesOf(shop, 'orders/create', live('orders_create.json', (text) => text.replace(/"customer": \{/, '"customer": null, "x": {')))).toBeUndefined();
    expect(profileChangesOf(shop, 'products/update', live('products_update.json'))).toBeUndefined();
  });
});

describe('profileBook', () => {
  const placed = (orderId: string, totalMinor: number): ProfileChanges => ({ customer, records: { ...none, orders: [order(orderId, totalMinor, '2025-06-01T00:00:00.000Z')] } });
  const refunded = (refundId: string, orderId: string, amountMinor: number): ProfileChanges => ({
    refundOf: { shop, orderId }, records: { ...none, refunds: [{ shop, refundId, orderId, currency: 'EUR', amountMinor }] },
  });

  it('asks for the customers and orders of a batch in one query', () => {
    expect(profileQueryOf([placed('o1', 1), undefined, refunded('r1', 'o9', 1), placed('o1', 1)])).toStrictEqual({
      customers: [customer], orders: [{ shop, orderId: 'o1' }, { shop, orderId: 'o9' }],
    });
  });

  it('gives a row the traits stored before it, and keeps the newer of two records', () => {
    const traits = (version: string, email: string) => ({ ...customer, traits: { email }, version });
    const book = profileBook({ ...none, traits: [traits('2025-06-02T00:00:00.000Z', 'new@example.com')] });
    const older = { customer, records: { ...none, traits: [traits('2025-06-01T00:00:00.000Z', 'old@example.com')] } };
    expect(book.view(older)).toMatchObject({ before: { traits: { traits: { email: 'new@example.com' } } }, after: { traits: { traits: { email: 'new@example.com' } } } });
  });

  it("maps each row with what earlier rows of the batch applied, and finds a refund's customer through their order", () => {
    const book = profileBook({ ...none, orders: [order('o0', 1_000, '2025-05-01T00:00:00.000Z')] });
    const first = placed('o1', 250);
    expect(book.view(first)).toMatchObject({ before: { traits: undefined }, after: { orderCount: 2, lifetimeValue: { minor: 1_250 } } });
    book.apply(first);

    // A replay of the order and a retried refund change nothing.
    const refund = refunded('r1', 'o1', 100);
    book.apply(refund);
    expect(book.view(placed('o1', 250))?.after).toMatchObject({ orderCount: 2, lifetimeValue: { minor: 1_150 } });
    expect(book.view(refund)).toMatchObject({ after: { customerId: 'c1', lifetimeValue: { minor: 1_150 } } });
    expect(book.view(refunded('r2', 'unknown-order', 5))).toBeUndefined();
    expect(book.view(undefined)).toBeUndefined();
  });
});
