import { z } from 'zod';
import { specEvents, type SpecEventKey } from '../mapping/event-names.ts';

/**
 * What every outgoing message must look like, as zod schemas: the call shapes of Segment's spec (track, identify,
 * alias, page) and, per event cartstream sends from Shopify, the properties it requires and their types. Objects
 * are loose: the spec says what must be there and what type it has, not that nothing else may be.
 * https://segment.com/docs/connections/spec/ecommerce/v2/
 */

/** ISO 4217's current codes as ICU knows them (Node's Intl: kept up to date with the runtime, not by us). */
const isoCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

const text = z.string().min(1, 'must not be empty');
const money = z.number().finite();
const count = z.number().int('must be a whole number').min(0, 'must not be negative');
const currency = z.string().refine((code) => isoCurrencies.has(code), 'is not an ISO 4217 currency code');
const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time' });
const bag = z.record(z.string(), z.unknown());

/** A Segment product (Ecommerce Spec v2): ids and sku as strings, price a number, quantity a whole number. */
const product = z.looseObject({
  product_id: text.optional(),
  sku: text.optional(),
  name: z.string().optional(),
  price: money.optional(),
  quantity: count.optional(),
  position: count.optional(),
});

/** A product bought, refunded or shipped: what was paid for how many. */
const pricedProduct = product.extend({ price: money, quantity: count });

/** Properties of every order event (Order Completed, POS Order Placed, Order Paid, … Payment Failure). */
const orderProperties = z.looseObject({
  order_id: text,
  checkout_id: text.optional(),
  email: z.string().optional(),
  total: money,
  subtotal: money.optional(),
  revenue: money.optional(),
  shipping: money.optional(),
  tax: money.optional(),
  discount: money.optional(),
  coupon: z.string().optional(),
  currency,
  presentment_currency: currency.optional(),
  presentment_total: money.optional(),
  payment_method: z.string().optional(),
  shipping_method: z.string().optional(),
  products: z.array(pricedProduct),
});

const refundProperties = z.looseObject({
  order_id: text,
  refund_id: text,
  total: money,
  currency,
  presentment_currency: currency.optional(),
  presentment_total: money.optional(),
  partial: z.boolean().optional(),
  products: z.array(pricedProduct).optional(),
});

const customerProperties = z.looseObject({ customer_id: text, email: z.string().optional(), verified_email: z.boolean().optional() });

const fulfillmentProperties = z.looseObject({
  fulfillment_id: text,
  order_id: text,
  status: z.string().optional(),
  tracking_numbers: z.array(z.string()).optional(),
  tracking_urls: z.array(z.string()).optional(),
  products: z.array(product.extend({ quantity: count })).optional(),
});

const checkoutStarted = z.looseObject({
  checkout_id: text,
  value: money.optional(),
  revenue: money.optional(),
  currency,
  presentment_currency: currency.optional(),
  products: z.array(pricedProduct),
});

const checkoutStep = z.looseObject({ checkout_id: text, step: z.number().int('must be a whole number').min(1, 'must be at least 1') });
const couponApplied = z.looseObject({ checkout_id: text, coupon_name: text, discount: money.optional(), currency: currency.optional() });

const productVariant = z.looseObject({ shopify_variant_id: text.optional(), sku: text.optional(), price: money.optional() });
const productProperties = z.looseObject({ product_id: text, name: z.string().optional(), price: money.optional(), variants: z.array(productVariant).optional() });

/** Cart events: the changed product at the top level, the whole cart in `products` (Product Added / Removed). */
const cartProperties = z.looseObject({ cart_id: text, quantity: count, currency: currency.optional(), products: z.array(product) });

const checkoutAbandoned = z.looseObject({
  checkout_id: text,
  value: money,
  currency,
  products: z.array(pricedProduct),
  abandoned_checkout_url: z.string().optional(),
});

const postPurchaseUpsell = z.looseObject({ order_id: text, value: money, currency, products: z.array(pricedProduct) });

/** ReCharge: a subscription's product sits at the top level (see mapping/recharge/subscription-events.ts). */
const subscriptionProperties = z.looseObject({ subscription_id: text, status: text, currency: currency.optional(), price: money.optional(), quantity: count.optional() });

/** ReCharge charges and orders: what was billed (see mapping/recharge/billed-properties.ts). */
const billedProperties = z.looseObject({ total: money, currency, products: z.array(pricedProduct) });

const rechargeCustomerProperties = z.looseObject({ recharge_customer_id: text, email: z.string().optional() });

/** Each event's properties, for every event in event-names.ts (the type makes a missing one a compile error). */
export const specEventProperties = {
  orderCompleted: orderProperties,
  posOrderPlaced: orderProperties,
  orderPaid: orderProperties,
  orderCancelled: orderProperties.extend({ cancel_reason: z.string().optional() }),
  orderFulfilled: orderProperties,
  orderPartiallyFulfilled: orderProperties,
  orderRefunded: refundProperties,
  paymentFailure: orderProperties.extend({ transaction_amount: money.optional(), transaction_currency: currency.optional() }),
  customerCreated: customerProperties,
  customerUpdated: customerProperties,
  customerEnabled: customerProperties,
  fulfillmentCreated: fulfillmentProperties,
  fulfillmentUpdated: fulfillmentProperties,
  checkoutStarted,
  couponApplied,
  checkoutStepViewed: checkoutStep,
  checkoutStepCompleted: checkoutStep,
  paymentInfoEntered: checkoutStep,
  productCreated: productProperties,
  productUpdated: productProperties,
  productDeleted: z.looseObject({ product_id: text }),
  inventoryUpdated: z.looseObject({ inventory_item_id: text, location_id: text, available: z.number().int('must be a whole number').optional() }),
  orderUpdated: orderProperties.extend({ changed_fields: z.array(z.string()).min(1, 'must name what changed') }),
  productAdded: cartProperties,
  productRemoved: cartProperties,
  checkoutAbandoned,
  postPurchaseUpsell,
  subscriptionCreated: subscriptionProperties,
  subscriptionUpdated: subscriptionProperties,
  subscriptionCancelled: subscriptionProperties,
  orderProcessed: billedProperties.extend({ recharge_order_id: text }),
  chargeFailed: billedProperties.extend({ charge_id: text }),
  chargeMaxTriesReached: billedProperties.extend({ charge_id: text }),
  paymentMethodUpdated: rechargeCustomerProperties,
  rechargeCustomerUpdated: rechargeCustomerProperties,
} as const satisfies Record<SpecEventKey, z.ZodType>;

/**
 * Event name → its properties schema. Two sources may send one name (Shopify's and ReCharge's Customer Updated):
 * then a message passes when it fits either.
 */
export const specPropertiesByEvent: ReadonlyMap<string, z.ZodType> = (() => {
  const byName = new Map<string, z.ZodType>();
  for (const [key, schema] of Object.entries(specEventProperties)) {
    const name = specEvents[key as SpecEventKey].name;
    const other = byName.get(name);
    byName.set(name, other === undefined ? schema : z.union([other, schema]));
  }
  return byName;
})();

/**
 * Properties any event may carry, checked wherever they appear (browser events included, whose names we do not
 * choose): a currency is ISO 4217 and products are Segment products.
 */
export const commonProperties = z.looseObject({
  currency: currency.optional(),
  products: z.array(product).optional(),
});

/** Fields of every call: a deterministic messageId, the time of the fact, and someone it is about. */
const callFields = {
  messageId: z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  timestamp: isoTime,
  userId: text.optional(),
  anonymousId: text.optional(),
  context: bag.optional(),
  integrations: bag.optional(),
};

const someone = (call: { userId?: string | undefined; anonymousId?: string | undefined }) => call.userId !== undefined || call.anonymousId !== undefined;
const someoneRule = { message: 'needs a userId or an anonymousId', path: ['userId'] };

/** The call shapes, by type. */
export const specCalls = {
  track: z.looseObject({ ...callFields, type: z.literal('track'), event: text, properties: bag.optional() }).refine(someone, someoneRule),
  identify: z.looseObject({ ...callFields, type: z.literal('identify'), traits: z.looseObject({ email: z.string().optional() }).optional() }).refine(someone, someoneRule),
  alias: z.looseObject({ ...callFields, type: z.literal('alias'), previousId: text, userId: text }),
  page: z.looseObject({ ...callFields, type: z.literal('page'), properties: bag.optional() }).refine(someone, someoneRule),
} as const;
