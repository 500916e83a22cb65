import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdminClient } from '../shopify-admin/admin-client.ts';
import { AdminApiError } from '../shopify-admin/admin-errors.ts';
import { startFakeAdminServer, type FakeAdminServer, type FakeOrder } from '../shopify-admin/fake-admin-server.ts';
import { createFakeClock, type FakeClock } from '../shopify-admin/fake-clock.ts';
import { fakeOrderId, fakeOrders } from '../shopify-admin/fake-orders.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { backfillKey, openBackfillState, type BackfillState } from './backfill-state.ts';
import { progressLine } from './progress.ts';
import { runBackfill, type BackfillOptions } from './run-backfill.ts';

const shop = 'backfill.myshopify.com';
const token = 'shpat_backfill_test_token_0000000000';
const since = new Date('2026-09-01T00:00:00Z');
const until = new Date('2026-10-01T00:00:00Z');

let dir: string;
let server: FakeAdminServer;
let store: Store;
let state: BackfillState;
let clock: FakeClock;

/** 23 orders (5 with a refund, one with 12 line items), plus one before and one after the period. */
function catalogue(): FakeOrder[] {
  const inside = fakeOrders(23, since, { refundEvery: 5, manyLinesAt: 3 });
  const outside = fakeOrders(2, new Date('2026-08-31T23:59:00Z')).map((order, n) => ({
    ...order, node: { ...order.node, id: `gid://shopify/Order/9${n}`, createdAt: n === 0 ? '2026-08-31T23:59:00Z' : '2026-10-01T00:00:00Z' },
  }));
  return [...inside, ...outside];
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cartstream-backfill-'));
  clock = createFakeClock();
  server = await startFakeAdminServer({ accessToken: token, orders: catalogue(), now: clock.now, bucket: { maximumAvailable: 1000, restoreRate: 100 }, orderCost: 60 });
  store = await openStore(':memory:');
  state = openBackfillState(join(dir, 'backfill-state.json'));
});

afterEach(async () => {
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function options(overrides: Partial<BackfillOptions> = {}): BackfillOptions {
  const client = createAdminClient({ shop, accessToken: token, apiVersion: '2026-07', endpoint: server.url, sleep: clock.sleep, now: clock.now, backoffMs: 100 });
  return { client, store, state, shop, apiVersion: '2026-07', since, until, pageSize: 5, now: clock.now, ...overrides };
}

const orderPages = () => server.requests.filter((request) => request.operation === 'BackfillOrders' && request.outcome === 'ok');

describe('backfill', () => {
  it('stores every order of the period and each refund across several pages, as webhooks are stored', async () => {
    const result = await runBackfill(options());
    expect(result).toMatchObject({ orders: 23, deliveries: 28, stored: 28, alreadyStored: 0, resumedFrom: null });
    expect(orderPages()).toHaveLength(5);
    expect(orderPages()[0]?.variables).toStrictEqual({ first: 5, after: null, query: "created_at:>='2026-09-01T00:00:00Z' AND created_at:<'2026-10-01T00:00:00Z'" });
    const rows = await store.claimInbox({ worker: 't', limit: 100, leaseMs: 1_000, now: clock.now() });
    expect(rows.filter((row) => row.topic === 'orders/create')).toHaveLength(23);
    expect(rows.filter((row) => row.topic === 'refunds/create')).toHaveLength(5);
    const many = rows.find((row) => row.webhookId === `backfill:${fakeOrderId(3)}`)!;
    expect((JSON.parse(many.body.toString()) as { line_items: unknown[] }).line_items).toHaveLength(12);
    expect(many.headers).toMatchObject({ 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': shop });
  });

  it('stores nothing new when the same period is backfilled again', async () => {
    await runBackfill(options());
    const again = await runBackfill(options());
    expect(again).toMatchObject({ orders: 23, stored: 0, alreadyStored: 28 });
    const counts = await store.counts();
    expect(counts.inbox.pending).toBe(28);
  });

  it('continues an interrupted backfill from the saved cursor', async () => {
    let served = 0;
    server.failWith((operation) => (operation === 'BackfillOrders' && ++served > 2 ? 503 : undefined));
    const failure = await runBackfill(options()).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(AdminApiError);
    const saved = state.load(backfillKey(shop, since, until));
    expect(saved).toMatchObject({ orders: 10, stored: 12 });
    expect((await store.counts()).inbox.pending).toBe(12);

    server.failWith(null);
    const before = orderPages().length;
    const resumed = await runBackfill(options());
    expect(orderPages()[before]?.variables.after).toBe(saved?.cursor);
    expect(resumed).toMatchObject({ orders: 23, stored: 28, resumedFrom: saved?.cursor });
    expect((await store.counts()).inbox.pending).toBe(28);
    expect(state.load(backfillKey(shop, since, until))).toBeUndefined();
  });

  it('starts over with restart, storing nothing twice', async () => {
    let served = 0;
    server.failWith((operation) => (operation === 'BackfillOrders' && ++served > 1 ? 503 : undefined));
    await expect(runBackfill(options())).rejects.toThrow(AdminApiError);
    server.failWith(null);
    const before = orderPages().length;
    const result = await runBackfill(options({ restart: true }));
    expect(orderPages()[before]?.variables.after).toBeNull();
    expect(result).toMatchObject({ orders: 23, stored: 22, alreadyStored: 6, resumedFrom: null });
  });

  it('stores nothing and keeps no cursor in a dry run', async () => {
    const result = await runBackfill(options({ dryRun: true }));
    expect(result).toMatchObject({ orders: 23, deliveries: 28, stored: 0 });
    expect((await store.counts()).inbox.pending).toBe(0);
    expect(() => readFileSync(join(dir, 'backfill-state.json'))).toThrow();
  });

  it('draws progress against the period total', async () => {
    const lines: string[] = [];
    await runBackfill(options({
      progress: (total) => ({ update: (done, stored) => lines.push(progressLine(done, stored, total, 10)), end: () => {} }),
    }));
    expect(lines[0]).toBe('[##········]  22% 5/23 orders, 6 new deliveries stored');
    expect(lines.at(-1)).toBe('[##########] 100% 23/23 orders, 28 new deliveries stored');
  });
});
