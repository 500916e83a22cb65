import { minorUnitDigits, type CurrencyCode } from './money.ts';

/**
 * Checks that a Shopify order or refund payload adds up, with exact integer arithmetic on its decimal strings.
 * Returns the problems found (empty when consistent). Tests use it on every simulated order and refund.
 */

type Json = Record<string, unknown>;

/** "19.99" → 1999n for USD, "2500" → 2500n for JPY; throws on text a currency cannot hold. */
export function toMinorUnits(amount: unknown, currency: CurrencyCode): bigint {
  const text = String(amount);
  const digits = minorUnitDigits[currency];
  const pattern = digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`);
  if (!pattern.test(text)) throw new Error(`${currency} amount not in Shopify's format: ${text}`);
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction || '0');
  return negative ? -minor : minor;
}

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const sumOf = (values: readonly bigint[]): bigint => values.reduce((a, b) => a + b, 0n);

/** Problems with an orders/* body's money (line totals, discounts, tax, shipping, total, *_set twins). */
export function auditOrderMoney(order: Json): string[] {
  const currency = order.currency as CurrencyCode;
  const m = (value: unknown): bigint => toMinorUnits(value, currency);
  const problems: string[] = [];
  const expect = (what: string, actual: bigint, expected: bigint): void => {
    if (actual !== expected) problems.push(`${what}: ${actual} ≠ ${expected}`);
  };
  const lines = list(order.line_items);
  const shipping = list(order.shipping_lines);
  const linesTotal = sumOf(lines.map((l) => m(l.price) * BigInt(l.quantity as number)));
  const allocated = sumOf(lines.flatMap((l) => list(l.discount_allocations).map((a) => m(a.amount))));
  const lineTax = sumOf(lines.flatMap((l) => list(l.tax_lines).map((t) => m(t.price))));
  const shippingTax = sumOf(shipping.flatMap((s) => list(s.tax_lines).map((t) => m(t.price))));
  const shippingTotal = sumOf(shipping.map((s) => m(s.price)));
  const tax = m(order.total_tax);
  expect('total_line_items_price', m(order.total_line_items_price), linesTotal);
  expect('total_discounts', m(order.total_discounts), allocated);
  expect('discount_codes amount', sumOf(list(order.discount_codes).map((c) => m(c.amount))), allocated);
  expect('subtotal_price', m(order.subtotal_price), linesTotal - allocated);
  expect('total_tax', tax, lineTax + shippingTax);
  expect('order tax_lines', sumOf(list(order.tax_lines).map((t) => m(t.price))), tax);
  expect('total_shipping_price_set', m(shopAmount(order.total_shipping_price_set)), shippingTotal);
  const taxAdded = order.taxes_included ? 0n : tax;
  expect('total_price', m(order.total_price), m(order.subtotal_price) + shippingTotal + taxAdded);
  expect('current_total_price', m(order.current_total_price), m(order.total_price));
  problems.push(...auditMoneySets(order, currency));
  return problems;
}

function shopAmount(set: unknown): unknown {
  return ((set as Json | null)?.shop_money as Json | undefined)?.amount;
}

/** Every `x_set` must repeat its scalar twin `x` in the order's currency. */
function auditMoneySets(order: Json, currency: CurrencyCode): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(order)) {
    if (!key.endsWith('_set') || !value || typeof value !== 'object') continue;
    const shop = (value as Json).shop_money as Json | undefined;
    if (shop?.currency_code !== currency) problems.push(`${key} currency ${String(shop?.currency_code)}`);
    const twin = order[key.slice(0, -'_set'.length)];
    if (typeof twin === 'string' && twin !== shop?.amount) problems.push(`${key} ${String(shop?.amount)} ≠ ${twin}`);
  }
  return problems;
}

/** Problems with a refunds/create body against its order: lines belong to it, the transaction adds up. */
export function auditRefund(refund: Json, order: Json): string[] {
  const currency = order.currency as CurrencyCode;
  const m = (value: unknown): bigint => toMinorUnits(value, currency);
  const problems: string[] = [];
  if (refund.order_id !== order.id) problems.push('order_id does not match the order');
  const orderLines = new Map(list(order.line_items).map((l) => [l.id, l]));
  for (const r of list(refund.refund_line_items)) {
    const line = orderLines.get(r.line_item_id);
    if (!line) problems.push(`line_item_id ${String(r.line_item_id)} is not a line of the order`);
    else if ((r.quantity as number) > (line.quantity as number)) problems.push(`refunds more units than line ${String(line.id)} has`);
  }
  const included = order.taxes_included === true;
  const lineMoney = sumOf(list(refund.refund_line_items).map((r) => m(shopAmount(r.subtotal_set)) + (included ? 0n : m(shopAmount(r.total_tax_set)))));
  const shippingMoney = sumOf(list(refund.order_adjustments).map((a) => -m(a.amount) - (included ? 0n : m(a.tax_amount))));
  const paid = sumOf(list(refund.transactions).map((t) => m(t.amount)));
  if (paid !== lineMoney + shippingMoney) problems.push(`transactions ${paid} ≠ lines ${lineMoney} + shipping ${shippingMoney}`);
  if (paid > m(order.total_price)) problems.push(`refund ${paid} exceeds the order total`);
  return problems;
}
