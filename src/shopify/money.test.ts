import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { currencyExponent, minorToNumber, parseMinorUnits, parseMoney } from './money.ts';

/** Exact decimal text of minor units, written with bigint arithmetic (the oracle the parser must agree with). */
function decimalText(minor: bigint, exponent: number): string {
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString().padStart(exponent + 1, '0');
  return exponent === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

const exponents = fc.constantFrom(0, 2, 3);
const minorUnits = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n });

describe('currencyExponent', () => {
  it('knows the minor unit of each currency', () => {
    expect(currencyExponent('USD')).toStrictEqual({ ok: true, value: 2 });
    expect(currencyExponent('EUR')).toStrictEqual({ ok: true, value: 2 });
    expect(currencyExponent('JPY')).toStrictEqual({ ok: true, value: 0 });
    expect(currencyExponent('KRW')).toStrictEqual({ ok: true, value: 0 });
    expect(currencyExponent('KWD')).toStrictEqual({ ok: true, value: 3 });
    expect(currencyExponent('BHD')).toStrictEqual({ ok: true, value: 3 });
  });

  it('rejects what is not a currency code', () => {
    expect(currencyExponent('example string')).toStrictEqual({
      ok: false,
      reason: '"example string" is not an ISO 4217 currency code',
    });
    expect(currencyExponent(null)).toStrictEqual({ ok: false, reason: 'null is not an ISO 4217 currency code' });
  });
});

describe('parseMinorUnits', () => {
  it('reads Shopify decimal strings and numbers exactly', () => {
    expect(parseMinorUnits('199.00', 2)).toStrictEqual({ ok: true, value: 19900 });
    expect(parseMinorUnits('0.1', 2)).toStrictEqual({ ok: true, value: 10 });
    expect(parseMinorUnits('-3.50', 2)).toStrictEqual({ ok: true, value: -350 });
    expect(parseMinorUnits(19.99, 2)).toStrictEqual({ ok: true, value: 1999 });
    expect(parseMinorUnits(7, 2)).toStrictEqual({ ok: true, value: 700 });
    expect(parseMinorUnits('1500', 0)).toStrictEqual({ ok: true, value: 1500 });
    expect(parseMinorUnits('1500.00', 0)).toStrictEqual({ ok: true, value: 1500 });
    expect(parseMinorUnits('1.234', 3)).toStrictEqual({ ok: true, value: 1234 });
    expect(parseMinorUnits('-0.00', 2)).toStrictEqual({ ok: true, value: 0 });
  });

  it('fails with a reason instead of NaN', () => {
    expect(parseMinorUnits('example string', 2)).toStrictEqual({
      ok: false,
      reason: '"example string" is not a decimal amount',
    });
    expect(parseMinorUnits('', 2)).toMatchObject({ ok: false });
    expect(parseMinorUnits('1,99', 2)).toMatchObject({ ok: false });
    expect(parseMinorUnits(' 1.99', 2)).toMatchObject({ ok: false });
    expect(parseMinorUnits('1e3', 2)).toMatchObject({ ok: false });
    expect(parseMinorUnits(Number.NaN, 2)).toMatchObject({ ok: false });
    expect(parseMinorUnits(null, 2)).toStrictEqual({ ok: false, reason: 'null is not a decimal amount' });
    expect(parseMinorUnits('1500.50', 0)).toStrictEqual({ ok: false, reason: '"1500.50" has more than 0 fraction digits' });
    expect(parseMinorUnits('99999999999999999.99', 2)).toMatchObject({ ok: false });
  });
});

describe('parseMoney', () => {
  it('uses the currency exponent and names the bad part', () => {
    expect(parseMoney('19.99', 'USD')).toStrictEqual({ ok: true, value: { minor: 1999, exponent: 2 } });
    expect(parseMoney('19.99', 'JPY')).toMatchObject({ ok: false });
    expect(parseMoney('19.99', 'usd')).toStrictEqual({ ok: false, reason: '"usd" is not an ISO 4217 currency code' });
  });
});

describe('minorToNumber', () => {
  it('formats minor units as the number a reader writes', () => {
    expect(minorToNumber(1999, 2)).toBe(19.99);
    expect(minorToNumber(1500, 0)).toBe(1500);
    expect(minorToNumber(1234, 3)).toBe(1.234);
    expect(minorToNumber(-350, 2)).toBe(-3.5);
  });

  it('adds without float drift', () => {
    const sum = ['0.10', '0.20'].reduce((total, price) => total + (parseMinorUnits(price, 2) as { value: number }).value, 0);
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(minorToNumber(sum, 2)).toBe(0.3);
  });
});

describe('money properties', () => {
  it('round-trips: decimal text → minor units → number equals the decimal', () => {
    fc.assert(
      fc.property(minorUnits, exponents, (minor, exponent) => {
        const text = decimalText(minor, exponent);
        const parsed = parseMinorUnits(text, exponent);
        expect(parsed).toStrictEqual({ ok: true, value: Number(minor) });
        expect(minorToNumber(Number(minor), exponent)).toBe(Number(text));
      }),
    );
  });

  it('sums of many line prices equal the exact decimal sum', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { maxLength: 200 }), exponents, (prices, exponent) => {
        const minorSum = prices.reduce((sum, price) => {
          const parsed = parseMinorUnits(decimalText(price, exponent), exponent);
          if (!parsed.ok) throw new Error(parsed.reason);
          return sum + parsed.value;
        }, 0);
        const exactSum = prices.reduce((sum, price) => sum + price, 0n);
        expect(minorToNumber(minorSum, exponent)).toBe(Number(decimalText(exactSum, exponent)));
      }),
    );
  });
});
