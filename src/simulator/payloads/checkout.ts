import { formatMoney, type CurrencyCode } from '../money.ts';
import type { CheckoutModel, CheckoutStage, ShopContext } from '../model.ts';
import type { PricedLine, PricedOrder } from '../pricing.ts';
import { quoteBasket, rateNumber } from '../quote.ts';
import { shopTimestamp } from '../timestamps.ts';
import { mailingAddress } from './address.ts';
import { embeddedCustomer } from './customer.ts';
import { digestHex, lineName, variantTitle } from './line-basics.ts';
import { anonymousIdAttributes } from './note-attributes.ts';
import { exactId } from '../json-bytes.ts';

/** checkouts/create and checkouts/update body at a stage of the shopper's checkout. */
export function checkoutBody(
  checkout: CheckoutModel,
  stage: CheckoutStage,
  shop: ShopContext,
  updatedAtMs: number,
): Record<string, unknown> {
  const hasShipping = stage !== 'contact';
  const priced = quoteBasket(checkout.lines, checkout.currency, checkout.discount, hasShipping ? checkout.shipping.price : 0, checkout.tax);
  return {
    ...checkoutHeader(checkout, stage, shop, updatedAtMs),
    shipping_lines: hasShipping ? [checkoutShippingLine(checkout, priced)] : [],
    line_items: checkout.lines.map((line, i) => checkoutLine(checkout, line, priced.lines[i], i)),
    ...checkoutTotals(checkout, priced),
    billing_address: hasShipping ? mailingAddress(checkout.person) : null,
    shipping_address: hasShipping ? mailingAddress(checkout.person) : null,
    customer: checkout.customer ? embeddedCustomer(checkout.customer, shop, updatedAtMs) : null,
  };
}

function checkoutHeader(checkout: CheckoutModel, stage: CheckoutStage, shop: ShopContext, updatedAtMs: number): Record<string, unknown> {
  const ts = (ms: number): string => shopTimestamp(ms, shop.utcOffsetMinutes);
  return {
    id: exactId(checkout.id),
    token: checkout.token,
    cart_token: checkout.cartToken,
    email: checkout.person.email,
    gateway: stage === 'completed' ? 'shopify_payments' : null,
    buyer_accepts_marketing: checkout.acceptsMarketing,
    created_at: ts(checkout.createdAtMs),
    updated_at: ts(updatedAtMs),
    landing_site: checkout.landingSite,
    note: null,
    note_attributes: anonymousIdAttributes(checkout.anonymousId),
    referring_site: checkout.referringSite,
    taxes_included: checkout.tax.included,
    total_weight: checkout.lines.reduce((g, l) => g + l.variant.grams * l.quantity, 0),
    currency: checkout.currency,
    completed_at: stage === 'completed' ? ts(updatedAtMs) : null,
    closed_at: null,
    user_id: null,
    location_id: null,
    source_identifier: null,
    source_url: null,
    device_id: null,
    phone: null,
    customer_locale: checkout.person.locale,
    name: `#${checkout.id}`,
    source: null,
    abandoned_checkout_url: `https://${shop.domain}/${shop.numericId}/checkouts/ac/${checkout.token}/recover?key=${digestHex('recover', checkout.token)}`,
    source_name: 'web',
    presentment_currency: checkout.currency,
    buyer_accepts_sms_marketing: false,
    sms_marketing_phone: null,
    reservation_token: null,
  };
}

function checkoutTotals(checkout: CheckoutModel, priced: PricedOrder): Record<string, unknown> {
  const money = (minor: number): string => formatMoney(minor, checkout.currency);
  return {
    discount_codes: checkout.discount
      ? [{ code: checkout.discount.code, amount: money(priced.discountTotal), type: checkout.discount.valueType }]
      : [],
    tax_lines: [{ price: money(priced.taxTotal), rate: rateNumber(checkout.tax.rateBp), title: checkout.tax.title, channel_liable: false }],
    total_discounts: money(priced.discountTotal),
    total_line_items_price: money(priced.lineItemsTotal),
    total_price: money(priced.total),
    total_tax: money(priced.taxTotal),
    subtotal_price: money(priced.subtotal),
    total_duties: null,
  };
}

function checkoutLine(
  checkout: CheckoutModel,
  line: CheckoutModel['lines'][number],
  priced: PricedLine | undefined,
  index: number,
): Record<string, unknown> {
  const currency = checkout.currency;
  const money = (minor: number): string => formatMoney(minor, currency);
  const unit = line.variant.prices[currency];
  const discount = priced?.discount ?? 0;
  return {
    applied_discounts: [],
    discount_allocations: discount > 0 && checkout.discount ? [checkoutAllocation(discount, checkout.discount.code, currency)] : [],
    key: digestHex(checkout.token, String(line.variant.id)),
    destination_location_id: null,
    fulfillment_service: 'manual',
    gift_card: false,
    grams: line.variant.grams,
    origin_location_id: null,
    presentment_title: line.product.title,
    presentment_variant_title: variantTitle(line) ?? '',
    product_id: exactId(line.product.id),
    properties: null,
    quantity: line.quantity,
    requires_shipping: true,
    sku: line.variant.sku,
    tax_lines: [checkoutTaxLine(priced?.tax ?? 0, checkout, 1)],
    taxable: true,
    title: lineName(line),
    variant_id: exactId(line.variant.id),
    variant_title: variantTitle(line) ?? '',
    variant_price: money(unit),
    vendor: line.product.vendor,
    user_id: null,
    unit_price_measurement: { measured_type: null, quantity_value: null, quantity_unit: null, reference_value: null, reference_unit: null },
    rank: index,
    compare_at_price: null,
    line_price: money(unit * line.quantity),
    price: money(unit),
  };
}

function checkoutAllocation(amount: number, code: string, currency: CurrencyCode): Record<string, unknown> {
  return { id: null, amount: formatMoney(amount, currency), description: code, created_at: null, application_type: 'discount_code' };
}

function checkoutTaxLine(tax: number, checkout: CheckoutModel, position: number): Record<string, unknown> {
  const price = formatMoney(tax, checkout.currency);
  return {
    price,
    position,
    rate: rateNumber(checkout.tax.rateBp),
    title: checkout.tax.title,
    source: 'Shopify',
    zone: checkout.tax.included ? 'country' : 'province',
    jurisdiction_id: null,
    jurisdiction_type: null,
    jurisdiction_source: null,
    reporting_taxable_amount: null,
    reporting_non_taxable_amount: null,
    reporting_exempt_amount: null,
    reporting_jurisdiction_name: null,
    reporting_jurisdiction_type: null,
    reporting_jurisdiction_code: null,
    tax_api_client_id: null,
    tax_calculation_price: price,
    tax_registration_id: null,
    compare_at: rateNumber(checkout.tax.rateBp),
    channel_liable: false,
  };
}

function checkoutShippingLine(checkout: CheckoutModel, priced: PricedOrder): Record<string, unknown> {
  const { shipping, currency } = checkout;
  const price = formatMoney(shipping.price, currency);
  return {
    id: `shopify-${encodeURIComponent(shipping.title)}-${price}`,
    code: shipping.code,
    title: shipping.title,
    presentment_title: shipping.title,
    price,
    original_shop_price: price,
    source: 'shopify',
    phone: null,
    carrier_identifier: null,
    applied_discounts: [],
    tax_lines: [checkoutTaxLine(priced.shippingTax, checkout, 1)],
  };
}
