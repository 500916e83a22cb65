import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { specViolation } from '../spec/validate-message.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import type { MapContext, MapResult } from './mapper.ts';
import { eventNamesFor, mapperFor } from './topic-mappers.ts';

/**
 * Every Shopify fixture through parseJsonExact and the mapper for its topic: nothing may throw, and every
 * result is either well-formed messages or a stated reason.
 */
const fixtures = new URL('../../../shared/fixtures/shopify/', import.meta.url);

interface Fixture {
  file: string;
  topic: string;
  body: unknown;
}

/** Exemplars are named <resource>_<api version>_<n>; the topic each would arrive on. */
const exemplarTopics: Record<string, string> = { orders: 'orders/create', refunds: 'refunds/create' };

/** Samples name their topic in `name`. */
function loadFixtures(): Fixture[] {
  const samples = readdirSync(new URL('samples/', fixtures)).map((file) => {
    const sample = parseJsonExact(readFileSync(new URL(`samples/${file}`, fixtures))) as { name: string; response: unknown };
    return { file: `samples/${file}`, topic: sample.name, body: sample.response };
  });
  const exemplars = readdirSync(new URL('exemplars/', fixtures)).map((file) => {
    const resource = file.replace(/_\d{4}-\d{2}_\d+\.json$/, '');
    const topic = exemplarTopics[resource] ?? `${resource}/update`;
    return { file: `exemplars/${file}`, topic, body: parseJsonExact(readFileSync(new URL(`exemplars/${file}`, fixtures))) };
  });
  return [...samples, ...exemplars];
}

/** Every number anywhere inside a value. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(numbersIn);
}

/** Every `*_id` property, at the top level and in products/variants, is a string (never a rounded number). */
function expectStringIds(record: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(record)) {
    if (key.endsWith('_id')) expect(typeof value, key).toBe('string');
  }
  for (const nested of ['products', 'variants']) {
    for (const item of (record[nested] ?? []) as Record<string, unknown>[]) {
      for (const key of ['product_id', 'shopify_product_id', 'shopify_variant_id', 'sku', 'name']) {
        if (key in item) expect(typeof item[key], `${nested}[].${key}`).toBe('string');
      }
    }
  }
}

function expectWellFormed(message: SegmentMessage, topic: string): void {
  expect(specViolation(message, 'shopify'), message.event ?? message.type).toBeNull();
  expect(['track', 'identify']).toContain(message.type);
  expect(message.messageId).toMatch(/^cs-[0-9a-f]{32}$/);
  expect(new Date(message.timestamp).toISOString()).toBe(message.timestamp);
  // Segment refuses a call with neither.
  expect(message.userId ?? message.anonymousId).toMatch(/\S/);
  if (message.anonymousId !== undefined) expect(typeof message.anonymousId).toBe('string');
  if (message.userId !== undefined) expect(message.userId).toMatch(/^\d+$/);
  for (const number of numbersIn([message.properties, message.traits])) expect(Number.isFinite(number)).toBe(true);
  if (message.type === 'track') {
    expect(eventNamesFor(topic)).toContain(message.event);
    const properties = message.properties ?? {};
    expectStringIds(properties);
    if ('order_id' in properties) expect(properties.order_id).toMatch(/^\d+$/);
  }
}

function expectSound(result: MapResult, topic: string): void {
  if (result.kind === 'mapped') {
    expect(result.messages.length).toBeGreaterThan(0);
    for (const message of result.messages) expectWellFormed(message, topic);
    const ids = result.messages.map((message) => message.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  } else {
    expect(result.reason).toMatch(/\S/);
  }
}

/** "identify, Order Completed" or "unmappable: <reason>": one line per fixture for the golden table below. */
function outcomeOf(result: MapResult): string {
  if (result.kind !== 'mapped') return `${result.kind}: ${result.reason}`;
  return result.messages.map((message) => message.event ?? message.type).join(', ');
}

const all = loadFixtures();
const context = (topic: string): MapContext => ({
  shop: 'demo.myshopify.com',
  topic,
  webhookId: 'sweep',
  apiVersion: null,
  triggeredAt: null,
});

describe('every Shopify fixture', () => {
  it('finds the fixtures (so this sweep cannot pass empty)', () => {
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(all.filter((fixture) => mapperFor(fixture.topic) !== undefined).length).toBeGreaterThanOrEqual(36);
  });

  it.each(all.map((fixture) => [fixture.file, fixture] as const))('%s maps soundly or has no mapper yet', (_file, fixture) => {
    const mapper = mapperFor(fixture.topic);
    if (mapper === undefined) return;
    expectSound(mapper(fixture.body, context(fixture.topic)), fixture.topic);
  });

  it('maps every sample with a mapper, and says why each fixture it cannot map is kept', () => {
    const outcomes = Object.fromEntries(
      all.flatMap((fixture) => {
        const result = mapperFor(fixture.topic)?.(fixture.body, context(fixture.topic));
        return result === undefined ? [] : [[fixture.file, outcomeOf(result)]];
      }),
    );
    // The samples' inventory level is empty and products/delete has no time without its header (tested with it in
    // product-events.test.ts); the exemplars hold placeholders ("example string") where amounts and codes belong
    // (their orders' source_name too: every channel is mapped, each destination's options choose which it gets).
    expect(outcomes).toStrictEqual({
      'samples/carts_create.json': 'ignored: 1 addition(s) wait for the debounce',
      'samples/carts_update.json': 'ignored: 1 addition(s) wait for the debounce',
      'samples/checkouts_create.json': 'identify, Checkout Started',
      'samples/checkouts_update.json': 'identify, Checkout Step Viewed, Checkout Step Completed',
      'samples/customers_create.json': 'identify, Customer Created',
      'samples/customers_enable.json': 'identify, Customer Enabled',
      'samples/customers_update.json': 'identify, Customer Updated',
      'samples/fulfillments_create.json': 'Fulfillment Created',
      'samples/fulfillments_update.json': 'Fulfillment Updated',
      'samples/inventory_levels_update.json': 'unmappable: inventory_item_id: missing; location_id: missing',
      'samples/orders_cancelled.json': 'identify, Order Cancelled',
      'samples/orders_create.json': 'identify, Order Completed',
      'samples/orders_edited.json': 'ignored: no stored state of the order (not a reported order, or placed before cartstream)',
      'samples/orders_fulfilled.json': 'identify, Order Fulfilled',
      'samples/orders_paid.json': 'identify, Order Completed, Order Paid',
      'samples/orders_partially_fulfilled.json': 'identify, Order Partially Fulfilled',
      'samples/orders_updated.json': 'ignored: first sighting of the order: nothing to compare with',
      'samples/products_create.json': 'Product Created',
      'samples/products_delete.json': 'unmappable: products/delete carries no time and X-Shopify-Triggered-At is missing',
      'samples/products_update.json': 'Product Updated',
      'samples/refunds_create.json': 'Order Refunded',
      'exemplars/carts_2025-04_1.json': 'ignored: 1 addition(s) wait for the debounce',
      'exemplars/checkouts_2023-10_1.json': 'identify, Checkout Step Viewed, Checkout Step Completed',
      'exemplars/checkouts_2023-10_2.json': 'identify, Checkout Step Viewed, Checkout Step Completed, Checkout Step Viewed, Checkout Step Completed, Checkout Step Viewed, Checkout Step Completed, Payment Info Entered',
      'exemplars/checkouts_2024-01_1.json': "unmappable: updated_at: \"example string\" is not an ISO-8601 time",
      'exemplars/checkouts_2024-01_2.json': "unmappable: discount_codes[0].amount: \"example string\" is not an ISO 4217 currency code",
      'exemplars/checkouts_2024-01_3.json': 'identify, Checkout Step Viewed, Checkout Step Completed, Checkout Step Viewed, Checkout Step Completed',
      'exemplars/checkouts_2024-01_5.json': 'Checkout Step Viewed, Checkout Step Completed, Checkout Step Viewed, Checkout Step Completed',
      'exemplars/checkouts_2024-01_6.json': "unmappable: discount_codes[0].amount: \"example string\" is not an ISO 4217 currency code",
      'exemplars/checkouts_2024-04_1.json': 'identify, Checkout Step Viewed, Checkout Step Completed',
      'exemplars/checkouts_2024-04_2.json': "unmappable: discount_codes[0].amount: \"example string\" is not an ISO 4217 currency code",
      'exemplars/checkouts_2024-04_3.json': "unmappable: discount_codes[0].amount: \"example string\" is not an ISO 4217 currency code",
      'exemplars/checkouts_2025-04_1.json': "unmappable: discount_codes[0].amount: \"example string\" is not an ISO 4217 currency code",
      'exemplars/customers_2025-04_1.json': 'identify, Customer Updated',
      'exemplars/fulfillments_2024-01_1.json': 'unmappable: line_items[0].price_set.shop_money.currency_code: "example string" is not an ISO 4217 currency code',
      'exemplars/fulfillments_2024-01_2.json': 'unmappable: line_items[0].price_set.shop_money.currency_code: "example string" is not an ISO 4217 currency code',
      'exemplars/fulfillments_2025-04_1.json': 'unmappable: line_items[0].price_set.shop_money.currency_code: "example string" is not an ISO 4217 currency code',
      'exemplars/inventory_levels_2025-04_1.json': 'Inventory Updated',
      'exemplars/orders_2023-10_1.json': 'unmappable: currency: "example string" is not an ISO 4217 currency code',
      'exemplars/orders_2023-10_2.json': 'unmappable: currency: "example string" is not an ISO 4217 currency code',
      'exemplars/orders_2024-01_1.json': 'unmappable: currency: "example string" is not an ISO 4217 currency code',
      'exemplars/orders_2024-01_2.json': 'unmappable: currency: "example string" is not an ISO 4217 currency code',
      'exemplars/orders_2024-01_3.json': 'unmappable: currency: "example string" is not an ISO 4217 currency code',
      'exemplars/orders_2024-04_1.json': 'unmappable: currency: "example string" is not an ISO 4217 currency code',
      'exemplars/orders_2025-04_1.json': 'unmappable: currency: "example string" is not an ISO 4217 currency code',
      'exemplars/orders_2025-04_2.json': 'unmappable: id: missing; created_at: missing; currency: missing; total_price: missing; line_items: missing',
      'exemplars/orders_2025-04_3.json': 'unmappable: id: missing; currency: missing; total_price: missing; line_items: missing',
      'exemplars/products_2023-10_1.json': 'unmappable: variants[0].price: "example string" is not a decimal amount',
      'exemplars/products_2023-10_2.json': 'unmappable: variants[0].price: "example string" is not a decimal amount',
      'exemplars/products_2023-10_3.json': 'unmappable: variants[0].price: "example string" is not a decimal amount',
      'exemplars/products_2025-04_1.json': 'unmappable: variants[0].price: "example string" is not a decimal amount',
      'exemplars/refunds_2025-04_1.json': 'unmappable: refund_line_items[0].subtotal_set.shop_money.currency_code: "example string" is not an ISO 4217 currency code',
      'exemplars/refunds_2025-04_2.json': 'unmappable: total_duties_set.shop_money.currency_code: "example string" is not an ISO 4217 currency code',
    });
  });

  it('names the placeholder values when an exemplar order claims to be a web order', () => {
    const orders = all.filter((fixture) => fixture.file.startsWith('exemplars/orders_2024-01_1'));
    for (const fixture of orders) {
      const asWeb = { ...(fixture.body as object), source_name: 'web' };
      expect(mapperFor('orders/create')?.(asWeb, context('orders/create'))).toStrictEqual({
        kind: 'unmappable',
        reason: 'currency: "example string" is not an ISO 4217 currency code',
      });
      const inUsd = { ...asWeb, currency: 'USD' };
      expect(mapperFor('orders/create')?.(inUsd, context('orders/create'))).toStrictEqual({
        kind: 'unmappable',
        reason: 'total_price: "example string" is not a decimal amount',
      });
    }
    expect(orders).toHaveLength(1);
  });
});
