import { describe, expect, it } from 'vitest';
import { findVariant } from './catalog.ts';
import { parseJsonExact } from './json-bytes.ts';
import { auditOrderMoney } from './order-audit.ts';
import { buildOrderCreateTemplate } from './order-template.ts';

type Json = Record<string, unknown>;
const options = { shop: 'bench.myshopify.com', startTime: '2025-03-01T00:00:00Z' };

describe('buildOrderCreateTemplate', () => {
  it('builds a web orders/create body of about 11 KB, like Shopify’s sample', () => {
    for (const index of [0, 1, 77, 12_345]) {
      const size = buildOrderCreateTemplate({ ...options, index }).body.length;
      expect(size).toBeGreaterThan(10_500);
      expect(size).toBeLessThan(12_500);
    }
  });

  it('is consistent: money adds up, lines are catalog variants, the anonymousId is a note attribute', () => {
    for (const currency of ['USD', 'EUR', 'GBP', 'JPY'] as const) {
      const webhook = buildOrderCreateTemplate({ ...options, index: 3, currency });
      const order = parseJsonExact(webhook.body) as Json;
      expect(auditOrderMoney(order)).toEqual([]);
      expect(order.currency).toBe(currency);
      for (const line of order.line_items as Json[]) expect(findVariant(line.variant_id as bigint)?.product.id).toBe(line.product_id);
      expect(order.note_attributes).toEqual([{ name: '_cartstream_anonymous_id', value: webhook.anonymousId }]);
      expect(String((order.customer as Json).id)).toBe(webhook.customerId);
      expect(webhook.expectOrderCompleted).toBe(true);
    }
  });

  it('gives each index its own ids and is the same for the same index', () => {
    const a = buildOrderCreateTemplate({ ...options, index: 41 });
    expect(buildOrderCreateTemplate({ ...options, index: 41 }).body.equals(a.body)).toBe(true);
    const orderIds = new Set(Array.from({ length: 500 }, (_, index) => buildOrderCreateTemplate({ ...options, index }).orderId));
    expect(orderIds.size).toBe(500);
    expect(BigInt(a.orderId as string) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(a.body.toString()).toContain(`"id":${a.orderId},`);
  });
});
