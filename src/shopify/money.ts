/** A value read from a payload, or why it could not be read (never NaN, never a throw). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * ISO 4217 minor-unit exponents that are not 2. A table, not Intl: ICU/CLDR disagrees with ISO 4217 for several
 * currencies (e.g. CLDR gives ALL, IQD, LBP, RSD 0 digits), and Shopify sends amounts with the ISO exponent.
 */
const exponentOtherThanTwo: ReadonlyMap<string, number> = new Map([
  ...['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV'].map(
    (code) => [code, 0] as const,
  ),
  ...['XAF', 'XOF', 'XPF'].map((code) => [code, 0] as const),
  ...['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].map((code) => [code, 3] as const),
  ...['CLF', 'UYW'].map((code) => [code, 4] as const),
]);

const currencyCode = /^[A-Z]{3}$/;
const decimalAmount = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Digits after the decimal point in the currency's minor unit: JPY 0, USD 2, KWD 3. */
export function currencyExponent(code: unknown): Parsed<number> {
  if (typeof code !== 'string' || !currencyCode.test(code)) {
    return { ok: false, reason: `${quoted(code)} is not an ISO 4217 currency code` };
  }
  return { ok: true, value: exponentOtherThanTwo.get(code) ?? 2 };
}

/**
 * Parses a Shopify amount ("199.00", "-3.50", "0.1" or a JSON number) into integer minor units, exactly.
 * More fraction digits than the currency has are accepted only when they are zeros ("1500.00" JPY → 1500).
 */
export function parseMinorUnits(amount: unknown, exponent: number): Parsed<number> {
  const text = typeof amount === 'number' && Number.isFinite(amount) ? String(amount) : amount;
  const match = typeof text === 'string' ? decimalAmount.exec(text) : null;
  if (match === null) return { ok: false, reason: `${quoted(amount)} is not a decimal amount` };
  const [, sign = '', whole = '', fraction = ''] = match;
  if (/[^0]/.test(fraction.slice(exponent))) {
    return { ok: false, reason: `${quoted(amount)} has more than ${exponent} fraction digits` };
  }
  const minor = Number(`${sign}${whole}${fraction.slice(0, exponent).padEnd(exponent, '0')}`);
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: `${quoted(amount)} is too large` };
  return { ok: true, value: minor === 0 ? 0 : minor };
}

/**
 * Minor units as the JS number a reader expects (1999, exponent 2 → 19.99). One correctly rounded division of
 * two exact integers gives the double nearest the decimal, i.e. the same number the literal `19.99` denotes;
 * sums stay exact because callers add minor units (integers) and convert once.
 */
export function minorToNumber(minor: number, exponent: number): number {
  return minor / 10 ** exponent;
}

/** Parses an amount given in a currency code; reasons name the amount or code that is wrong. */
export function parseMoney(amount: unknown, currency: unknown): Parsed<{ minor: number; exponent: number }> {
  const exponent = currencyExponent(currency);
  if (!exponent.ok) return exponent;
  const minor = parseMinorUnits(amount, exponent.value);
  return minor.ok ? { ok: true, value: { minor: minor.value, exponent: exponent.value } } : minor;
}

/** A short, quoted rendering of a bad value for a failure reason (amounts and codes only, never personal data). */
function quoted(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
