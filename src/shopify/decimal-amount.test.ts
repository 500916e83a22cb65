import { describe, expect, it } from 'vitest';
import { parseDecimalAmount } from './decimal-amount.ts';

describe('parseDecimalAmount', () => {
  it('reads decimal text and JSON numbers as the number they denote', () => {
    expect(parseDecimalAmount('19.99')).toStrictEqual({ ok: true, value: 19.99 });
    expect(parseDecimalAmount('1500')).toStrictEqual({ ok: true, value: 1500 });
    expect(parseDecimalAmount('0.125')).toStrictEqual({ ok: true, value: 0.125 });
    expect(parseDecimalAmount(24.5)).toStrictEqual({ ok: true, value: 24.5 });
    expect(parseDecimalAmount('-3.50')).toStrictEqual({ ok: true, value: -3.5 });
  });

  it('says why a value is not an amount, never NaN', () => {
    expect(parseDecimalAmount('example string')).toStrictEqual({ ok: false, reason: '"example string" is not a decimal amount' });
    expect(parseDecimalAmount(null)).toMatchObject({ ok: false });
    expect(parseDecimalAmount(1e21)).toMatchObject({ ok: false });
  });
});
