import { currencyExponent, minorToNumber, parseMinorUnits, type Parsed } from '../shopify/money.ts';
import type { ShopifyRefund, ShopifyRefundLineItem } from '../shopify/refund.ts';
import type { ShopifyTransaction } from '../shopify/transaction.ts';
import { lineItemProduct } from './line-item-products.ts';

/** What a refund gave back, as output numbers computed exactly in minor units. */
export interface RefundMoney {
  /** The shop's currency, as Order Completed reports it. */
  currency: string;
  /** Money actually refunded, in the shop's currency (see readRefundMoney). */
  total: number;
  /** Refunded line items, each with the refunded quantity and its unit price. */
  products: Record<string, unknown>[];
  /** True when the refund itself proves it is partial (see provenPartial). */
  partial: boolean;
  /** The refund transactions' own currency and sum, when they are not in the shop's currency. */
  presentmentCurrency: string | undefined;
  presentmentTotal: number | undefined;
}

/** The shop's currency and where it was read: refund bodies name it only inside their money sets. */
function shopCurrencyOf(refund: ShopifyRefund): { code: string; path: string } | undefined {
  for (const [index, line] of (refund.refund_line_items ?? []).entries()) {
    const code = line.subtotal_set?.shop_money?.currency_code;
    if (code) return { code, path: `refund_line_items[${index}].subtotal_set.shop_money.currency_code` };
  }
  const duties = refund.total_duties_set?.shop_money?.currency_code;
  if (duties) return { code: duties, path: 'total_duties_set.shop_money.currency_code' };
  const index = (refund.transactions ?? []).findIndex((tx) => tx.currency);
  const code = refund.transactions?.[index]?.currency;
  return code ? { code, path: `transactions[${index}].currency` } : undefined;
}

function minorAt(path: string, amount: unknown, exponent: number): Parsed<number> {
  const parsed = parseMinorUnits(amount, exponent);
  return parsed.ok ? parsed : { ok: false, reason: `${path}: ${parsed.reason}` };
}

interface RefundedLines {
  /** Subtotal + tax of the refunded units, in minor units. */
  valueMinor: number;
  /**
   * Their subtotals alone: the least a whole refund of them gives back (in a tax-inclusive shop the subtotal already
   * holds the tax, so subtotal + tax would overstate it).
   */
  subtotalMinor: number;
  products: Record<string, unknown>[];
}

function refundedLine(line: ShopifyRefundLineItem, index: number, exponent: number): Parsed<{ value: number; subtotal: number; product: Record<string, unknown> }> {
  const path = `refund_line_items[${index}]`;
  const subtotal = minorAt(`${path}.subtotal`, line.subtotal_set?.shop_money?.amount ?? line.subtotal ?? 0, exponent);
  if (!subtotal.ok) return subtotal;
  const tax = minorAt(`${path}.total_tax`, line.total_tax_set?.shop_money?.amount ?? line.total_tax ?? 0, exponent);
  if (!tax.ok) return tax;
  const price = minorAt(`${path}.line_item.price`, line.line_item.price, exponent);
  if (!price.ok) return price;
  const product = lineItemProduct(line.line_item, minorToNumber(price.value, exponent), index, line.quantity);
  return { ok: true, value: { value: subtotal.value + tax.value, subtotal: subtotal.value, product } };
}

function refundedLines(refund: ShopifyRefund, exponent: number): Parsed<RefundedLines> {
  const lines: RefundedLines = { valueMinor: 0, subtotalMinor: 0, products: [] };
  for (const [index, line] of (refund.refund_line_items ?? []).entries()) {
    const read = refundedLine(line, index, exponent);
    if (!read.ok) return read;
    lines.valueMinor += read.value.value;
    lines.subtotalMinor += read.value.subtotal;
    lines.products.push(read.value.product);
  }
  return { ok: true, value: lines };
}

/** Successful refund transactions: the money that actually went back to the customer. */
function refundTransactions(refund: ShopifyRefund): [index: number, transaction: ShopifyTransaction][] {
  return [...(refund.transactions ?? []).entries()].filter(([, tx]) => tx.kind === 'refund' && tx.status === 'success');
}

/** The transactions' sum in their (single) currency; undefined when there are none. */
function transactionsSum(refund: ShopifyRefund, shopCurrency: string): Parsed<{ currency: string; minor: number; exponent: number } | undefined> {
  const transactions = refundTransactions(refund);
  if (transactions.length === 0) return { ok: true, value: undefined };
  const currencies = new Set(transactions.map(([, tx]) => tx.currency || shopCurrency));
  if (currencies.size > 1) return { ok: false, reason: `transactions: refunded in several currencies (${[...currencies].join(', ')})` };
  const [currency = shopCurrency] = currencies;
  const exponent = currencyExponent(currency);
  if (!exponent.ok) return { ok: false, reason: `transactions.currency: ${exponent.reason}` };
  let minor = 0;
  for (const [index, tx] of transactions) {
    const amount = minorAt(`transactions[${index}].amount`, tx.amount, exponent.value);
    if (!amount.ok) return amount;
    minor += amount.value;
  }
  return { ok: true, value: { currency, minor, exponent: exponent.value } };
}

/**
 * Partial, as far as the refund alone can tell: fewer units refunded than a line had, or less money refunded
 * than the refunded units' subtotals. A refund of every unit of some lines while other lines of the order are kept
 * looks whole here; the refund mapper compares with the stored order's total for that (order-refunded.ts).
 */
function provenPartial(refund: ShopifyRefund, lines: RefundedLines, refundedMinor: number): boolean {
  const fewerUnits = (refund.refund_line_items ?? []).some((line) => line.quantity < line.line_item.quantity);
  return fewerUnits || refundedMinor < lines.subtotalMinor;
}

/**
 * Reads a refund's money. `total` is the successful refund transactions' sum when they are in the shop's currency
 * (or name none); without such transactions it is the refunded line items' subtotal + tax. When the transactions
 * are in another currency (the customer's, in a multi-currency order), `total` stays in the shop's currency like
 * Order Completed's, from the line items, and the transactions' sum is the presentment total.
 */
export function readRefundMoney(refund: ShopifyRefund): Parsed<RefundMoney> {
  const shopCurrency = shopCurrencyOf(refund);
  if (shopCurrency === undefined) return { ok: false, reason: 'currency: the refund names none (no shop_money currency_code, no transaction currency)' };
  const currency = shopCurrency.code;
  const exponent = currencyExponent(currency);
  if (!exponent.ok) return { ok: false, reason: `${shopCurrency.path}: ${exponent.reason}` };
  const lines = refundedLines(refund, exponent.value);
  if (!lines.ok) return lines;
  const refunded = transactionsSum(refund, currency);
  if (!refunded.ok) return refunded;
  const sum = refunded.value;
  const totalMinor = sum?.currency === currency ? sum.minor : lines.value.valueMinor;
  const presentment = sum?.currency === currency ? undefined : sum;
  return {
    ok: true,
    value: {
      currency,
      total: minorToNumber(totalMinor, exponent.value),
      products: lines.value.products,
      partial: provenPartial(refund, lines.value, totalMinor),
      presentmentCurrency: presentment?.currency,
      presentmentTotal: presentment === undefined ? undefined : minorToNumber(presentment.minor, presentment.exponent),
    },
  };
}
