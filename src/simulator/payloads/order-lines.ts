import { gid } from '../ids.ts';
import { formatMoney, moneySet, type CurrencyCode } from '../money.ts';
import type { OrderLine, OrderModel } from '../model.ts';
import type { PricedLine, TaxPolicy } from '../pricing.ts';
import { rateNumber } from '../quote.ts';
import { lineName, variantTitle } from './line-basics.ts';
import { exactId } from '../json-bytes.ts';

/** One entry of an order's line_items. */
export function orderLineItem(order: OrderModel, line: OrderLine, priced: PricedLine): Record<string, unknown> {
  const { currency } = order;
  const unit = line.variant.prices[currency];
  return {
    id: exactId(line.id),
    admin_graphql_api_id: gid('LineItem', line.id),
    attributed_staffs: order.userId ? [{ id: gid('StaffMember', order.userId), quantity: line.quantity }] : [],
    current_quantity: line.quantity,
    fulfillable_quantity: line.quantity,
    fulfillment_service: 'manual',
    fulfillment_status: null,
    gift_card: false,
    grams: line.variant.grams,
    name: lineName(line),
    price: formatMoney(unit, currency),
    price_set: moneySet(unit, currency),
    product_exists: true,
    product_id: exactId(line.product.id),
    properties: [],
    quantity: line.quantity,
    requires_shipping: order.channel !== 'pos',
    sales_line_item_group_id: null,
    sku: line.variant.sku,
    taxable: true,
    title: line.product.title,
    total_discount: formatMoney(priced.discount, currency),
    total_discount_set: moneySet(priced.discount, currency),
    variant_id: exactId(line.variant.id),
    variant_inventory_management: 'shopify',
    variant_title: variantTitle(line),
    vendor: line.product.vendor,
    tax_lines: [taxLine(priced.tax, order.tax, currency)],
    duties: [],
    discount_allocations: priced.discount > 0 ? [discountAllocation(priced.discount, currency)] : [],
  };
}

/** A tax_lines entry (orders, line items, shipping lines). */
export function taxLine(amount: number, tax: TaxPolicy, currency: CurrencyCode): Record<string, unknown> {
  return {
    channel_liable: false,
    price: formatMoney(amount, currency),
    price_set: moneySet(amount, currency),
    rate: rateNumber(tax.rateBp),
    title: tax.title,
  };
}

function discountAllocation(amount: number, currency: CurrencyCode): Record<string, unknown> {
  return { amount: formatMoney(amount, currency), amount_set: moneySet(amount, currency), discount_application_index: 0 };
}

/** The order's shipping_lines: none for in-person sales. */
export function orderShippingLines(order: OrderModel): Record<string, unknown>[] {
  const { shipping, currency, priced } = order;
  if (!shipping) return [];
  return [
    {
      id: exactId(shipping.id),
      carrier_identifier: null,
      code: shipping.code,
      current_discounted_price_set: moneySet(shipping.price, currency),
      discounted_price: formatMoney(shipping.price, currency),
      discounted_price_set: moneySet(shipping.price, currency),
      is_removed: false,
      phone: null,
      price: formatMoney(shipping.price, currency),
      price_set: moneySet(shipping.price, currency),
      requested_fulfillment_service_id: null,
      source: 'shopify',
      title: shipping.title,
      tax_lines: [taxLine(priced.shippingTax, order.tax, currency)],
      discount_allocations: [],
    },
  ];
}

/** discount_applications and discount_codes: one code, spread across all lines. */
export function orderDiscounts(order: OrderModel): { applications: unknown[]; codes: unknown[] } {
  const { discount, currency, priced } = order;
  if (!discount) return { applications: [], codes: [] };
  const value = discount.valueType === 'percentage' ? `${discount.value}.0` : formatMoney(discount.value, currency);
  const application = {
    target_type: 'line_item',
    type: 'discount_code',
    value,
    value_type: discount.valueType,
    allocation_method: 'across',
    target_selection: 'all',
    code: discount.code,
  };
  const code = { code: discount.code, amount: formatMoney(priced.discountTotal, currency), type: discount.valueType };
  return { applications: [application], codes: [code] };
}
