// @ts-check
/// <reference lib="dom" />
/**
 * The theme app embed's script. Reads `window.cartstreamLayer` (written by blocks/cartstream-embed.liquid, editable
 * by the merchant), waits for the shopper's analytics consent, then: keeps a first-party anonymousId, writes it and
 * the ad-click ids into cart attributes (only when they change), sends product list views, clicks, image clicks
 * and shares to the collector (or through analytics.js in device mode), and, when the TikTok pixel is on, fires
 * TikTok's browser events with the event_id the server's TikTok events will carry.
 */
import { changedCartAttributes, chooseAnonymousId, currentAttribution, landingAttribution, parseCookies, wantedCartAttributes, anonymousIdCookie } from './cartstream-attribution.js';
import { bareShopifyId, collectorTransport, createTracker } from './cartstream-core.js';
import { listProperties, watchListViews, watchProductClicks } from './cartstream-products.js';
import { loadAnalyticsJs, loadTikTokPixel } from './cartstream-vendors.js';

/** @typedef {Record<string, unknown>} Bag */
/** @typedef {import('./cartstream-core.js').Consent} Consent */
/**
 * @typedef {{
 *   shop: string, collectorUrl: string, sourceKey: string, userId?: string,
 *   loadAnalyticsJs: boolean, CDNForAnalyticsJS: string, cookiesToTrack: string[], disabledEvents: string[],
 *   tiktok: { enabled: boolean, pixelCode: string }, currency?: string,
 *   product?: Bag, list?: { id?: string, name?: string }, products: Record<string, Bag>, order?: Bag,
 *   consent?: Consent,
 * }} Layer
 * @typedef {Window & { cartstreamLayer?: Partial<Layer> & Bag, cartstream?: unknown, Shopify?: any }} EmbedWindow
 */

const w = /** @type {EmbedWindow} */ (window);
const attributionKey = 'cartstream:attribution';
const identifiedKey = 'cartstream:identified';
const yearSeconds = 365 * 24 * 3600;

/** @param {unknown} value */
function list(value) {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

/**
 * The layer with its defaults; lists may be given as arrays or comma-separated text (as the theme editor stores them).
 * @param {Partial<Layer> & Bag} layer
 * @returns {Layer}
 */
export function settingsFromLayer(layer) {
  const tiktok = /** @type {Bag} */ (layer.tiktok ?? {});
  return {
    ...layer,
    shop: String(layer.shop ?? ''),
    collectorUrl: String(layer.collectorUrl ?? ''),
    sourceKey: String(layer.sourceKey ?? ''),
    userId: layer.userId ? String(layer.userId) : undefined,
    loadAnalyticsJs: layer.loadAnalyticsJs === true,
    CDNForAnalyticsJS: String(layer.CDNForAnalyticsJS || 'https://cdn.segment.com'),
    cookiesToTrack: list(layer.cookiesToTrack),
    disabledEvents: list(layer.disabledEvents),
    tiktok: { enabled: tiktok.enabled === true && Boolean(tiktok.pixelCode), pixelCode: String(tiktok.pixelCode ?? '') },
    products: /** @type {Record<string, Bag>} */ (layer.products ?? {}),
  };
}

/** The shopper's choices from Shopify's Customer Privacy API; undefined where the page has no such API. */
function shopifyConsent() {
  const privacy = w.Shopify?.customerPrivacy;
  if (!privacy?.analyticsProcessingAllowed) return undefined;
  // Sending to TikTok's ads is a "sale or sharing" of data where the shopper can opt out of that (CCPA).
  return { analytics: Boolean(privacy.analyticsProcessingAllowed()), marketing: Boolean(privacy.marketingAllowed()) && privacy.saleOfDataAllowed?.() !== false };
}

/** Loads Shopify's Customer Privacy API when the theme has not, as Shopify documents for app embeds. */
function loadConsentApi() {
  if (w.Shopify?.customerPrivacy || !w.Shopify?.loadFeatures) return Promise.resolve();
  return new Promise((resolve) => w.Shopify.loadFeatures([{ name: 'consent-tracking-api', version: '0.1' }], resolve));
}

/** @param {string} name @param {string} value @param {number} maxAgeSeconds */
function setCookie(name, value, maxAgeSeconds) {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=${maxAgeSeconds}; SameSite=Lax${secure}`;
}

/** @param {string} key */
function readStored(key) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

/** @param {string} key @param {unknown} value */
function store(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or blocked: attribution then lasts for this page only.
  }
}

const cartRoot = () => String(w.Shopify?.routes?.root ?? '/');

/** Writes the attributes that changed into the cart through Shopify's cart AJAX API. */
async function syncCartAttributes(/** @type {Record<string, string>} */ wanted) {
  const cart = await (await fetch(`${cartRoot()}cart.js`, { headers: { accept: 'application/json' } })).json();
  const changed = changedCartAttributes(cart?.attributes ?? {}, wanted);
  if (Object.keys(changed).length === 0) return;
  await fetch(`${cartRoot()}cart/update.js`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ attributes: changed }) });
}

/** The visit's attribution, kept across pages; ttclid also as a cookie, which the web pixel can read. */
function visitAttribution() {
  const attribution = currentAttribution(readStored(attributionKey) ?? {}, landingAttribution(location.href));
  store(attributionKey, attribution);
  if (attribution.ttclid) setCookie('_cartstream_ttclid', attribution.ttclid, 30 * 24 * 3600);
  return attribution;
}

/** An Identify when the userId or a tracked cookie changed since the last one this browser sent. */
function identifyIfChanged(/** @type {Layer} */ settings, /** @type {ReturnType<typeof createTracker>} */ tracker) {
  const cookies = parseCookies(document.cookie);
  const traits = Object.fromEntries(settings.cookiesToTrack.flatMap((name) => (cookies[name] ? [[name, cookies[name]]] : [])));
  const fingerprint = JSON.stringify({ userId: settings.userId ?? null, traits });
  if (Object.keys(traits).length === 0 && !settings.userId) return;
  if (readStored(identifiedKey) === fingerprint) return;
  store(identifiedKey, fingerprint);
  void tracker.identify(traits);
}

/** Segment product properties of the items `/cart/add.js` answered with (prices there are in minor units). */
function addedProducts(/** @type {any} */ body, /** @type {string | undefined} */ currency) {
  const items = Array.isArray(body?.items) ? body.items : body && typeof body === 'object' ? [body] : [];
  return items.map((/** @type {any} */ item) => ({
    product_id: bareShopifyId(item.product_id), sku: item.sku || undefined, name: item.product_title ?? item.title,
    variant: item.variant_title || undefined, brand: item.vendor || undefined, category: item.product_type || undefined,
    price: typeof item.price === 'number' ? item.price / 100 : undefined, quantity: item.quantity, currency,
    shopify_variant_id: bareShopifyId(item.variant_id ?? item.id),
  }));
}

/** Reports each successful `/cart/add` made with fetch (AJAX carts) through `onAdded`. */
function watchCartAdds(/** @type {(products: Bag[]) => void} */ onAdded, /** @type {string | undefined} */ currency) {
  const original = w.fetch.bind(w);
  w.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (response.ok && /\/cart\/add(\.js)?(\?|$)/.test(new URL(url, location.href).pathname)) {
      response.clone().json().then((body) => onAdded(addedProducts(body, currency)), () => {});
    }
    return response;
  };
}

/** The page's own events: the thank-you page and, when TikTok is on, product views and adds to cart. */
function trackPageEvents(/** @type {Layer} */ settings, /** @type {ReturnType<typeof createTracker>} */ tracker) {
  const cartToken = () => parseCookies(document.cookie).cart;
  if (settings.tiktok.enabled && settings.product) {
    const { handle: _handle, ...product } = settings.product;
    void tracker.track('Product Viewed', { ...product, currency: settings.currency });
  }
  if (settings.tiktok.enabled) {
    watchCartAdds((products) => {
      for (const product of products) void tracker.track('Product Added', { ...product, cart_id: cartToken() }, { cart_token: cartToken() });
    }, settings.currency);
  }
  if (settings.order?.id) void tracker.track('Thankyou Page Viewed', { ...settings.order, order_id: bareShopifyId(settings.order.id), currency: settings.currency });
}

/**
 * Starts the embed once analytics consent is given (now, or later through Shopify's `visitorConsentCollected`).
 * @param {Layer} settings
 */
export async function startEmbed(settings) {
  await loadConsentApi();
  /** @type {Consent} */
  let consent = settings.consent ?? shopifyConsent() ?? { analytics: true, marketing: true };
  let started = false;
  const start = () => {
    if (started || !consent.analytics) return;
    started = true;
    run(settings, () => consent);
  };
  document.addEventListener('visitorConsentCollected', () => {
    consent = shopifyConsent() ?? consent;
    start();
  });
  start();
}

/** The context of every call: the page, and TikTok's click id and cookie, which the server passes on to TikTok. */
function pageContext(/** @type {Record<string, string>} */ attribution) {
  const ttp = parseCookies(document.cookie)._ttp;
  return {
    page: { url: location.href, path: location.pathname, referrer: document.referrer, title: document.title },
    ...(attribution.ttclid ? { ttclid: attribution.ttclid } : {}),
    ...(ttp ? { ttp } : {}),
  };
}

/**
 * @param {Layer} settings
 * @param {() => Consent} consent
 */
function run(settings, consent) {
  const cookies = parseCookies(document.cookie);
  const anonymousId = chooseAnonymousId(cookies, () => crypto.randomUUID());
  setCookie(anonymousIdCookie, anonymousId, yearSeconds);
  const attribution = visitAttribution();
  const attributesSynced = syncCartAttributes(wantedCartAttributes({ anonymousId, cookies, attribution, nowMs: Date.now() })).catch(() => {});
  const transport = settings.loadAnalyticsJs
    ? loadAnalyticsJs({ cdn: settings.CDNForAnalyticsJS, writeKey: settings.sourceKey, collectorUrl: settings.collectorUrl, anonymousId })
    : collectorTransport({ collectorUrl: settings.collectorUrl, sourceKey: settings.sourceKey });
  const tiktok = settings.tiktok.enabled && consent().marketing ? loadTikTokPixel(settings.tiktok.pixelCode) : undefined;
  const tracker = createTracker({
    shop: settings.shop, anonymousId: () => anonymousId, userId: () => settings.userId, consent, transport,
    tiktok, disabledEvents: settings.disabledEvents,
    context: () => pageContext(attribution),
  });
  // For the theme's own scripts and headless pages: the same id, the same tracker, and when the cart has the attributes.
  w.cartstream = { anonymousId, track: tracker.track, identify: tracker.identify, attributesSynced };
  identifyIfChanged(settings, tracker);
  const on = (/** @type {string} */ event, /** @type {Bag} */ properties) => void tracker.track(event, { ...properties, currency: settings.currency });
  const current = settings.product;
  watchListViews({ known: settings.products, excludeHandle: /** @type {string | undefined} */ (current?.handle), onViewed: (products) => on('Product List Viewed', { ...listProperties(settings.list), products }) });
  watchProductClicks({ known: settings.products, current, list: settings.list, on });
  trackPageEvents(settings, tracker);
}

if (w.cartstreamLayer) void startEmbed(settingsFromLayer(w.cartstreamLayer));
