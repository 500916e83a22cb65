// @ts-check
/**
 * cartstream's browser core: Segment calls with their messageIds, the collector transport, and the TikTok pixel
 * events that must carry the same event_id as cartstream's server-side TikTok events. No DOM: the theme embed
 * (cartstream.js) uses it, and so can a headless storefront (`import { createTracker } from '…/cartstream-core.js'`).
 */

/**
 * @typedef {{ shop: string, kind: string, resource: string, version?: string }} MessageIdParts
 * @typedef {Record<string, unknown>} Bag
 * @typedef {{
 *   type: 'track' | 'page' | 'identify',
 *   messageId: string,
 *   anonymousId: string,
 *   userId?: string,
 *   timestamp: string,
 *   event?: string,
 *   name?: string,
 *   properties?: Bag,
 *   traits?: Bag,
 *   context: Bag,
 * }} SegmentCall
 * @typedef {(calls: SegmentCall[]) => Promise<void>} Transport
 * @typedef {{ track: (event: string, properties: Bag, options?: Bag) => void }} TikTokPixel
 * @typedef {{ analytics: boolean, marketing: boolean }} Consent
 */

/** @param {ArrayBuffer} buffer */
function hex(buffer) {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The server's deterministic messageId (src/pipeline/message-id.ts) computed in the browser: `cs-` + the first 32
 * hex digits of SHA-256 over the JSON array [shop, kind, resource, version ?? null]. The browser needs it to give
 * its TikTok pixel events the event_id the server's TikTok events will carry, so TikTok merges the pair.
 * @param {MessageIdParts} parts
 * @returns {Promise<string>}
 */
export async function messageIdFor(parts) {
  const text = JSON.stringify([parts.shop, parts.kind, parts.resource, parts.version ?? null]);
  return `cs-${hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))).slice(0, 32)}`;
}

/**
 * The messageId the server gives a call the browser sent to the collector (src/mapping/collector-events.ts
 * namespaces the browser's id by shop), which is also the server's TikTok event_id for it.
 * @param {string} shop
 * @param {string} browserMessageId
 */
export function serverMessageIdForBrowserCall(shop, browserMessageId) {
  return messageIdFor({ shop, kind: 'collector', resource: browserMessageId });
}

/** A Shopify id without its GID prefix: `gid://shopify/Order/123` → `123` (webhooks carry the bare id). */
export function bareShopifyId(/** @type {unknown} */ value) {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim().replace(/^gid:\/\/shopify\/[A-Za-z]+\//, '').split('?')[0] ?? '';
  return text === '' ? undefined : text;
}

/** A fresh messageId for a browser call: random, because each browser action is a new fact. */
export function newBrowserMessageId() {
  return `cs-web-${crypto.randomUUID()}`;
}

/**
 * One Segment call as the collector (and analytics.js) expect it.
 * @param {Omit<SegmentCall, 'messageId' | 'timestamp'> & { messageId?: string, timestamp?: string }} call
 * @returns {SegmentCall}
 */
export function segmentCall(call) {
  return {
    ...call,
    messageId: call.messageId ?? newBrowserMessageId(),
    timestamp: call.timestamp ?? new Date().toISOString(),
  };
}

/**
 * Sends calls to the collector's `/v1/batch` as analytics.js's beacon does: `text/plain` with the source key in the
 * body (no CORS preflight), `keepalive` so a call made as the shopper follows a link still leaves.
 * @param {{ collectorUrl: string, sourceKey: string, fetch?: typeof fetch }} options
 * @returns {Transport}
 */
export function collectorTransport({ collectorUrl, sourceKey, fetch: fetchImpl = globalThis.fetch.bind(globalThis) }) {
  const url = `${collectorUrl.replace(/\/+$/, '')}/v1/batch`;
  return async (calls) => {
    if (calls.length === 0) return;
    const body = JSON.stringify({ writeKey: sourceKey, sentAt: new Date().toISOString(), batch: calls });
    await fetchImpl(url, { method: 'POST', keepalive: true, headers: { 'content-type': 'text/plain' }, body });
  };
}

/** Segment spec event → TikTok standard event, for the events TikTok's pixel and Events API share. */
export const tiktokBrowserEvents = Object.freeze({
  'Product Viewed': 'ViewContent',
  'Product Added': 'AddToCart',
  'Checkout Started': 'InitiateCheckout',
  'Payment Info Entered': 'AddPaymentInfo',
  'Thankyou Page Viewed': 'CompletePayment',
});

/** @param {unknown} value */
function text(value) {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** @param {unknown} value */
function number(value) {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** @param {Bag} bag */
function defined(bag) {
  return Object.fromEntries(Object.entries(bag).filter(([, value]) => value !== undefined));
}

/** TikTok `contents[]` item of a Segment product: the SKU first, as the server does (event-properties.ts). */
function tiktokContent(/** @type {Bag} */ product) {
  return defined({
    content_id: text(product.sku) ?? text(product.product_id),
    content_name: text(product.name),
    content_category: text(product.category),
    price: number(product.price),
    quantity: number(product.quantity),
    brand: text(product.brand),
  });
}

/**
 * TikTok pixel properties for a Segment call's properties, the same values the server sends for it.
 * @param {Bag} properties
 */
export function tiktokProperties(properties) {
  const products = Array.isArray(properties.products) ? properties.products : [properties];
  const contents = products
    .filter((p) => typeof p === 'object' && p !== null)
    .map((p) => tiktokContent(/** @type {Bag} */ (p)))
    .filter((content) => content.content_id !== undefined || content.content_name !== undefined);
  return defined({
    contents,
    content_type: 'product',
    currency: text(properties.currency),
    value: number(properties.revenue) ?? number(properties.total) ?? number(properties.value) ?? number(properties.price),
    order_id: text(properties.order_id),
  });
}

/**
 * The TikTok pixel event for a browser call, with the event_id the server will use for the same action: for the
 * thank-you page, the server's Order Completed messageId (kind `order-completed`, resource the order id); for any
 * other event, the id the server gives this very call. Null when TikTok has no such event.
 * @param {SegmentCall} call
 * @param {string} shop
 * @returns {Promise<{ name: string, eventId: string, properties: Bag } | null>}
 */
export async function tiktokEventFor(call, shop) {
  const name = call.type === 'track' && call.event ? tiktokBrowserEvents[/** @type {keyof typeof tiktokBrowserEvents} */ (call.event)] : undefined;
  if (name === undefined) return null;
  const properties = call.properties ?? {};
  if (name === 'CompletePayment') {
    const orderId = bareShopifyId(properties.order_id);
    if (orderId === undefined) return null;
    return { name, eventId: await messageIdFor({ shop, kind: 'order-completed', resource: orderId }), properties: tiktokProperties(properties) };
  }
  // Checkout Started and Payment Info Entered carry the server's id for the checkout (see collector-events.ts).
  const checkoutKind = checkoutFactKinds[/** @type {keyof typeof checkoutFactKinds} */ (call.event ?? '')];
  const checkoutToken = bareShopifyId(properties.checkout_id ?? properties.checkout_token);
  if (checkoutKind !== undefined && checkoutToken !== undefined) {
    return { name, eventId: await messageIdFor({ shop, kind: checkoutKind, resource: checkoutToken }), properties: tiktokProperties(properties) };
  }
  return { name, eventId: await serverMessageIdForBrowserCall(shop, call.messageId), properties: tiktokProperties(properties) };
}

/** The browser events the checkout webhooks also report, with the server's id kind (src/mapping/event-names.ts). */
const checkoutFactKinds = Object.freeze({ 'Checkout Started': 'checkout-started', 'Payment Info Entered': 'payment-info-entered' });

/**
 * @typedef {{
 *   shop: string,
 *   anonymousId: () => string,
 *   userId?: () => string | undefined,
 *   consent: () => Consent,
 *   transport: Transport,
 *   tiktok?: () => TikTokPixel | undefined,
 *   disabledEvents?: readonly string[],
 *   context?: () => Bag,
 *   onError?: (error: unknown) => void,
 * }} TrackerOptions
 */

/**
 * The one way the storefront sends events: each call goes to the transport (the collector, or analytics.js) and,
 * when TikTok's pixel is on and marketing consent given, to TikTok with the server's event_id. Nothing at all is
 * sent without analytics consent; without marketing consent the call says so (`context.consent.marketing`), and the
 * server then leaves TikTok out.
 * @param {TrackerOptions} options
 */
export function createTracker(options) {
  const disabled = new Set(options.disabledEvents ?? []);
  const onError = options.onError ?? (() => {});
  /** @param {Omit<SegmentCall, 'messageId' | 'timestamp' | 'anonymousId' | 'context'> & { context?: Bag }} partial */
  async function send(partial) {
    const consent = options.consent();
    if (!consent.analytics) return null;
    if (partial.type === 'track' && partial.event && disabled.has(partial.event)) return null;
    const userId = options.userId?.();
    const context = { ...options.context?.(), ...partial.context, ...(consent.marketing ? {} : { consent: { marketing: false } }) };
    const call = segmentCall({ ...partial, anonymousId: options.anonymousId(), ...(userId ? { userId } : {}), context });
    const sent = options.transport([call]).catch(onError);
    const pixel = consent.marketing ? options.tiktok?.() : undefined;
    if (pixel) {
      const tiktok = await tiktokEventFor(call, options.shop);
      if (tiktok) pixel.track(tiktok.name, tiktok.properties, { event_id: tiktok.eventId });
    }
    await sent;
    return call;
  }
  return {
    /** @param {string} event @param {Bag} [properties] @param {Bag} [context] */
    track: (event, properties = {}, context = {}) => send({ type: 'track', event, properties, context }),
    /** @param {Bag} traits */
    identify: (traits) => send({ type: 'identify', traits }),
  };
}
