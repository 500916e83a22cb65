import { minorToNumber, parseMinorUnits, type Parsed } from './money.ts';

const fractionDigits = /\.(\d*)$/;

/**
 * An amount whose currency the body does not name (product variant prices are in the shop's currency, which
 * product webhooks leave out), as the number its decimal text denotes: exact, because it is parsed into integer
 * units of its own last digit and divided once, never summed as floats.
 */
export function parseDecimalAmount(amount: unknown): Parsed<number> {
  const text = typeof amount === 'number' ? String(amount) : amount;
  const exponent = typeof text === 'string' ? (fractionDigits.exec(text)?.[1]?.length ?? 0) : 0;
  const minor = parseMinorUnits(amount, exponent);
  return minor.ok ? { ok: true, value: minorToNumber(minor.value, exponent) } : minor;
}
