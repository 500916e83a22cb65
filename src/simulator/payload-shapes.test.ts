import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJsonExact } from './json-bytes.ts';
import { simulateWebhooks, type SimulatedWebhook } from './store-simulator.ts';

/** Shopify's documentation sample body for a topic (the simulator itself never reads these). */
function sample(topic: string): unknown {
  const file = new URL(`../../../shared/fixtures/shopify/samples/${topic.replace('/', '_')}.json`, import.meta.url);
  return (parseJsonExact(readFileSync(file)) as { response: unknown }).response;
}

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'bigint' ? 'number' : typeof value;

/** Paths where `ours` lacks a key of `theirs`, or holds another JSON type where both are non-null. */
function shapeDifferences(theirs: unknown, ours: unknown, path = '$'): string[] {
  const [a, b] = [kindOf(theirs), kindOf(ours)];
  if (a === 'null' || b === 'null') return [];
  if (a !== b) return [`${path}: ${b} where Shopify has ${a}`];
  if (a === 'array') {
    const [first, mine] = [(theirs as unknown[])[0], (ours as unknown[])[0]];
    return first === undefined || mine === undefined ? [] : shapeDifferences(first, mine, `${path}[0]`);
  }
  if (a !== 'object') return [];
  const mine = ours as Record<string, unknown>;
  return Object.entries(theirs as Record<string, unknown>).flatMap(([key, value]) =>
    key in mine ? shapeDifferences(value, mine[key], `${path}.${key}`) : [`${path}.${key}: missing`],
  );
}

describe('payload shapes match Shopify’s samples', () => {
  const hooks = simulateWebhooks({ shop: 'shape.myshopify.com', seed: 21, startTime: '2025-03-01T12:00:00Z', count: 3_000, refundShare: 0.5 });
  /** The richest delivery of a topic: the longest body (discounts, several lines, a shipping refund). */
  const richest = (topic: string): SimulatedWebhook => {
    const ofTopic = hooks.filter((w) => w.topic === topic);
    return ofTopic.reduce((best, w) => (w.body.length > best.body.length ? w : best));
  };

  it.each([
    'orders/create', 'orders/paid', 'refunds/create', 'checkouts/create', 'checkouts/update',
    'carts/create', 'carts/update', 'customers/create', 'customers/update',
  ])('%s has every field of the sample, with the same JSON types', (topic) => {
    const ours = parseJsonExact(richest(topic).body);
    expect(shapeDifferences(sample(topic), ours)).toEqual([]);
  });

  it('would notice a missing field or a changed type', () => {
    expect(shapeDifferences({ a: '1.00', b: [{ c: 1 }] }, { a: 1, b: [{}] })).toEqual(['$.a: number where Shopify has string', '$.b[0].c: missing']);
  });

  it('includes the ids real webhooks carry beyond the samples', () => {
    const order = parseJsonExact(richest('orders/create').body) as Record<string, unknown>;
    expect(typeof order.checkout_id).toBe('bigint');
    const checkout = parseJsonExact(richest('checkouts/create').body) as Record<string, unknown>;
    expect(typeof checkout.id).toBe('bigint');
  });
});
