import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAdminClient, type AdminClient } from './admin-client.ts';
import { AdminApiError } from './admin-errors.ts';
import { startFakeAdminServer, type FakeAdminOptions, type FakeAdminServer } from './fake-admin-server.ts';
import { createFakeClock, type FakeClock } from './fake-clock.ts';
import { fetchOrdersPage } from './fetch-orders.ts';
import { fakeOrders } from './fake-orders.ts';

const shop = 'throttle.myshopify.com';
const token = 'shpat_0123456789abcdef0123456789abcdef';
const since = new Date('2026-10-01T00:00:00Z');
const shopName = z.looseObject({ shop: z.looseObject({ name: z.string() }) });

let server: FakeAdminServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: Partial<FakeAdminOptions> = {}, accessToken = token): Promise<{ client: AdminClient; clock: FakeClock; server: FakeAdminServer }> {
  const clock = createFakeClock();
  server = await startFakeAdminServer({ accessToken: token, now: clock.now, ...options });
  const client = createAdminClient({ shop, accessToken, apiVersion: '2026-07', endpoint: server.url, sleep: clock.sleep, now: clock.now });
  return { client, clock, server };
}

async function rejection(promise: Promise<unknown>): Promise<AdminApiError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof AdminApiError)) throw new Error(`expected an AdminApiError, got ${String(error)}`);
  return error;
}

describe('Admin GraphQL client: the query cost throttle', () => {
  it('waits for the bucket to refill before each page instead of being throttled', async () => {
    // 202 points a page in a 250-point bucket refilled at 50/s: every page after the first must wait ~4 s.
    const { client, clock, server } = await setup({ orders: fakeOrders(10, since), bucket: { maximumAvailable: 250, restoreRate: 50 }, orderCost: 100 });
    let cursor: string | null = null;
    let fetched = 0;
    do {
      const page = await fetchOrdersPage(client, { since, until: undefined }, cursor, 2);
      fetched += page.orders.length;
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(fetched).toBe(10);
    expect(server.requests.filter((request) => request.outcome === 'throttled')).toHaveLength(0);
    expect(clock.sleeps.length).toBeGreaterThan(0);
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(4 * 3_000);
  });

  it('waits out a THROTTLED answer exactly as long as the bucket needs, and the caller never sees it', async () => {
    // Another process of the app drained the bucket: the first query is refused.
    const { client, clock, server } = await setup({ orders: fakeOrders(3, since), bucket: { maximumAvailable: 1000, restoreRate: 100 }, initiallyAvailable: 0, orderCost: 100 });
    const page = await fetchOrdersPage(client, { since, until: undefined }, null, 3);
    expect(page.orders).toHaveLength(3);
    expect(server.requests.map((request) => request.outcome)).toStrictEqual(['throttled', 'ok']);
    // 302 points at 100/s.
    expect(clock.sleeps).toStrictEqual([3_020]);
  });
});

describe('Admin GraphQL client: failures', () => {
  it('says the token was refused, without repeating it', async () => {
    const { client } = await setup({}, 'shpat_wrong');
    const error = await rejection(client.request('query ShopName { shop { name } }', {}, shopName));
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toMatch(/SHOPIFY_ADMIN_ACCESS_TOKEN/);
    expect(error.message).not.toContain('shpat_wrong');
  });

  it('names the missing scope', async () => {
    const { client } = await setup({ scopes: [] });
    const error = await rejection(fetchOrdersPage(client, { since, until: undefined }, null, 5));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toContain('read_orders');
  });

  it('retries a 5xx with growing waits and goes on when Shopify recovers', async () => {
    const { client, clock, server } = await setup();
    let failures = 2;
    server.failWith(() => (failures-- > 0 ? 503 : undefined));
    await expect(client.request('query ShopName { shop { name } }', {}, shopName)).resolves.toStrictEqual({ shop: { name: 'Fake Shop' } });
    expect(clock.sleeps).toStrictEqual([500, 1_000]);
  });

  it('gives up after five tries when Shopify keeps failing, saying so', async () => {
    const { client, server } = await setup();
    server.failWith(() => 502);
    const error = await rejection(client.request('query ShopName { shop { name } }', {}, shopName));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/5 tries \(last: HTTP 502\)/);
    expect(server.requests).toHaveLength(5);
  });

  it('treats a closed port as a network failure, retried then reported', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const clock = createFakeClock();
    const client = createAdminClient({ shop, accessToken: token, apiVersion: '2026-07', endpoint: `http://127.0.0.1:${closed}`, sleep: clock.sleep, now: clock.now });
    const error = await rejection(client.request('query ShopName { shop { name } }', {}, shopName));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('ECONNREFUSED');
  });
});
