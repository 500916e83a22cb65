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

/** Samples carry the body in `.response`: take its raw text so the 18-digit ids keep every digit. */
export function rawResponse(text: string): string {
  const start = text.indexOf('"response"');
  const open = text.indexOf('{', start);
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth += 1;
    else if (c === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error('no response object');
}

/** A sample's webhook body as its raw text, every digit as Shopify sent it. */
export function sampleResponseText(name: string): string {
  return rawResponse(sampleText(name));
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
