import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceOrder, type PricingInput } from './pricing.ts';

const input = fc.record({
  lines: fc.array(fc.record({ unitPrice: fc.integer({ min: 1, max: 200_000 }), quantity: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 6 }),
  discount: fc.option(
    fc.oneof(
      fc.record({ code: fc.constant('PCT'), valueType: fc.constant('percentage' as const), value: fc.integer({ min: 1, max: 100 }) }),
      fc.record({ code: fc.constant('FIX'), valueType: fc.constant('fixed_amount' as const), value: fc.integer({ min: 1, max: 50_000 }) }),
    ),
    { nil: null },
  ),
  shipping: fc.nat(5_000),
  tax: fc.record({ rateBp: fc.integer({ min: 0, max: 2_500 }), included: fc.boolean(), title: fc.constant('Tax') }),
}) satisfies fc.Arbitrary<PricingInput>;

describe('priceOrder', () => {
  it('adds up: lines, discount allocations, tax per line and shipping, total', () => {
    fc.assert(
      fc.property(input, (order) => {
        const p = priceOrder(order);
        const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
        const lineTotal = sum(order.lines.map((l) => l.unitPrice * l.quantity));
        expect(p.lineItemsTotal).toBe(lineTotal);
        expect(sum(p.lines.map((l) => l.discount))).toBe(p.discountTotal);
        expect(p.discountTotal).toBeLessThanOrEqual(lineTotal);
        expect(p.lines.every((l) => l.discount <= l.linePrice && l.tax >= 0)).toBe(true);
        expect(p.subtotal).toBe(lineTotal - p.discountTotal);
        expect(p.taxTotal).toBe(sum(p.lines.map((l) => l.tax)) + p.shippingTax);
        expect(p.total).toBe(p.subtotal + p.shipping + (order.tax.included ? 0 : p.taxTotal));
      }),
    );
  });

  it('takes VAT out of tax-included prices and adds sales tax on top otherwise', () => {
    const lines = [{ unitPrice: 11900, quantity: 1 }];
    const vat = priceOrder({ lines, discount: null, shipping: 0, tax: { rateBp: 1900, included: true, title: 'VAT' } });
    expect([vat.taxTotal, vat.total]).toEqual([1900, 11900]);
    const sales = priceOrder({ lines, discount: null, shipping: 0, tax: { rateBp: 725, included: false, title: 'Sales Tax' } });
    expect([sales.taxTotal, sales.total]).toEqual([863, 12763]);
  });
});
