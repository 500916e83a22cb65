import { gid } from '../ids.ts';

import { formatMoney, moneySet, type CurrencyCode } from '../money.ts';
import type { RefundLine, RefundModel, ShopContext } from '../model.ts';
import { shopTimestamp } from '../timestamps.ts';
import { orderLineItem } from './order-lines.ts';
import { exactId, exactIdOrNull, jsonNumber } from '../json-bytes.ts';

/** refunds/create body: refunded lines, a shipping adjustment on full refunds, and the refund transaction. */
export function refundBody(refund: RefundModel, shop: ShopContext): Record<string, unknown> {
  const { order } = refund;
  const at = shopTimestamp(refund.createdAtMs, shop.utcOffsetMinutes);
  return {
    id: exactId(refund.id),
    order_id: exactId(order.id),
    created_at: at,
    note: refund.note,
    user_id: order.userId,
    processed_at: at,
    duties: [],
    total_duties_set: moneySet(0, order.currency),
    return: null,
    restock: refund.restock,
    refund_shipping_lines: [],
    admin_graphql_api_id: gid('Refund', refund.id),
    order_adjustments: refund.shipping ? [shippingAdjustment(refund)] : [],
    refund_line_items: refund.lines.map((line) => refundLineItem(refund, line)),
    transactions: [refundTransaction(refund, at)],
  };
}

/** Keys of the order line item that Shopify repeats inside refund_line_items[].line_item. */
const refundedLineItemKeys = [
  'id', 'variant_id', 'title', 'quantity', 'sku', 'variant_title', 'vendor', 'fulfillment_service', 'product_id',
  'requires_shipping', 'taxable', 'gift_card', 'name', 'variant_inventory_management', 'properties',
  'product_exists', 'fulfillable_quantity', 'grams', 'price', 'total_discount', 'fulfillment_status', 'price_set',
  'total_discount_set', 'discount_allocations', 'duties', 'admin_graphql_api_id', 'tax_lines',
] as const;

function refundLineItem(refund: RefundModel, line: RefundLine): Record<string, unknown> {
  const { order } = refund;
  const index = order.lines.indexOf(line.line);
  const full = orderLineItem(order, line.line, order.priced.lines[index] ?? { linePrice: 0, discount: 0, tax: 0 });
  const currency = order.currency;
  return {
    id: exactId(line.id),
    quantity: line.quantity,
    line_item_id: exactId(line.line.id),
    location_id: exactIdOrNull(order.locationId),
    restock_type: refund.restock ? 'return' : 'no_restock',
    subtotal: decimalNumber(line.subtotal, currency),
    total_tax: decimalNumber(line.tax, currency),
    subtotal_set: moneySet(line.subtotal, currency),
    total_tax_set: moneySet(line.tax, currency),
    line_item: Object.fromEntries(refundedLineItemKeys.map((key) => [key, full[key]])),
  };
}

/** Shopify writes these two refund amounts as JSON numbers (89.99, 0); the digits are written exactly. */
function decimalNumber(minor: number, currency: CurrencyCode): unknown {
  const text = formatMoney(minor, currency);
  return jsonNumber(text.includes('.') ? text.replace(/\.?0+$/, '') : text);
}

function shippingAdjustment(refund: RefundModel): Record<string, unknown> {
  const shipping = refund.shipping;
  const currency = refund.order.currency;
  const amount = -(shipping?.amount ?? 0);
  const tax = -(shipping?.tax ?? 0);
  return {
    id: exactIdOrNull(shipping?.adjustmentId),
    order_id: exactId(refund.order.id),
    refund_id: exactId(refund.id),
    amount: formatMoney(amount, currency),
    tax_amount: formatMoney(tax, currency),
    kind: 'shipping_refund',
    reason: 'Shipping refund',
    amount_set: moneySet(amount, currency),
    tax_amount_set: moneySet(tax, currency),
  };
}

function refundTransaction(refund: RefundModel, at: string): Record<string, unknown> {
  const { order } = refund;
  const amount = formatMoney(refund.amount, order.currency);
  const unsettled = { amount: '0.0', currency: order.currency };
  return {
    id: exactId(refund.transactionId),
    order_id: exactId(order.id),
    kind: 'refund',
    gateway: order.gateway,
    status: 'success',
    message: `Refunded ${amount} ${order.currency}`,
    created_at: at,
    test: false,
    authorization: null,
    location_id: exactIdOrNull(order.locationId),
    user_id: order.userId,
    parent_id: exactId(order.saleTransactionId),
    processed_at: at,
    device_id: order.deviceId,
    error_code: null,
    source_name: order.channel === 'pos' ? 'pos' : 'web',
    receipt: {},
    amount,
    currency: order.currency,
    payment_id: `${order.confirmationNumber}.2`,
    total_unsettled_set: { presentment_money: unsettled, shop_money: unsettled },
    manual_payment_gateway: order.gateway === 'manual' || order.gateway === 'cash',
    amount_rounding: null,
    admin_graphql_api_id: gid('OrderTransaction', refund.transactionId),
  };
}
