// @ts-check
/**
 * Shopify standard customer events (as the web pixel receives them) → Segment spec calls for cartstream's collector.
 * Pure: everything read from cookies or consent is passed in. The anonymousId is Shopify's `clientId`, and the
 * messageId is derived from Shopify's event id, so a resent event is recognised as the same call.
 */

/**
 * @typedef {import('@shopify/web-pixels-extension').PixelEvents} PixelEvents
 * @typedef {import('@shopify/web-pixels-extension').ProductVariant} ProductVariant
 * @typedef {import('@shopify/web-pixels-extension').Checkout} Checkout
 * @typedef {import('@shopify/web-pixels-extension').CheckoutLineItem} CheckoutLineItem
 * @typedef {import('@shopify/web-pixels-extension').CartLine} CartLine
 * @typedef {import('@shopify/web-pixels-extension').Context} PixelContext
 * @typedef {keyof typeof pixelEvents} MappedEventName
 * @typedef {PixelEvents[MappedEventName]} MappedEvent
 * @typedef {Record<string, unknown>} Bag
 * @typedef {{ analyticsProcessingAllowed: boolean, marketingAllowed: boolean, saleOfDataAllowed?: boolean }} PixelPrivacy
 * @typedef {{
 *   type: 'track' | 'page', messageId: string, anonymousId: string, timestamp: string,
 *   event?: string, properties: Bag, context: Bag,
 * }} CollectorCall
 * @typedef {{
 *   privacy: PixelPrivacy,
 *   cartToken?: string | undefined,
 *   ttp?: string | undefined,
 *   ttclid?: string | undefined,
 *   disabledEvents?: readonly string[],
 * }} MapOptions
 */

/** Shopify standard event → the Segment call it becomes (`page` for a page call): the one table of this mapping. */
export const pixelEvents = Object.freeze({
  page_viewed: 'page',
  product_viewed: 'Product Viewed',
  collection_viewed: 'Product List Viewed',
  search_submitted: 'Products Searched',
  product_added_to_cart: 'Product Added',
  product_removed_from_cart: 'Product Removed',
  cart_viewed: 'Cart Viewed',
  checkout_started: 'Checkout Started',
  checkout_contact_info_submitted: 'Checkout Step Completed',
  // The address is half of the shipping step (step 2); choosing the delivery option completes it.
  checkout_address_info_submitted: 'Checkout Step Viewed',
  checkout_shipping_info_submitted: 'Checkout Step Completed',
  payment_info_submitted: 'Payment Info Entered',
  // The server's Order Completed (from the order webhook) stays the only Order Completed; this is the page view.
  checkout_completed: 'Thankyou Page Viewed',
});

/**
 * The checkout step of each step event, numbered as the server numbers them from checkouts/update (1 contact,
 * 2 shipping, 3 payment), so a step's browser and server events share a messageId and are counted once.
 */
export const checkoutSteps = Object.freeze({ checkout_contact_info_submitted: 1, checkout_address_info_submitted: 2, checkout_shipping_info_submitted: 2 });

export const pixelLibrary = Object.freeze({ name: 'cartstream-web-pixel', version: '0.1.0' });

/** @param {Bag} bag */
function defined(bag) {
  return Object.fromEntries(Object.entries(bag).filter(([, value]) => value !== undefined && value !== null && value !== ''));
}

/**
 * A Shopify id or token as webhooks carry it: without `gid://shopify/<Type>/` and without a `?key=…` suffix.
 * @param {string | null | undefined} id
 */
export function bareId(id) {
  if (id === null || id === undefined) return undefined;
  const bare = String(id).replace(/^gid:\/\/shopify\/[A-Za-z]+\//, '').split('?')[0] ?? '';
  return bare === '' ? undefined : bare;
}

/** @param {string | null | undefined} url @param {string | undefined} origin */
function absoluteUrl(url, origin) {
  if (!url) return undefined;
  try {
    return new URL(url.startsWith('//') ? `https:${url}` : url, origin).href;
  } catch {
    return url;
  }
}

/**
 * Segment product properties of a variant (Segment's ecommerce spec, plus Shopify's own ids).
 * @param {ProductVariant | null | undefined} variant
 * @param {string | undefined} origin
 */
export function productOf(variant, origin) {
  if (!variant) return {};
  const product = variant.product;
  return defined({
    product_id: bareId(product?.id),
    sku: variant.sku,
    name: product?.title ?? variant.title,
    variant: variant.title,
    brand: product?.vendor,
    category: product?.type,
    price: variant.price?.amount,
    url: absoluteUrl(product?.url, origin),
    image_url: absoluteUrl(variant.image?.src, origin),
    shopify_product_id: bareId(product?.id),
    shopify_variant_id: bareId(variant.id),
  });
}

/** @param {CheckoutLineItem} line @param {string | undefined} origin */
function checkoutLineProduct(line, origin) {
  return defined({ ...productOf(line.variant, origin), name: line.variant?.product?.title ?? line.title, quantity: line.quantity });
}

/** @param {CartLine} line @param {string | undefined} origin */
function cartLineProduct(line, origin) {
  return defined({ ...productOf(line.merchandise, origin), quantity: line.quantity });
}

/** @param {Checkout} checkout */
function couponsOf(checkout) {
  const codes = (checkout.discountApplications ?? []).filter((discount) => discount.type === 'DISCOUNT_CODE').map((discount) => discount.title);
  return codes.length > 0 ? codes.join(',') : undefined;
}

/**
 * The order-level properties of a checkout, as the spec names them.
 * @param {Checkout} checkout
 * @param {string | undefined} origin
 */
export function checkoutProperties(checkout, origin) {
  const transaction = checkout.transactions?.[0];
  return defined({
    checkout_id: checkout.token,
    order_id: bareId(checkout.order?.id),
    value: checkout.totalPrice?.amount,
    total: checkout.totalPrice?.amount,
    subtotal: checkout.subtotalPrice?.amount,
    revenue: checkout.subtotalPrice?.amount,
    shipping: checkout.shippingLine?.price?.amount,
    tax: checkout.totalTax?.amount,
    discount: checkout.discountsAmount?.amount,
    coupon: couponsOf(checkout),
    currency: checkout.currencyCode ?? checkout.totalPrice?.currencyCode,
    shipping_method: checkout.delivery?.selectedDeliveryOptions?.[0]?.title,
    payment_method: transaction?.paymentMethod?.name ?? transaction?.gateway,
    // The Shopify Market, which the server sends on to TikTok (market_handle / market_id).
    market_handle: checkout.localization?.market?.handle,
    market_id: bareId(checkout.localization?.market?.id),
    products: (checkout.lineItems ?? []).map((line) => checkoutLineProduct(line, origin)),
  });
}

/**
 * The call's properties for each standard event.
 * @param {MappedEvent} event
 * @param {MapOptions} options
 * @param {string | undefined} origin
 * @returns {Bag}
 */
function propertiesOf(event, options, origin) {
  switch (event.name) {
    case 'page_viewed': {
      const { location, referrer, title } = event.context.document;
      return defined({ url: location.href, path: location.pathname, search: location.search, referrer, title });
    }
    case 'product_viewed': {
      const variant = event.data.productVariant;
      return defined({ ...productOf(variant, origin), currency: variant.price?.currencyCode });
    }
    case 'collection_viewed': {
      const { collection } = event.data;
      const products = collection.productVariants.map((variant, index) => ({ ...productOf(variant, origin), position: index + 1 }));
      return defined({ list_id: bareId(collection.id), list_name: collection.title, products, currency: collection.productVariants[0]?.price?.currencyCode });
    }
    case 'search_submitted': {
      const { searchResult } = event.data;
      const products = searchResult.productVariants.map((variant, index) => ({ ...productOf(variant, origin), position: index + 1 }));
      return defined({ query: searchResult.query, products });
    }
    case 'product_added_to_cart':
    case 'product_removed_from_cart': {
      const line = event.data.cartLine;
      if (!line) return {};
      return defined({ ...cartLineProduct(line, origin), cart_id: options.cartToken, currency: line.merchandise.price?.currencyCode });
    }
    case 'cart_viewed': {
      const { cart } = event.data;
      if (!cart) return defined({ cart_id: options.cartToken });
      const products = cart.lines.map((line) => cartLineProduct(line, origin));
      return defined({ cart_id: bareId(cart.id) ?? options.cartToken, value: cart.cost?.totalAmount?.amount, currency: cart.cost?.totalAmount?.currencyCode, products });
    }
    case 'checkout_contact_info_submitted':
    case 'checkout_address_info_submitted':
    case 'checkout_shipping_info_submitted': {
      const { checkout } = event.data;
      return defined({ checkout_id: checkout.token, step: checkoutSteps[event.name], shipping_method: event.name === 'checkout_shipping_info_submitted' ? checkout.delivery?.selectedDeliveryOptions?.[0]?.title : undefined });
    }
    case 'checkout_started':
    case 'payment_info_submitted':
    case 'checkout_completed':
      return checkoutProperties(event.data.checkout, origin);
  }
}

/** @param {MappedEvent} event */
function checkoutTokenOf(event) {
  return 'data' in event && event.data && 'checkout' in event.data ? bareId(event.data.checkout.token) : undefined;
}

/** The `ttclid` parameter of the page URL, TikTok's click id. @param {PixelContext} context */
function ttclidOf(context) {
  const search = context?.document?.location?.search ?? '';
  return new URLSearchParams(search).get('ttclid') || undefined;
}

/**
 * The call's context: the page, the browser, the cart and checkout tokens (which link this browser to later
 * webhooks), TikTok's ids, and whether marketing use is allowed.
 * @param {MappedEvent} event
 * @param {MapOptions} options
 */
function contextOf(event, options) {
  const { document, navigator } = event.context;
  const marketing = options.privacy.marketingAllowed && options.privacy.saleOfDataAllowed !== false;
  return defined({
    library: { ...pixelLibrary },
    page: defined({ url: document.location.href, path: document.location.pathname, search: document.location.search, referrer: document.referrer, title: document.title }),
    userAgent: navigator.userAgent,
    locale: navigator.language,
    cart_token: options.cartToken,
    checkout_token: checkoutTokenOf(event),
    ttp: options.ttp,
    ttclid: ttclidOf(event.context) ?? options.ttclid,
    consent: { marketing },
  });
}

/**
 * The Segment call for a Shopify standard event, or null when nothing may or need be sent: an event this pixel
 * does not map, a disabled event, or a shopper who has not allowed analytics.
 * @param {{ name: string }} event a standard event as `analytics.subscribe` delivers it
 * @param {MapOptions} options
 * @returns {CollectorCall | null}
 */
export function mapStandardEvent(event, options) {
  if (!Object.hasOwn(pixelEvents, event.name) || !options.privacy.analyticsProcessingAllowed) return null;
  const mapped = /** @type {MappedEvent} */ (event);
  const segmentName = pixelEvents[mapped.name];
  if (options.disabledEvents?.includes(segmentName)) return null;
  const origin = mapped.context?.document?.location?.origin;
  return {
    type: segmentName === 'page' ? 'page' : 'track',
    ...(segmentName === 'page' ? {} : { event: segmentName }),
    messageId: `shopify-pixel-${mapped.id}`,
    anonymousId: mapped.clientId,
    timestamp: mapped.timestamp,
    properties: propertiesOf(mapped, options, origin),
    context: contextOf(mapped, options),
  };
}
