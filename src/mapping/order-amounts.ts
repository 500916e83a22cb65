import { currencyExponent, minorToNumber, parseMinorUnits, type Parsed } from '../shopify/money.ts';
import type { ShopifyOrder } from '../shopify/order.ts';

/** What the amounts are read from: an order, or a checkout (which has the same money fields, some absent). */
export type OrderAmountFields = Pick<
  ShopifyOrder,
  | 'currency'
  | 'total_price'
  | 'subtotal_price'
  | 'total_tax'
  | 'total_discounts'
  | 'total_shipping_price_set'
  | 'shipping_lines'
  | 'line_items'
  | 'presentment_currency'
  | 'total_price_set'
>;

/** An order's money as output numbers, each computed exactly in minor units first. */
export interface OrderAmounts {
  total: number;
  subtotal: number | undefined;
  /**
   * Segment: "revenue associated with the transaction (excluding shipping and tax)". We take total − shipping −
   * tax, in minor units: net of discounts, and it includes duties and tips if any; for a tax-exclusive order
   * without those it equals Shopify's subtotal_price. Caveat: in tax-inclusive shops the shipping amount already
   * contains its tax, which total_tax contains too, so that tax is subtracted twice.
   */
  revenue: number;
  shipping: number;
  tax: number;
  discount: number;
  /** Unit price (before discounts) of each line item, by index. */
  linePrices: number[];
  /** The customer's currency and the order total in it, when Shopify reports them. */
  presentmentCurrency: string | undefined;
  presentmentTotal: number | undefined;
}

/** Minor units of one amount, with the failure naming the field path. */
function minorAt(path: string, amount: unknown, exponent: number): Parsed<number> {
  const parsed = parseMinorUnits(amount, exponent);
  return parsed.ok ? parsed : { ok: false, reason: `${path}: ${parsed.reason}` };
}

/** Minor units of several named amounts (absent optional ones as undefined), or the first failure. */
function minorFields<K extends string>(
  fields: Record<K, [path: string, amount: unknown]>,
  exponent: number,
): Parsed<Record<K, number | undefined>> {
  const values = {} as Record<K, number | undefined>;
  for (const key of Object.keys(fields) as K[]) {
    const [path, amount] = fields[key];
    if (amount == null) continue;
    const parsed = minorAt(path, amount, exponent);
    if (!parsed.ok) return parsed;
    values[key] = parsed.value;
  }
  return { ok: true, value: values };
}

/** Shipping: Shopify's order-level shipping total, else the sum of the shipping lines. */
function shippingMinor(order: OrderAmountFields, exponent: number): Parsed<number> {
  const total = order.total_shipping_price_set?.shop_money?.amount;
  if (total != null) return minorAt('total_shipping_price_set.shop_money.amount', total, exponent);
  let sum = 0;
  for (const [index, line] of (order.shipping_lines ?? []).entries()) {
    const price = minorAt(`shipping_lines[${index}].price`, line.price ?? 0, exponent);
    if (!price.ok) return price;
    sum += price.value;
  }
  return { ok: true, value: sum };
}

function linePricesMinor(order: OrderAmountFields, exponent: number): Parsed<number[]> {
  const prices: number[] = [];
  for (const [index, item] of order.line_items.entries()) {
    const price = minorAt(`line_items[${index}].price`, item.price, exponent);
    if (!price.ok) return price;
    prices.push(price.value);
  }
  return { ok: true, value: prices };
}

/** The presentment (customer-facing) currency and total; both optional, but wrong when present is a failure. */
function presentmentTotal(order: OrderAmountFields): Parsed<{ currency?: string; total?: number }> {
  const currency = order.presentment_currency;
  if (currency == null) return { ok: true, value: {} };
  const exponent = currencyExponent(currency);
  if (!exponent.ok) return { ok: false, reason: `presentment_currency: ${exponent.reason}` };
  const amount = order.total_price_set?.presentment_money?.amount;
  if (amount == null) return { ok: true, value: { currency } };
  const total = minorAt('total_price_set.presentment_money.amount', amount, exponent.value);
  return total.ok ? { ok: true, value: { currency, total: minorToNumber(total.value, exponent.value) } } : total;
}

/** Reads and checks every amount Order Completed needs; the failure names the first bad field path. */
export function readOrderAmounts(order: OrderAmountFields): Parsed<OrderAmounts> {
  const exponent = currencyExponent(order.currency);
  if (!exponent.ok) return { ok: false, reason: `currency: ${exponent.reason}` };
  const e = exponent.value;
  const fields = minorFields(
    {
      total: ['total_price', order.total_price],
      subtotal: ['subtotal_price', order.subtotal_price],
      tax: ['total_tax', order.total_tax],
      discount: ['total_discounts', order.total_discounts],
    },
    e,
  );
  if (!fields.ok) return fields;
  const shipping = shippingMinor(order, e);
  if (!shipping.ok) return shipping;
  const lines = linePricesMinor(order, e);
  if (!lines.ok) return lines;
  const presentment = presentmentTotal(order);
  if (!presentment.ok) return presentment;
  const { total = 0, subtotal, tax = 0, discount = 0 } = fields.value;
  const toNumber = (minor: number) => minorToNumber(minor, e);
  return {
    ok: true,
    value: {
      total: toNumber(total),
      subtotal: subtotal === undefined ? undefined : toNumber(subtotal),
      revenue: toNumber(total - shipping.value - tax),
      shipping: toNumber(shipping.value),
      tax: toNumber(tax),
      discount: toNumber(discount),
      linePrices: lines.value.map(toNumber),
      presentmentCurrency: presentment.value.currency,
      presentmentTotal: presentment.value.total,
    },
  };
}
