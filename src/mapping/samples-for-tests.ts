import { readFileSync } from 'node:fs';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import type { MapContext, MapResult } from './mapper.ts';

/** Helpers for the mapping tests: Shopify's webhook samples, parsed the way the pipeline parses them. */

const samples = new URL('../../../shared/fixtures/shopify/samples/', import.meta.url);
export const testShop = 'demo.myshopify.com';

export function sampleText(name: string): string {
  return readFileSync(new URL(name, samples), 'utf8');
}

/** A fresh copy of a sample's webhook body (its `response`). */
export function sampleBody(name: string): Record<string, any> {
  return (parseJsonExact(sampleText(name)) as { response: Record<string, any> }).response;
}

/** The body of a sample after editing its raw text (to put back digits the sample's JSON.parse rounded). */
export function editedSampleBody(name: string, edit: (text: string) => string): Record<string, any> {
  return (parseJsonExact(edit(sampleText(name))) as { response: Record<string, any> }).response;
}

export function contextFor(topic: string, overrides: Partial<MapContext> = {}): MapContext {
  return { shop: testShop, topic, webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', apiVersion: '2026-04', triggeredAt: null, ...overrides };
}

export function mappedMessages(result: MapResult): SegmentMessage[] {
  if (result.kind !== 'mapped') throw new Error(`expected mapped, got ${result.kind}: ${result.reason}`);
  return result.messages;
}

export const integration = { integration: { name: 'shopify_cartstream' } };

/** The product a golden test expects for one line of the order sample. */
export const expectedProduct = (sku: string, name: string, price: number, position: number, productId?: string) => ({
  ...(productId === undefined ? {} : { product_id: productId, shopify_product_id: productId }),
  sku,
  name,
  category: 'all',
  price,
  quantity: 1,
  position,
});
