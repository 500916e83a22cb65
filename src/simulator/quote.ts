import type { CurrencyCode } from './money.ts';
import type { BasketLine } from './model.ts';
import { priceOrder, type Discount, type PricedOrder, type TaxPolicy } from './pricing.ts';

/** Prices a basket in one currency (checkouts and orders use the same numbers). */
export function quoteBasket(
  lines: readonly BasketLine[],
  currency: CurrencyCode,
  discount: Discount | null,
  shipping: number,
  tax: TaxPolicy,
): PricedOrder {
  const pricingLines = lines.map((l) => ({ unitPrice: l.variant.prices[currency], quantity: l.quantity }));
  return priceOrder({ lines: pricingLines, discount, shipping, tax });
}

/** A rate in basis points as Shopify writes it: 725 → 0.0725. */
export function rateNumber(rateBp: number): number {
  return rateBp / 10_000;
}
