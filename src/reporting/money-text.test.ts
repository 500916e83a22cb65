import { describe, expect, it } from 'vitest';
import { describeTotals, formatMinor } from './money-text.ts';

describe('formatMinor', () => {
  it.each([
    [123405, 'USD', '1234.05'],
    [-5, 'USD', '-0.05'],
    [0, 'EUR', '0.00'],
    [1500, 'JPY', '1500'],
    [12345, 'KWD', '12.345'],
    [9_007_199_254_740_991, 'USD', '90071992547409.91'],
  ])('%i minor units of %s print as %s', (minor, currency, text) => {
    expect(formatMinor(minor, currency)).toBe(text);
  });

  it('describes totals per currency, leaving zeros out', () => {
    expect(describeTotals(new Map([['USD', 1005], ['EUR', 0], ['JPY', -500]]))).toBe('-500 JPY + 10.05 USD');
    expect(describeTotals(new Map([['USD', 0]]))).toBe('0');
  });
});
