// @ts-check
/**
 * What the storefront knows about where a shopper came from, and the cart attributes that carry it to the server:
 * Shopify copies cart attributes into the order's `note_attributes`, so the order webhook arrives with the browser's
 * anonymousId and ad-click ids even though the server never saw the browser. Pure functions over strings; no DOM.
 */

/** Landing-page URL parameters worth keeping for the whole visit. */
export const attributionParams = Object.freeze(['ttclid', 'fbclid', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content']);

/** The cookie where the storefront keeps its anonymousId (first-party, so it survives across pages and visits). */
export const anonymousIdCookie = '_cartstream_aid';

/** @typedef {Record<string, string>} Attribution */

/**
 * `document.cookie` as a name → value record (values URI-decoded; a malformed one kept as it is).
 * @param {string} cookieString
 * @returns {Record<string, string>}
 */
export function parseCookies(cookieString) {
  /** @type {Record<string, string>} */
  const cookies = {};
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      cookies[name] = raw;
    }
  }
  return cookies;
}

/**
 * The attribution parameters present in a URL.
 * @param {string} url
 * @returns {Attribution}
 */
export function landingAttribution(url) {
  const params = new URL(url, 'https://storefront.invalid').searchParams;
  return Object.fromEntries(attributionParams.flatMap((name) => {
    const value = params.get(name)?.trim();
    return value ? [[name, value]] : [];
  }));
}

/**
 * What the visit is attributed to: a landing page that carries parameters starts a new attribution (a new ad
 * click replaces the last one, as the ad platforms count it); a page without any keeps the stored one.
 * @param {Attribution} stored
 * @param {Attribution} landing
 * @returns {Attribution}
 */
export function currentAttribution(stored, landing) {
  return Object.keys(landing).length > 0 ? landing : stored;
}

/**
 * The anonymousId to use: the one this storefront already gave the browser; else Shopify's own visitor id
 * (`_shopify_y`, the web pixel's `clientId`), so the theme and the pixel name the same visitor; else an id
 * analytics.js already set; else a new one.
 * @param {Record<string, string>} cookies
 * @param {() => string} newId
 */
export function chooseAnonymousId(cookies, newId) {
  const fromAnalyticsJs = cookies.ajs_anonymous_id?.replace(/^"|"$/g, '');
  return cookies[anonymousIdCookie] || cookies._shopify_y || fromAnalyticsJs || newId();
}

/**
 * Meta's `fbc` for a click id, in Meta's documented format `fb.1.<ms>.<fbclid>`, when Meta's pixel has not set one.
 * @param {string | undefined} fbcCookie
 * @param {string | undefined} fbclid
 * @param {number} nowMs
 */
function fbcValue(fbcCookie, fbclid, nowMs) {
  if (fbcCookie) return fbcCookie;
  return fbclid ? `fb.1.${nowMs}.${fbclid}` : undefined;
}

/**
 * The cart attributes the storefront wants the cart to carry; absent values are left out (never written empty).
 * @param {{ anonymousId: string, cookies: Record<string, string>, attribution: Attribution, nowMs: number }} input
 * @returns {Record<string, string>}
 */
export function wantedCartAttributes({ anonymousId, cookies, attribution, nowMs }) {
  /** @type {Record<string, string | undefined>} */
  const wanted = {
    _cartstream_anonymous_id: anonymousId,
    _cartstream_ttp: cookies._ttp,
    _cartstream_ttclid: attribution.ttclid,
    _cartstream_fbp: cookies._fbp,
    _cartstream_fbc: fbcValue(cookies._fbc, attribution.fbclid, nowMs),
    _cartstream_ga: cookies._ga,
    _cartstream_utm_source: attribution.utm_source,
    _cartstream_utm_medium: attribution.utm_medium,
    _cartstream_utm_campaign: attribution.utm_campaign,
    _cartstream_utm_term: attribution.utm_term,
    _cartstream_utm_content: attribution.utm_content,
  };
  return /** @type {Record<string, string>} */ (Object.fromEntries(Object.entries(wanted).filter(([, value]) => value)));
}

/** The click id of an `fbc` value (`fb.1.<ms>.<fbclid>`); its timestamp part says nothing new. */
function fbcClickId(/** @type {unknown} */ fbc) {
  return String(fbc).split('.').slice(3).join('.');
}

/**
 * The attributes to write: only those whose value differs from what the cart already has. Empty when nothing
 * changed, so a page view does not cost a cart update. An `fbc` for the same click is not rewritten, although the
 * derived one gets a new timestamp on every page.
 * @param {Record<string, unknown>} current the cart's attributes (`/cart.js`)
 * @param {Record<string, string>} wanted
 * @returns {Record<string, string>}
 */
export function changedCartAttributes(current, wanted) {
  return Object.fromEntries(Object.entries(wanted).filter(([name, value]) => {
    if (name === '_cartstream_fbc' && typeof current[name] === 'string') return fbcClickId(current[name]) !== fbcClickId(value);
    return current[name] !== value;
  }));
}
