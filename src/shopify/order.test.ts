import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOrder } from './order.ts';
import { parseJsonExact } from './parse-json-exact.ts';

const sample = new URL('../../../shared/fixtures/shopify/samples/orders_create.json', import.meta.url);

function sampleBody(): Record<string, any> {
  return (parseJsonExact(readFileSync(sample)) as { response: Record<string, any> }).response;
}

describe('parseOrder', () => {
  it('accepts the orders/create sample, keeps the fields mappers read and gives ids as strings', () => {
    const parsed = parseOrder(sampleBody());
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.order.id).toBe('820982911946154500');
    expect(parsed.order.customer?.id).toBe('115310627314723950');
    expect(parsed.order.line_items[0]?.product_id).toBe('788032119674292900');
    expect(parsed.order.line_items[0]?.sku).toBe('SKU2006-001');
    expect(parsed.order).not.toHaveProperty('order_status_url');
  });

  it('takes ids as numbers or numeric strings and money as strings or numbers', () => {
    const parsed = parseOrder({ ...sampleBody(), id: 450789469, total_price: 404.95, checkout_id: '901414060' });
    expect(parsed).toMatchObject({ ok: true, order: { id: '450789469', total_price: 404.95, checkout_id: '901414060' } });
  });

  it('names every wrong field path', () => {
    const body = sampleBody();
    body.line_items[2].quantity = '1';
    expect(parseOrder({ ...body, id: 'abc', currency: undefined })).toStrictEqual({
      ok: false,
      reason:
        'id: expected a numeric id; currency: missing; line_items[2].quantity: Invalid input: expected number, received string',
    });
  });
});
