import { idFromGid } from '../shopify/shopify-id.ts';
import type {
  AddressNode,
  CustomerNode,
  LineItemNode,
  MoneyBagNode,
  OrderNode,
  RefundLineItemNode,
  RefundNode,
  TransactionNode,
} from './order-nodes.ts';

/**
 * Admin GraphQL order and refund → the REST webhook bodies (orders/create, refunds/create) the mappers read, so a
 * backfilled order goes through exactly the code a live webhook does and yields the same messageIds. Pure.
 *
 * What a webhook body has and this leaves out: fields no mapper reads and GraphQL does not serve the same way
 * (discount code amounts and types, client_details' user agent, checkout_id, the customer's currency and
 * marketing consent, refund processed_at). Ids are the exact decimal strings of the GraphQL gids, money stays in
 * Shopify's decimal strings, enums are lower-cased to the REST spelling.
 */

type Json = Record<string, unknown>;

/** The numeric id inside a gid; a gid of another type is passed through so the mapper names it as not numeric. */
function restId(gid: string, type: string): string {
  return idFromGid(gid, type) ?? gid;
}

function lower(value: string | null | undefined): string | null {
  return value == null ? null : value.toLowerCase();
}

function moneySet(bag: MoneyBagNode | null | undefined): Json | null {
  if (bag == null) return null;
  const money = (m: { amount: string; currencyCode: string }) => ({ amount: m.amount, currency_code: m.currencyCode });
  return { shop_money: money(bag.shopMoney), presentment_money: bag.presentmentMoney == null ? null : money(bag.presentmentMoney) };
}

function shopAmount(bag: MoneyBagNode | null | undefined): string | null {
  return bag?.shopMoney.amount ?? null;
}

function address(node: AddressNode | null | undefined): Json | null {
  if (node == null) return null;
  return {
    first_name: node.firstName ?? null,
    last_name: node.lastName ?? null,
    company: node.company ?? null,
    address1: node.address1 ?? null,
    address2: node.address2 ?? null,
    city: node.city ?? null,
    province: node.province ?? null,
    province_code: node.provinceCode ?? null,
    zip: node.zip ?? null,
    country: node.country ?? null,
    country_code: node.countryCodeV2 ?? null,
    phone: node.phone ?? null,
  };
}

function joinedTags(tags: readonly string[] | null | undefined): string {
  return (tags ?? []).join(', ');
}

/** REST spells fulfillment status fulfilled / partial / restocked, and null for everything not yet fulfilled. */
function fulfillmentStatus(display: string | null | undefined): string | null {
  switch (display) {
    case 'FULFILLED': return 'fulfilled';
    case 'PARTIALLY_FULFILLED': return 'partial';
    case 'RESTOCKED': return 'restocked';
    default: return null;
  }
}

export function lineItemPayload(item: LineItemNode): Json {
  return {
    id: restId(item.id, 'LineItem'),
    admin_graphql_api_id: item.id,
    product_id: item.product == null ? null : restId(item.product.id, 'Product'),
    variant_id: item.variant == null ? null : restId(item.variant.id, 'ProductVariant'),
    sku: item.sku ?? null,
    title: item.title,
    name: item.name ?? null,
    variant_title: item.variantTitle ?? null,
    vendor: item.vendor ?? null,
    price: item.originalUnitPriceSet.shopMoney.amount,
    price_set: moneySet(item.originalUnitPriceSet),
    quantity: item.quantity,
    total_discount: shopAmount(item.totalDiscountSet) ?? '0.00',
    total_discount_set: moneySet(item.totalDiscountSet),
    gift_card: item.isGiftCard ?? false,
  };
}

/** REST transactions carry the amount in the customer's (presentment) currency, with that currency. */
export function transactionPayload(transaction: TransactionNode, orderId: string): Json {
  const money = transaction.amountSet.presentmentMoney ?? transaction.amountSet.shopMoney;
  return {
    id: restId(transaction.id, 'OrderTransaction'),
    admin_graphql_api_id: transaction.id,
    order_id: orderId,
    kind: lower(transaction.kind),
    status: lower(transaction.status),
    amount: money.amount,
    currency: money.currencyCode,
    gateway: transaction.gateway ?? null,
    error_code: lower(transaction.errorCode),
    created_at: transaction.createdAt ?? null,
    processed_at: transaction.processedAt ?? null,
  };
}

function customerPayload(customer: CustomerNode | null | undefined): Json | null {
  if (customer == null) return null;
  return {
    id: restId(customer.id, 'Customer'),
    admin_graphql_api_id: customer.id,
    email: customer.defaultEmailAddress?.emailAddress ?? null,
    first_name: customer.firstName ?? null,
    last_name: customer.lastName ?? null,
    phone: customer.defaultPhoneNumber?.phoneNumber ?? null,
    created_at: customer.createdAt ?? null,
    updated_at: customer.updatedAt ?? null,
    note: customer.note ?? null,
    state: lower(customer.state),
    verified_email: customer.verifiedEmail ?? null,
    tags: joinedTags(customer.tags),
    default_address: address(customer.defaultAddress),
  };
}

function shippingLines(order: OrderNode): Json[] {
  return (order.shippingLines?.nodes ?? []).map((line) => ({
    title: line.title ?? null,
    code: line.code ?? null,
    price: shopAmount(line.originalPriceSet),
    price_set: moneySet(line.originalPriceSet),
    discounted_price: shopAmount(line.discountedPriceSet),
    discounted_price_set: moneySet(line.discountedPriceSet),
  }));
}

function orderMoney(order: OrderNode): Json {
  return {
    currency: order.currencyCode,
    presentment_currency: order.presentmentCurrencyCode ?? null,
    total_price: order.totalPriceSet.shopMoney.amount,
    total_price_set: moneySet(order.totalPriceSet),
    subtotal_price: shopAmount(order.subtotalPriceSet),
    subtotal_price_set: moneySet(order.subtotalPriceSet),
    total_tax: shopAmount(order.totalTaxSet),
    total_tax_set: moneySet(order.totalTaxSet),
    total_discounts: shopAmount(order.totalDiscountsSet),
    total_discounts_set: moneySet(order.totalDiscountsSet),
    total_shipping_price_set: moneySet(order.totalShippingPriceSet),
  };
}

/**
 * The orders/create body for an order. `lineItems` are all of the order's line items (the query's first page plus
 * any fetched after it); they default to the first page.
 */
export function orderWebhookPayload(order: OrderNode, lineItems: readonly LineItemNode[] = order.lineItems.nodes): Json {
  const orderId = restId(order.id, 'Order');
  return {
    id: orderId,
    admin_graphql_api_id: order.id,
    name: order.name ?? null,
    email: order.email ?? null,
    contact_email: order.email ?? null,
    phone: order.phone ?? null,
    created_at: order.createdAt,
    processed_at: order.processedAt ?? null,
    updated_at: order.updatedAt ?? null,
    cancelled_at: order.cancelledAt ?? null,
    cancel_reason: lower(order.cancelReason),
    financial_status: lower(order.displayFinancialStatus),
    fulfillment_status: fulfillmentStatus(order.displayFulfillmentStatus),
    test: order.test ?? false,
    tags: joinedTags(order.tags),
    note: order.note ?? null,
    source_name: order.sourceName ?? null,
    cart_token: order.cartToken ?? null,
    checkout_token: order.checkoutToken ?? null,
    browser_ip: order.clientIp ?? null,
    ...orderMoney(order),
    shipping_lines: shippingLines(order),
    discount_codes: (order.discountCodes ?? []).map((code) => ({ code })),
    note_attributes: (order.customAttributes ?? []).map((attribute) => ({ name: attribute.key, value: attribute.value ?? null })),
    payment_gateway_names: order.paymentGatewayNames ?? [],
    line_items: lineItems.map(lineItemPayload),
    transactions: (order.transactions ?? []).map((transaction) => transactionPayload(transaction, orderId)),
    customer: customerPayload(order.customer),
    billing_address: address(order.billingAddress),
    shipping_address: address(order.shippingAddress),
  };
}

function refundLinePayload(line: RefundLineItemNode): Json {
  return {
    quantity: line.quantity,
    line_item_id: restId(line.lineItem.id, 'LineItem'),
    subtotal_set: moneySet(line.subtotalSet),
    total_tax_set: moneySet(line.totalTaxSet),
    line_item: lineItemPayload(line.lineItem),
  };
}

/** The refunds/create body for a refund; `lines` are all its refund line items (default: the first page). */
export function refundWebhookPayload(refund: RefundNode, lines: readonly RefundLineItemNode[] = refund.refundLineItems.nodes): Json {
  const orderId = restId(refund.order.id, 'Order');
  return {
    id: restId(refund.id, 'Refund'),
    admin_graphql_api_id: refund.id,
    order_id: orderId,
    created_at: refund.createdAt ?? null,
    note: refund.note ?? null,
    refund_line_items: lines.map(refundLinePayload),
    transactions: refund.transactions.nodes.map((transaction) => transactionPayload(transaction, orderId)),
  };
}
