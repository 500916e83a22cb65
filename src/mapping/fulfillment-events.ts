import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { currencyExponent, minorToNumber, parseMinorUnits, type Parsed } from '../shopify/money.ts';
import type { ShopifyOrderLineItem } from '../shopify/order.ts';
import { parseFulfillment, type ShopifyFulfillment } from '../shopify/fulfillment.ts';
import { exactShopifyId } from '../shopify/shopify-id.ts';
import { specEvents, type SpecEvent } from './event-names.ts';
import { lineItemProduct } from './line-item-products.ts';
import type { MapContext, Mapper, MapResult } from './mapper.ts';
import { orderOnlyAnonymousId } from './order-identity.ts';
import { trackMessage } from './track-message.ts';
import { compact, isoTimestamp, quoted } from './values.ts';

interface FulfillmentTopicRule {
  event: SpecEvent;
  at: 'created_at' | 'updated_at';
  /** A fulfillment is created once; each update (status, tracking) is its own fact, versioned by updated_at. */
  perVersion: boolean;
}

/** fulfillments/* topic → event, in one place. */
export const fulfillmentTopicRules = {
  'fulfillments/create': { event: specEvents.fulfillmentCreated, at: 'created_at', perVersion: false },
  'fulfillments/update': { event: specEvents.fulfillmentUpdated, at: 'updated_at', perVersion: true },
} as const satisfies Record<string, FulfillmentTopicRule>;

/** A shipped line's unit price, when the line names its currency (fulfillment bodies name no other). */
function shippedPrice(item: ShopifyOrderLineItem, index: number): Parsed<number | undefined> {
  const currency = item.price_set?.shop_money?.currency_code;
  if (!currency) return { ok: true, value: undefined };
  const exponent = currencyExponent(currency);
  if (!exponent.ok) return { ok: false, reason: `line_items[${index}].price_set.shop_money.currency_code: ${exponent.reason}` };
  const minor = parseMinorUnits(item.price, exponent.value);
  if (!minor.ok) return { ok: false, reason: `line_items[${index}].price: ${minor.reason}` };
  return { ok: true, value: minorToNumber(minor.value, exponent.value) };
}

function shippedProducts(fulfillment: ShopifyFulfillment): Parsed<Record<string, unknown>[]> {
  const products: Record<string, unknown>[] = [];
  for (const [index, item] of (fulfillment.line_items ?? []).entries()) {
    const price = shippedPrice(item, index);
    if (!price.ok) return price;
    products.push(lineItemProduct(item, price.value, index));
  }
  return { ok: true, value: products };
}

function fulfillmentProperties(fulfillment: ShopifyFulfillment, fulfillmentId: string, products: Record<string, unknown>[]) {
  return compact({
    fulfillment_id: fulfillmentId,
    // Fulfillments name their order by REST id only; parseJsonExact keeps it exact in live bodies.
    order_id: fulfillment.order_id,
    email: fulfillment.email,
    status: fulfillment.status,
    shipment_status: fulfillment.shipment_status,
    tracking_company: fulfillment.tracking_company,
    tracking_numbers: fulfillment.tracking_numbers ?? (fulfillment.tracking_number ? [fulfillment.tracking_number] : undefined),
    tracking_urls: fulfillment.tracking_urls ?? (fulfillment.tracking_url ? [fulfillment.tracking_url] : undefined),
    products,
  });
}

function fulfillmentTrack(fulfillment: ShopifyFulfillment, rule: FulfillmentTopicRule, context: MapContext): Parsed<SegmentMessage> {
  const timestamp = isoTimestamp(fulfillment[rule.at]) ?? isoTimestamp(fulfillment.created_at);
  if (timestamp === undefined) return { ok: false, reason: `${rule.at}: ${quoted(fulfillment[rule.at])} is not an ISO-8601 time` };
  const products = shippedProducts(fulfillment);
  if (!products.ok) return products;
  const fulfillmentId = exactShopifyId(fulfillment.id, fulfillment.admin_graphql_api_id, 'Fulfillment') ?? fulfillment.id;
  const version = rule.perVersion ? (isoTimestamp(fulfillment.updated_at) ?? `webhook ${context.webhookId}`) : undefined;
  return {
    ok: true,
    value: trackMessage({
      event: rule.event,
      shop: context.shop,
      resource: fulfillmentId,
      version,
      timestamp,
      // No customer in the body: the order's id-derived anonymousId (see order-identity.ts), shared by its refunds.
      anonymousId: orderOnlyAnonymousId(fulfillment.order_id, context.shop),
      properties: fulfillmentProperties(fulfillment, fulfillmentId, products.value),
    }),
  };
}

/** The mapper for one fulfillments/* topic: Fulfillment Created / Updated with status and tracking. */
export function fulfillmentTopicMapper(rule: FulfillmentTopicRule): Mapper {
  return (payload, context): MapResult => {
    const parsed = parseFulfillment(payload);
    if (!parsed.ok) return { kind: 'unmappable', reason: parsed.reason };
    const track = fulfillmentTrack(parsed.value, rule, context);
    return track.ok ? { kind: 'mapped', messages: [track.value] } : { kind: 'unmappable', reason: track.reason };
  };
}

export const mapFulfillmentCreated = fulfillmentTopicMapper(fulfillmentTopicRules['fulfillments/create']);
export const mapFulfillmentUpdated = fulfillmentTopicMapper(fulfillmentTopicRules['fulfillments/update']);
