/** Money in integer minor units (cents, yen), formatted the way Shopify writes it: decimal strings. */
export const currencyCodes = ['USD', 'EUR', 'GBP', 'JPY'] as const;
export type CurrencyCode = (typeof currencyCodes)[number];

/** Digits after the decimal point; JPY has no minor unit. */
export const minorUnitDigits: Readonly<Record<CurrencyCode, number>> = { USD: 2, EUR: 2, GBP: 2, JPY: 0 };

/** "19.99" for 1999 USD cents, "2500" for 2500 JPY, "-5.00" for -500. */
export function formatMoney(minor: number, currency: CurrencyCode): string {
  if (!Number.isSafeInteger(minor)) throw new Error(`money must be an integer count of minor units: ${minor}`);
  const digits = minorUnitDigits[currency];
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
}

export interface MoneyBag {
  shop_money: { amount: string; currency_code: CurrencyCode };
  presentment_money: { amount: string; currency_code: CurrencyCode };
}

/** Shopify's `*_set` pair. The simulated shop presents and settles in the order's currency, so both match. */
export function moneySet(minor: number, currency: CurrencyCode): MoneyBag {
  const amount = formatMoney(minor, currency);
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount, currency_code: currency },
  };
}

/** numerator / denominator rounded half up, for non-negative integers. */
export function roundDiv(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** Splits `total` in proportion to `weights` so the parts add up to `total` exactly (largest remainder). */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  if (weightSum === 0) return weights.map(() => 0);
  const parts = weights.map((w) => Math.floor((total * w) / weightSum));
  const remainders = weights.map((w, i) => ({ i, r: (total * w) % weightSum }));
  remainders.sort((a, b) => b.r - a.r || a.i - b.i);
  let left = total - parts.reduce((sum, p) => sum + p, 0);
  for (const { i } of remainders) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left -= 1;
  }
  return parts;
}
