import { catalog } from './catalog.ts';
import type { CurrencyCode } from './money.ts';
import type { BasketLine, ShippingChoice } from './model.ts';
import type { Person } from './people.ts';
import type { Discount, TaxPolicy } from './pricing.ts';
import type { Prng } from './prng.ts';

/** A random catalog variant, mostly one at a time. */
export function randomLine(prng: Prng): BasketLine {
  const product = prng.pick(catalog);
  const variant = prng.pick(product.variants);
  return { product, variant, quantity: prng.weighted([[1, 80], [2, 15], [3, 5]] as const) };
}

/** The basket after adding `line` (merged into the same variant's line). Returns a new array. */
export function addToBasket(lines: readonly BasketLine[], line: BasketLine): BasketLine[] {
  const same = lines.findIndex((l) => l.variant.id === line.variant.id);
  if (same < 0) return [...lines, line];
  return lines.map((l, i) => (i === same ? { ...l, quantity: l.quantity + line.quantity } : l));
}

/** A basket of 1–`maxLines` distinct lines. */
export function randomBasket(prng: Prng, maxLines: number): BasketLine[] {
  let lines: BasketLine[] = [];
  const count = prng.int(1, maxLines);
  for (let i = 0; i < count; i++) lines = addToBasket(lines, randomLine(prng));
  return lines;
}

const standardShipping: Readonly<Record<CurrencyCode, number>> = { USD: 595, EUR: 495, GBP: 399, JPY: 800 };
const expressShipping: Readonly<Record<CurrencyCode, number>> = { USD: 1500, EUR: 1290, GBP: 999, JPY: 1500 };
const freeShippingFrom: Readonly<Record<CurrencyCode, number>> = { USD: 7500, EUR: 7000, GBP: 6000, JPY: 10000 };

/** Standard (free above a threshold) or, for some shoppers, express delivery. */
export function chooseShipping(prng: Prng, currency: CurrencyCode, lineItemsTotal: number): ShippingChoice {
  if (prng.chance(0.2)) return { title: 'Express', code: 'EXPRESS', price: expressShipping[currency] };
  if (lineItemsTotal >= freeShippingFrom[currency]) return { title: 'Free Shipping', code: 'FREE', price: 0 };
  return { title: 'Standard', code: 'STANDARD', price: standardShipping[currency] };
}

const fixedDiscount: Readonly<Record<CurrencyCode, number>> = { USD: 500, EUR: 500, GBP: 500, JPY: 700 };

/** One of the shop's discount codes. */
export function chooseDiscount(prng: Prng, currency: CurrencyCode): Discount {
  return prng.pick<Discount>([
    { code: 'WELCOME10', valueType: 'percentage', value: 10 },
    { code: 'SPRING15', valueType: 'percentage', value: 15 },
    { code: 'SAVE5', valueType: 'fixed_amount', value: fixedDiscount[currency] },
  ]);
}

/** US sales tax is added at checkout; VAT and Japan's consumption tax are included in shelf prices. */
export function taxPolicyFor(person: Pick<Person, 'currency' | 'taxRateBp' | 'taxTitle'>): TaxPolicy {
  return { rateBp: person.taxRateBp, included: person.currency !== 'USD', title: person.taxTitle };
}

/** Sum of unit price × quantity in one currency. */
export function basketTotal(lines: readonly BasketLine[], currency: CurrencyCode): number {
  return lines.reduce((sum, l) => sum + l.variant.prices[currency] * l.quantity, 0);
}
