import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateProportionally, formatMoney, moneySet, roundDiv } from './money.ts';

describe('formatMoney', () => {
  it('writes decimal strings with the currency’s minor digits; JPY has none', () => {
    expect(formatMoney(1999, 'USD')).toBe('19.99');
    expect(formatMoney(5, 'EUR')).toBe('0.05');
    expect(formatMoney(0, 'GBP')).toBe('0.00');
    expect(formatMoney(-595, 'USD')).toBe('-5.95');
    expect(formatMoney(2500, 'JPY')).toBe('2500');
    expect(formatMoney(-800, 'JPY')).toBe('-800');
  });

  it('refuses amounts that are not whole minor units', () => {
    expect(() => formatMoney(19.99, 'USD')).toThrow(/integer/);
  });

  it('fills both sides of a money set', () => {
    expect(moneySet(1050, 'GBP')).toEqual({
      shop_money: { amount: '10.50', currency_code: 'GBP' },
      presentment_money: { amount: '10.50', currency_code: 'GBP' },
    });
  });
});

describe('allocateProportionally', () => {
  it('splits a total into parts that add up to it exactly', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.array(fc.nat(100_000), { minLength: 1, maxLength: 8 }), (total, weights) => {
        const parts = allocateProportionally(total, weights);
        const weightSum = weights.reduce((a, b) => a + b, 0);
        const sum = parts.reduce((a, b) => a + b, 0);
        return parts.every((p) => p >= 0 && Number.isInteger(p)) && (weightSum === 0 ? sum === 0 : sum === total);
      }),
    );
  });

  it('rounds half up in roundDiv', () => {
    expect(roundDiv(5, 2)).toBe(3);
    expect(roundDiv(4, 3)).toBe(1);
    expect(roundDiv(0, 7)).toBe(0);
  });
});
