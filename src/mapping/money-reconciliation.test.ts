import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import { currencyExponent, parseMoney } from '../shopify/money.ts';
import { simulateWebhooks } from '../simulator/store-simulator.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { MapContext } from './mapper.ts';
import { mapOrderRefunded } from './order-refunded.ts';
import { mapOrderCreated } from './order-topics.ts';

/**
 * Money is exact: over simulated stores (several currencies, 0/2/3-decimal ones included, discounts, shipping, taxes
 * included or not, partial and full refunds), every amount cartstream sends reconciles with what Shopify sent to the
 * minor unit. Compared as integers of minor units, never as floats with a tolerance.
 */

type Json = Record<string, any>;
const shop = 'money.myshopify.com';
const context = (topic: string): MapContext => ({ shop, topic, webhookId: 'w', apiVersion: '2026-07', triggeredAt: null });

/** An amount as integer minor units of the currency; fails the test when it is not representable exactly. */
function minor(value: unknown, currency: string): number {
  const parsed = parseMoney(typeof value === 'number' ? String(value) : value, currency);
  if (!parsed.ok) throw new Error(`${String(value)} ${currency}: ${parsed.reason}`);
  return parsed.value.minor;
}

/** Whether a number output has no more decimals than the currency has (so it names an exact amount). */
function fitsCurrency(value: number, currency: string): boolean {
  const exponent = currencyExponent(currency);
  if (!exponent.ok) return false;
  const scaled = value * 10 ** exponent.value;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

function track(messages: readonly SegmentMessage[], event: string): Json {
  const found = messages.find((m) => m.type === 'track' && m.event === event);
  if (!found) throw new Error(`no ${event}`);
  return found.properties as Json;
}

/** Checks an order's amounts; returns the state the pipeline would keep for it (refunds read it). */
function checkOrder(body: Json): unknown {
  const result = mapOrderCreated(body, context('orders/create'));
  if (result.kind !== 'mapped') return undefined; // other channels: not an Order Completed
  const p = track(result.messages, body.source_name === 'pos' ? 'POS Order Placed' : 'Order Completed');
  const currency = String(body.currency);
  for (const key of ['total', 'subtotal', 'revenue', 'shipping', 'tax', 'discount']) {
    if (p[key] !== undefined) expect(fitsCurrency(p[key], currency), `${key} ${p[key]} ${currency}`).toBe(true);
  }
  // What Shopify said, to the minor unit.
  expect(minor(p.total, currency)).toBe(minor(body.total_price, currency));
  expect(minor(p.tax, currency)).toBe(minor(body.total_tax ?? '0', currency));
  expect(minor(p.discount, currency)).toBe(minor(body.total_discounts ?? '0', currency));
  // revenue = total − shipping − tax, exactly (order-amounts.ts).
  expect(minor(p.revenue, currency)).toBe(minor(p.total, currency) - minor(p.shipping, currency) - minor(p.tax, currency));
  // The lines at their unit prices, less the discounts, are the subtotal Shopify reports.
  const lines = (p.products as Json[]).reduce((sum, product) => sum + minor(product.price, currency) * product.quantity, 0);
  expect(lines - minor(p.discount, currency)).toBe(minor(body.subtotal_price, currency));
  if (p.presentment_total !== undefined) {
    expect(minor(p.presentment_total, p.presentment_currency)).toBe(minor(body.total_price_set.presentment_money.amount, p.presentment_currency));
  }
  return result.state;
}

function checkRefund(body: Json, order: Json, state: unknown): void {
  // As the pipeline maps it: with the order's stored state, which tells a refund of whole lines from a full one.
  const result = mapOrderRefunded(body, { ...context('refunds/create'), ...(state === undefined ? {} : { previous: { version: 0, state } }) });
  if (result.kind !== 'mapped') throw new Error(result.reason);
  const p = track(result.messages, 'Order Refunded');
  const currency = String(order.currency);
  const refunded = (body.transactions as Json[])
    .filter((t) => t.kind === 'refund' && t.status === 'success')
    .reduce((sum, t) => sum + minor(t.amount, currency), 0);
  expect(fitsCurrency(p.total, currency)).toBe(true);
  expect(minor(p.total, currency)).toBe(refunded);
  expect(minor(p.total, currency)).toBeLessThanOrEqual(minor(order.total_price, currency));
  expect(p.partial === true, `partial marks a refund of less than the total: ${JSON.stringify({ total: p.total, refunded, orderTotal: order.total_price, currency, tx: (body.transactions as Json[]).map((t) => [t.kind, t.status, t.amount, t.currency]) })}`).toBe(refunded < minor(order.total_price, currency));
}

describe('money reconciles to the minor unit', () => {
  it('over simulated stores: order totals, revenue, lines less discounts, presentment totals and refunds', () => {
    const currencies = new Set<string>();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const hooks = simulateWebhooks({ shop, seed, startTime: '2025-06-02T14:00:00Z', count: 250, refundShare: 0.5, refundDelayMinutes: [0, 1] });
        const orders = new Map<string, { body: Json; state: unknown }>();
        for (const hook of hooks) {
          const body = parseJsonExact(hook.body) as Json;
          if (hook.topic === 'orders/create') {
            currencies.add(String(body.currency));
            orders.set(String(body.id), { body, state: checkOrder(body) });
          }
          const order = orders.get(String(body.order_id));
          if (hook.topic === 'refunds/create' && order) checkRefund(body, order.body, order.state);
        }
      }),
      { seed: 20_261_122, numRuns: 12 },
    );
    // The simulator's stores price in currencies with 0, 2 and 3 decimals.
    expect([...currencies].map((c) => (currencyExponent(c) as { value: number }).value).sort()).toEqual(expect.arrayContaining([0, 2]));
  });
});
