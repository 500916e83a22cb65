import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findVariant } from './catalog.ts';
import { parseJsonExact } from './json-bytes.ts';
import { auditOrderMoney, auditRefund } from './order-audit.ts';
import { anonymousIdAttribute } from './payloads/note-attributes.ts';
import { createStoreSimulator, simulateWebhooks, type SimulatedWebhook } from './store-simulator.ts';

type Json = Record<string, unknown>;
const base = { shop: 'sim-test.myshopify.com', startTime: '2025-03-01T12:00:00Z' };
const parse = (w: SimulatedWebhook): Json => parseJsonExact(w.body) as Json;
const list = (value: unknown): Json[] => value as Json[];

describe('createStoreSimulator', () => {
  const hooks = simulateWebhooks({ ...base, seed: 11, count: 3_000, refundShare: 0.3 });
  const parsed = hooks.map((w) => ({ w, body: parse(w) }));
  const orderCreates = parsed.filter(({ w }) => w.topic === 'orders/create' && !w.redelivery);

  it('is deterministic: the same seed gives the same bytes, another seed other bytes', () => {
    const again = simulateWebhooks({ ...base, seed: 11, count: 3_000, refundShare: 0.3 });
    expect(again.map((w) => [w.webhookId, w.triggeredAt, w.body.toString('base64')])).toEqual(
      hooks.map((w) => [w.webhookId, w.triggeredAt, w.body.toString('base64')]),
    );
    const other = simulateWebhooks({ ...base, seed: 12, count: 50 });
    expect(other.map((w) => w.body.toString())).not.toEqual(hooks.slice(0, 50).map((w) => w.body.toString()));
  });

  it('emits webhooks in time order, starting at startTime, with unique webhook ids', () => {
    const times = hooks.map((w) => Date.parse(w.triggeredAt));
    expect(times[0]).toBe(Date.parse(base.startTime));
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] as number))).toBe(true);
    expect(new Set(hooks.map((w) => w.webhookId)).size).toBe(hooks.length);
  });

  it('makes every order and refund add up, in exact integer arithmetic', () => {
    for (const { w, body } of parsed) {
      if (w.kind === 'order') expect(auditOrderMoney(body), `${w.topic} ${w.orderId}`).toEqual([]);
    }
    const orders = new Map(orderCreates.map(({ body }) => [body.id, body]));
    const refunds = parsed.filter(({ w }) => w.topic === 'refunds/create');
    expect(refunds.length).toBeGreaterThan(20);
    for (const { body } of refunds) {
      const order = orders.get(body.order_id);
      expect(order, 'refund of an order sent earlier').toBeDefined();
      expect(auditRefund(body, order as Json)).toEqual([]);
    }
  });

  it('refunds fully (the whole total) or partly (less)', () => {
    const orders = new Map(orderCreates.map(({ body }) => [body.id, body]));
    const kinds = parsed
      .filter(({ w }) => w.topic === 'refunds/create')
      .map(({ body }) => {
        const refunded = list(body.transactions).reduce((sum, t) => sum + Number(t.amount), 0);
        return Math.abs(refunded - Number(orders.get(body.order_id)?.total_price)) < 1e-9 ? 'full' : 'partial';
      });
    expect(new Set(kinds)).toEqual(new Set(['full', 'partial']));
  });

  it('sells only catalog variants, with their product ids and titles', () => {
    for (const { body } of orderCreates) {
      for (const line of list(body.line_items)) {
        const found = findVariant(line.variant_id as bigint);
        expect(found?.product.id).toBe(line.product_id);
        expect(line.title).toBe(found?.product.title);
        expect(line.sku).toBe(found?.variant.sku);
      }
    }
  });

  it('links web orders to the shopper’s cart, checkout and anonymousId', () => {
    const checkouts = new Map(parsed.filter(({ w }) => w.kind === 'checkout').map(({ body }) => [body.token, body]));
    const carts = new Set(parsed.filter(({ w }) => w.kind === 'cart').map(({ body }) => body.token));
    const web = orderCreates.filter(({ body }) => body.source_name === 'web');
    expect(web.length).toBeGreaterThan(50);
    for (const { w, body } of web) {
      const checkout = checkouts.get(body.checkout_token);
      expect(checkout?.id).toBe(body.checkout_id);
      expect(checkout?.cart_token).toBe(body.cart_token);
      expect(carts.has(body.cart_token)).toBe(true);
      const attribute = list(body.note_attributes).find((a) => a.name === anonymousIdAttribute);
      expect(attribute?.value).toBe(w.anonymousId);
      expect(list(checkout?.note_attributes)[0]?.value).toBe(w.anonymousId);
    }
  });

  it('creates a customer before their first order, and embeds the same customer in it', () => {
    const created = new Map<bigint, number>();
    parsed.forEach(({ w, body }, i) => {
      if (w.topic === 'customers/create') created.set(body.id as bigint, i);
    });
    parsed.forEach(({ w, body }, i) => {
      if (w.topic !== 'orders/create' || !body.customer) return;
      const customer = body.customer as Json;
      expect(created.get(customer.id as bigint)).toBeLessThan(i);
      expect(w.customerId).toBe(String(customer.id));
      expect(body.email).toBe(customer.email);
    });
  });

  it('orders each shopper’s story: cart, checkout, order, payment, refund', () => {
    const firstAt = new Map<string, number>();
    parsed.forEach(({ w, body }, i) => {
      const key = `${w.topic}:${String(body.cart_token ?? body.token ?? body.order_id ?? body.id)}`;
      if (!firstAt.has(key)) firstAt.set(key, i);
    });
    for (const { body } of orderCreates.filter(({ body }) => body.cart_token)) {
      const at = (topic: string, key: unknown): number => firstAt.get(`${topic}:${String(key)}`) ?? -1;
      const cart = at('carts/create', body.cart_token);
      const checkout = at('checkouts/create', body.cart_token);
      const order = at('orders/create', body.cart_token);
      expect(cart).toBeGreaterThanOrEqual(0);
      expect(cart).toBeLessThan(checkout);
      expect(checkout).toBeLessThan(order);
      const paid = at('orders/paid', body.cart_token);
      if (paid >= 0) expect(order).toBeLessThan(paid);
      const refund = at('refunds/create', body.id);
      if (refund >= 0) expect(Math.max(order, paid)).toBeLessThan(refund);
    }
  });

  it('writes ids above 2^53 as exact digits in the raw body', () => {
    for (const { w, body } of orderCreates.slice(0, 50)) {
      expect(w.orderId && BigInt(w.orderId) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      expect(w.body.toString()).toContain(`{"id":${w.orderId},"admin_graphql_api_id":"gid://shopify/Order/${w.orderId}"`);
      expect(body.id).toBe(BigInt(w.orderId as string));
    }
  });

  it('marks expectOrderCompleted exactly once per web order, never for other channels or redeliveries', () => {
    const flagged = hooks.filter((w) => w.expectOrderCompleted);
    expect(flagged.every((w) => w.topic === 'orders/create' && !w.redelivery)).toBe(true);
    expect(new Set(flagged.map((w) => w.orderId)).size).toBe(flagged.length);
    const webOrderIds = new Set(orderCreates.filter(({ body }) => body.source_name === 'web').map(({ w }) => w.orderId));
    expect(new Set(flagged.map((w) => w.orderId))).toEqual(webOrderIds);
  });

  it('re-delivers some orders/create with the same event id and body but a new webhook id', () => {
    const redeliveries = hooks.filter((w) => w.redelivery);
    expect(redeliveries.length).toBeGreaterThan(0);
    for (const again of redeliveries) {
      const first = hooks.find((w) => w.eventId === again.eventId && !w.redelivery);
      expect(first?.body.equals(again.body)).toBe(true);
      expect(first?.webhookId).not.toBe(again.webhookId);
    }
  });
});

describe('traffic mix over 500 events', () => {
  const hooks = simulateWebhooks({ ...base, seed: 3, count: 500 });
  const orders = hooks.filter((w) => w.topic === 'orders/create').map((w) => parseJsonExact(w.body) as Json);

  it('covers the topics a store sends', () => {
    const topics = new Set(hooks.map((w) => w.topic));
    for (const topic of ['carts/create', 'carts/update', 'checkouts/create', 'checkouts/update', 'customers/create', 'customers/update', 'orders/create', 'orders/paid']) {
      expect(topics).toContain(topic);
    }
  });

  it('sells mostly on the web, also on other channels, in all four currencies', () => {
    const channels = orders.map((o) => o.source_name);
    expect(new Set(channels)).toEqual(new Set(['web', 'pos', 'shopify_draft_order', 'iphone']));
    expect(channels.filter((c) => c === 'web').length / channels.length).toBeGreaterThan(0.6);
    expect(new Set(orders.map((o) => o.currency))).toEqual(new Set(['USD', 'EUR', 'GBP', 'JPY']));
    expect(orders.some((o) => list(o.discount_codes).length > 0)).toBe(true);
  });

  it('writes yen without decimals', () => {
    const yen = orders.filter((o) => o.currency === 'JPY');
    expect(yen.length).toBeGreaterThan(0);
    for (const o of yen) expect(String(o.total_price)).toMatch(/^\d+$/);
  });
});

describe('options', () => {
  it('follows webOrderShare', () => {
    const share = (webOrderShare: number): number => {
      const orders = simulateWebhooks({ ...base, seed: 5, count: 3_000, webOrderShare }).filter((w) => w.topic === 'orders/create');
      return orders.filter((w) => w.expectOrderCompleted).length / orders.length;
    };
    expect(share(0.5)).toBeGreaterThan(0.4);
    expect(share(0.5)).toBeLessThan(0.6);
    expect(share(1)).toBeGreaterThan(0.95);
  });

  it('streams endlessly without count and reads no clock', () => {
    const sim = createStoreSimulator({ ...base, seed: 8 });
    const first = Array.from({ length: 5 }, () => sim.next().value as SimulatedWebhook);
    expect(first.map((w) => w.triggeredAt)).toEqual(simulateWebhooks({ ...base, seed: 8, count: 5 }).map((w) => w.triggeredAt));
  });

  it('rejects invalid options by name', () => {
    expect(() => simulateWebhooks({ ...base, seed: 1, count: 1, refundShare: 2 })).toThrow(/refundShare/);
    expect(() => simulateWebhooks({ ...base, startTime: 'soon', seed: 1, count: 1 })).toThrow(/startTime/);
  });
});

describe('every seed', () => {
  it('produces orders and refunds that add up', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const hooks = simulateWebhooks({ ...base, seed, count: 400, refundShare: 0.5, refundDelayMinutes: [0, 1] });
        const orders = new Map<unknown, Json>();
        for (const w of hooks) {
          const body = parseJsonExact(w.body) as Json;
          if (w.kind === 'order') {
            orders.set(body.id, body);
            expect(auditOrderMoney(body)).toEqual([]);
          }
          if (w.kind === 'refund') expect(auditRefund(body, orders.get(body.order_id) as Json)).toEqual([]);
        }
      }),
      { numRuns: 15 },
    );
  });
});
