import { gid } from '../ids.ts';
import { formatMoney, moneySet } from '../money.ts';
import type { Channel, OrderModel, ShopContext } from '../model.ts';
import { shopTimestamp } from '../timestamps.ts';
import { mailingAddress } from './address.ts';
import { embeddedCustomer } from './customer.ts';
import { digestHex } from './line-basics.ts';
import { anonymousIdAttributes } from './note-attributes.ts';
import { orderDiscounts, orderLineItem, orderShippingLines, taxLine } from './order-lines.ts';
import { exactId, exactIdOrNull } from '../json-bytes.ts';

/** The app behind each sales channel (Online Store, Point of Sale, Draft Orders, the Shop app). */
const channelAppIds: Readonly<Record<Channel, number>> = {
  web: 580111,
  pos: 129785,
  shopify_draft_order: 1354745,
  iphone: 3890849,
};

/** orders/create and orders/paid body (Shopify sends the whole order with each). */
export function orderBody(order: OrderModel, shop: ShopContext, updatedAtMs: number): Record<string, unknown> {
  const discounts = orderDiscounts(order);
  const address = order.channel === 'pos' && !order.customer ? null : mailingAddress(order.person);
  return {
    ...orderHeader(order, shop),
    ...orderSource(order),
    ...orderTotals(order),
    ...orderState(order, shop, updatedAtMs),
    billing_address: address,
    customer: order.customer ? embeddedCustomer(order.customer, shop, updatedAtMs) : null,
    discount_applications: discounts.applications,
    discount_codes: discounts.codes,
    fulfillments: [],
    line_items: order.lines.map((line, i) => orderLineItem(order, line, order.priced.lines[i] ?? zeroLine)),
    payment_terms: null,
    refunds: [],
    shipping_address: order.shipping ? address : null,
    shipping_lines: orderShippingLines(order),
    returns: [],
    line_item_groups: [],
  };
}

const zeroLine = { linePrice: 0, discount: 0, tax: 0 };

function orderHeader(order: OrderModel, shop: ShopContext): Record<string, unknown> {
  const at = shopTimestamp(order.createdAtMs, shop.utcOffsetMinutes);
  return {
    id: exactId(order.id),
    admin_graphql_api_id: gid('Order', order.id),
    app_id: channelAppIds[order.channel],
    buyer_accepts_marketing: order.acceptsMarketing,
    company: null,
    confirmation_number: order.confirmationNumber,
    contact_email: order.email,
    created_at: at,
    currency: order.currency,
    customer_locale: order.person.locale,
    email: order.email ?? '',
    merchant_business_entity_id: Buffer.from(String(shop.numericId)).toString('base64').replace(/=+$/, ''),
    merchant_of_record_app_id: null,
    name: `#${order.number + 1000}`,
    note: null,
    number: order.number,
    order_number: order.number + 1000,
    order_status_url: `https://${shop.domain}/${shop.numericId}/orders/${order.token}/authenticate?key=${digestHex('status', order.token)}`,
    phone: null,
    po_number: null,
    presentment_currency: order.currency,
    processed_at: at,
    reference: null,
    tags: order.channel === 'shopify_draft_order' ? 'wholesale' : '',
    tax_exempt: false,
    test: false,
    token: order.token,
  };
}

/** Where the order came from: the storefront session (web), the store's register (pos), a checkout. */
function orderSource(order: OrderModel): Record<string, unknown> {
  const client = order.client;
  return {
    browser_ip: client?.browserIp ?? null,
    cart_token: order.cartToken,
    checkout_id: exactIdOrNull(order.checkout?.id),
    checkout_token: order.checkout?.token ?? null,
    client_details: client
      ? { accept_language: client.acceptLanguage, browser_height: 900, browser_ip: client.browserIp, browser_width: 1440, session_hash: null, user_agent: client.userAgent }
      : null,
    device_id: order.deviceId,
    landing_site: client?.landingSite ?? null,
    landing_site_ref: null,
    location_id: exactIdOrNull(order.locationId),
    note_attributes: anonymousIdAttributes(order.anonymousId),
    referring_site: client?.referringSite ?? null,
    source_identifier: order.channel === 'pos' ? `${order.locationId}-${order.deviceId}-${order.number}` : null,
    source_name: order.channel,
    source_url: null,
    user_id: order.userId,
  };
}

function orderTotals(order: OrderModel): Record<string, unknown> {
  const { priced, currency } = order;
  const money = (minor: number): string => formatMoney(minor, currency);
  const set = (minor: number): unknown => moneySet(minor, currency);
  return {
    current_shipping_price_set: set(priced.shipping),
    current_subtotal_price: money(priced.subtotal),
    current_subtotal_price_set: set(priced.subtotal),
    current_total_additional_fees_set: null,
    current_total_discounts: money(priced.discountTotal),
    current_total_discounts_set: set(priced.discountTotal),
    current_total_duties_set: null,
    current_total_price: money(priced.total),
    current_total_price_set: set(priced.total),
    current_total_tax: money(priced.taxTotal),
    current_total_tax_set: set(priced.taxTotal),
    duties_included: false,
    estimated_taxes: false,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    subtotal_price: money(priced.subtotal),
    subtotal_price_set: set(priced.subtotal),
    tax_lines: [taxLine(priced.taxTotal, order.tax, currency)],
    taxes_included: order.tax.included,
    total_cash_rounding_payment_adjustment_set: set(0),
    total_cash_rounding_refund_adjustment_set: set(0),
    total_discounts: money(priced.discountTotal),
    total_discounts_set: set(priced.discountTotal),
    total_line_items_price: money(priced.lineItemsTotal),
    total_line_items_price_set: set(priced.lineItemsTotal),
    total_outstanding: money(order.financialStatus === 'paid' ? 0 : priced.total),
    total_price: money(priced.total),
    total_price_set: set(priced.total),
    total_shipping_price_set: set(priced.shipping),
    total_tax: money(priced.taxTotal),
    total_tax_set: set(priced.taxTotal),
    total_tip_received: money(0),
    total_weight: order.lines.reduce((grams, l) => grams + l.variant.grams * l.quantity, 0),
  };
}

function orderState(order: OrderModel, shop: ShopContext, updatedAtMs: number): Record<string, unknown> {
  return {
    cancel_reason: null,
    cancelled_at: null,
    closed_at: null,
    confirmed: true,
    financial_status: order.financialStatus,
    fulfillment_status: null,
    payment_gateway_names: [order.gateway],
    updated_at: shopTimestamp(updatedAtMs, shop.utcOffsetMinutes),
  };
}
