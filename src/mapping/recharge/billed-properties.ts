import type { Parsed } from '../../shopify/money.ts';
import type { RechargeBilled } from '../../recharge/payloads.ts';
import { joined } from '../line-item-products.ts';
import { compact } from '../values.ts';
import { lineItemProducts } from './recharge-products.ts';
import {
  rechargeAmount, rechargeIdentity, rechargeMinor, shopifyCustomerIdOf, sumOfMinor, type Minor, type RechargeIdentity,
} from './recharge-values.ts';

/** Shipping: the exact sum of the shipping lines' prices. */
function shippingTotal(record: RechargeBilled, where: string): Parsed<number | undefined> {
  const prices: Minor[] = [];
  for (const [index, line] of (record.shipping_lines ?? []).entries()) {
    const price = rechargeMinor(line.price, record.currency, `${where}.shipping_lines[${index}].price`);
    if (!price.ok) return price;
    if (price.value !== undefined) prices.push(price.value);
  }
  return { ok: true, value: sumOfMinor(prices) };
}

const moneyFields = { total: 'total_price', subtotal: 'subtotal_price', tax: 'total_tax', discount: 'total_discounts' } as const;

/** Order-style amounts of a charge or an order, as numbers in its currency (Segment Ecommerce Spec v2 names). */
function billedAmounts(record: RechargeBilled, where: string): Parsed<Record<string, number | undefined>> {
  const amounts: Record<string, number | undefined> = {};
  for (const [name, field] of Object.entries(moneyFields)) {
    const amount = rechargeAmount(record[field], record.currency, `${where}.${field}`);
    if (!amount.ok) return amount;
    amounts[name] = amount.value;
  }
  const shipping = shippingTotal(record, where);
  if (!shipping.ok) return shipping;
  return { ok: true, value: { ...amounts, shipping: shipping.value } };
}

/** The properties every charge and order event carries: amounts, currency, coupon, products, customer. */
export function billedProperties(record: RechargeBilled, where: string): Parsed<Record<string, unknown>> {
  const amounts = billedAmounts(record, where);
  if (!amounts.ok) return amounts;
  const products = lineItemProducts(record.line_items, record.currency, where);
  if (!products.ok) return products;
  const codes = [...(record.discounts ?? []), ...(record.discount_codes ?? [])].map((discount) => discount.code);
  return {
    ok: true,
    value: compact({
      ...amounts.value,
      currency: record.currency,
      coupon: joined(codes),
      recharge_customer_id: record.customer?.id ?? record.customer_id,
      email: record.customer?.email ?? record.email,
      products: products.value,
    }),
  };
}

/** userId from the embedded customer (2021-11) or shopify_customer_id (2021-01); see rechargeIdentity. */
export function billedIdentity(record: RechargeBilled, shop: string): RechargeIdentity | undefined {
  const shopifyCustomerId = shopifyCustomerIdOf(record.customer) ?? record.shopify_customer_id ?? undefined;
  return rechargeIdentity(shop, shopifyCustomerId, record.customer?.id ?? record.customer_id);
}
