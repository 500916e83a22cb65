import type { ShopifyOrder } from '../shopify/order.ts';
import { joined, lineItemProduct } from './line-item-products.ts';
import { integrationContext } from './message-context.ts';
import type { OrderAmounts } from './order-amounts.ts';
import { orderIdOf } from './order-identity.ts';
import { compact } from './values.ts';

/**
 * The properties every order-type event carries (Order Completed, POS Order Placed, Order Paid, Order Cancelled,
 * Order Fulfilled, Payment Failure, …): Segment Ecommerce Spec v2 plus the paid connector's extras.
 */
export function orderProperties(order: ShopifyOrder, amounts: OrderAmounts): Record<string, unknown> {
  return compact({
    order_id: orderIdOf(order),
    // The checkout token first: orders and checkout webhooks of every API version carry it (the 2026-04 order
    // sample has no checkout_id at all). Checkout Started uses the same value so the two events join.
    checkout_id: order.checkout_token || order.checkout_id,
    email: order.email || order.customer?.email,
    total: amounts.total,
    subtotal: amounts.subtotal,
    revenue: amounts.revenue,
    shipping: amounts.shipping,
    tax: amounts.tax,
    discount: amounts.discount,
    coupon: joined(order.discount_codes?.map((discount) => discount.code)),
    currency: order.currency,
    presentment_currency: amounts.presentmentCurrency,
    presentment_total: amounts.presentmentTotal,
    payment_method: joined(order.payment_gateway_names),
    shipping_method: joined(order.shipping_lines?.map((line) => line.title)),
    products: order.line_items.map((item, index) => lineItemProduct(item, amounts.linePrices[index] ?? 0, index)),
  });
}

/** The browser the order came from, when Shopify knows it. */
export function orderContext(order: ShopifyOrder): Record<string, unknown> {
  return compact({
    ...integrationContext(),
    ip: order.browser_ip || order.client_details?.browser_ip,
    userAgent: order.client_details?.user_agent,
  });
}
