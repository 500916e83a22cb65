import { currencyExponent } from '../shopify/money.ts';

/**
 * Integer minor units as the exact decimal text of the currency ("-1234.05" for -123405 USD, "1500" for 1500
 * JPY), built from the digits so no float ever touches the amount. Unknown codes get 2 decimals.
 */
export function formatMinor(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const places = exponent.ok ? exponent.value : 2;
  const digits = Math.abs(minor).toString().padStart(places + 1, '0');
  const sign = minor < 0 ? '-' : '';
  if (places === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/** Sums of minor units per currency. */
export type CurrencyTotals = Map<string, number>;

export function addTo(totals: CurrencyTotals, currency: string, minor: number): void {
  totals.set(currency, (totals.get(currency) ?? 0) + minor);
}

/** True when both hold the same amount in every currency (a missing currency counts as zero). */
export function sameTotals(a: CurrencyTotals, b: CurrencyTotals): boolean {
  const currencies = new Set([...a.keys(), ...b.keys()]);
  return [...currencies].every((currency) => (a.get(currency) ?? 0) === (b.get(currency) ?? 0));
}

/** "12.30 USD" for each currency with a non-zero amount, joined; "0" when there is none. */
export function describeTotals(totals: CurrencyTotals): string {
  const parts = [...totals].filter(([, minor]) => minor !== 0).sort(([a], [b]) => a.localeCompare(b));
  return parts.length === 0 ? '0' : parts.map(([currency, minor]) => `${formatMinor(minor, currency)} ${currency}`).join(' + ');
}
