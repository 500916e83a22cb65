import { allocateProportionally, roundDiv } from './money.ts';

/** A code the shopper typed at checkout; percentage off, or a fixed amount in minor units. */
export interface Discount {
  code: string;
  valueType: 'percentage' | 'fixed_amount';
  /** Percent (10 = 10 %) or minor units. */
  value: number;
}

export interface TaxPolicy {
  rateBp: number;
  /** VAT-style: shelf prices already contain the tax (EU, UK, JP); else it is added on top (US). */
  included: boolean;
  title: string;
}

export interface PricingInput {
  lines: readonly { unitPrice: number; quantity: number }[];
  discount: Discount | null;
  /** Shipping charged, minor units (0 when none). */
  shipping: number;
  tax: TaxPolicy;
}

export interface PricedLine {
  linePrice: number;
  discount: number;
  tax: number;
}

/** Every amount of an order, in minor units, adding up the way Shopify's totals do. */
export interface PricedOrder {
  lines: PricedLine[];
  lineItemsTotal: number;
  discountTotal: number;
  subtotal: number;
  shipping: number;
  shippingTax: number;
  taxTotal: number;
  total: number;
}

/** Prices a basket: discount spread over lines, tax per line and on shipping, rounded half up per line. */
export function priceOrder(input: PricingInput): PricedOrder {
  const linePrices = input.lines.map((l) => l.unitPrice * l.quantity);
  const lineItemsTotal = sum(linePrices);
  const discountTotal = discountAmount(input.discount, lineItemsTotal);
  const allocations = allocateProportionally(discountTotal, linePrices);
  const lines = linePrices.map((linePrice, i) => {
    const discount = allocations[i] ?? 0;
    return { linePrice, discount, tax: taxOn(linePrice - discount, input.tax) };
  });
  const shippingTax = taxOn(input.shipping, input.tax);
  const taxTotal = sum(lines.map((l) => l.tax)) + shippingTax;
  const subtotal = lineItemsTotal - discountTotal;
  const total = subtotal + input.shipping + (input.tax.included ? 0 : taxTotal);
  return { lines, lineItemsTotal, discountTotal, subtotal, shipping: input.shipping, shippingTax, taxTotal, total };
}

function discountAmount(discount: Discount | null, lineItemsTotal: number): number {
  if (!discount) return 0;
  if (discount.valueType === 'percentage') return roundDiv(lineItemsTotal * discount.value, 100);
  return Math.min(discount.value, lineItemsTotal);
}

/** Tax on an amount; for tax-included prices, the tax share contained in it. */
export function taxOn(amount: number, tax: TaxPolicy): number {
  return tax.included ? roundDiv(amount * tax.rateBp, 10_000 + tax.rateBp) : roundDiv(amount * tax.rateBp, 10_000);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
