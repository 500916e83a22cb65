// @ts-check
/// <reference lib="dom" />
/**
 * Loaders for the third-party browser libraries the embed can add: Segment's analytics.js (device mode, sending
 * to cartstream's collector) and TikTok's pixel. Each installs the library's documented queueing stub first, so
 * calls made before the script arrives are replayed by it, then adds the script tag.
 */

/** @typedef {import('./cartstream-core.js').SegmentCall} SegmentCall */
/** @typedef {import('./cartstream-core.js').Transport} Transport */
/** @typedef {Window & { analytics?: any, ttq?: any, TiktokAnalyticsObject?: string }} VendorWindow */

/**
 * The host and protocol analytics.js needs to send to the collector: its `apiHost` is `host[:port]/path` without a
 * scheme, and it appends `/t`, `/p`, `/i` to it.
 * @param {string} collectorUrl
 */
export function analyticsApiHost(collectorUrl) {
  const url = new URL(collectorUrl);
  return { apiHost: `${url.host}${url.pathname.replace(/\/+$/, '')}/v1`, protocol: url.protocol.replace(':', '') };
}

/** A queue that records calls as `[method, ...args]`, the shape analytics.js and TikTok's pixel replay. */
function deferringStub(/** @type {readonly string[]} */ methods) {
  /** @type {any} */
  const stub = [];
  for (const method of methods) {
    stub[method] = (/** @type {unknown[]} */ ...args) => {
      stub.push([method, ...args]);
      return stub;
    };
  }
  return stub;
}

/**
 * Loads analytics.js from `cdn` (Segment's CDN, or the merchant's proxy of it) with the source key as its write key
 * and the collector as its API host, and returns a transport that sends through it, keeping cartstream's
 * messageId, anonymousId and context, so device-mode destinations and the collector see the same calls.
 * @param {{ cdn: string, writeKey: string, collectorUrl: string, anonymousId: string }} options
 * @returns {Transport}
 */
export function loadAnalyticsJs({ cdn, writeKey, collectorUrl, anonymousId }) {
  const w = /** @type {VendorWindow} */ (window);
  const base = cdn.replace(/\/+$/, '');
  if (!w.analytics) {
    const stub = deferringStub(['track', 'page', 'identify', 'setAnonymousId', 'ready', 'reset']);
    stub._writeKey = writeKey;
    stub._cdn = base;
    stub._loadOptions = { integrations: { 'Segment.io': analyticsApiHost(collectorUrl) } };
    w.analytics = stub;
    const script = document.createElement('script');
    script.async = true;
    script.src = `${base}/analytics.js/v1/${encodeURIComponent(writeKey)}/analytics.min.js`;
    document.head.append(script);
  }
  w.analytics.setAnonymousId(anonymousId);
  return async (calls) => {
    for (const call of calls) {
      const options = { messageId: call.messageId, anonymousId: call.anonymousId, timestamp: new Date(call.timestamp), context: call.context, ...(call.userId ? { userId: call.userId } : {}) };
      if (call.type === 'identify') w.analytics.identify(call.userId, call.traits ?? {}, options);
      else if (call.type === 'page') w.analytics.page(call.name, call.properties ?? {}, options);
      else w.analytics.track(call.event, call.properties ?? {}, options);
    }
  };
}

/** The pixel methods TikTok's base code defers until events.js has loaded. */
const tiktokMethods = ['page', 'track', 'identify', 'instances', 'debug', 'on', 'off', 'once', 'ready', 'alias', 'group', 'enableCookie', 'disableCookie', 'holdConsent', 'revokeConsent', 'grantConsent'];

/** TikTok's pixel library; `sdkid` names the pixel. */
export const tiktokPixelScript = 'https://analytics.tiktok.com/i18n/pixel/events.js';

/**
 * Installs TikTok's pixel for `pixelCode` as TikTok's base code does (the `ttq` queue with its per-pixel `_i`,
 * `_t`, `_o` records, then events.js) and records the page view. Returns a getter, because events.js replaces
 * the queue's methods when it arrives.
 * @param {string} pixelCode
 */
export function loadTikTokPixel(pixelCode) {
  const w = /** @type {VendorWindow} */ (window);
  if (!w.ttq) {
    w.TiktokAnalyticsObject = 'ttq';
    const ttq = deferringStub(tiktokMethods);
    ttq.methods = tiktokMethods;
    ttq.instance = (/** @type {string} */ code) => ttq._i?.[code] ?? [];
    w.ttq = ttq;
  }
  const ttq = w.ttq;
  ttq._i = { ...ttq._i, [pixelCode]: Object.assign([], { _u: tiktokPixelScript }) };
  ttq._t = { ...ttq._t, [pixelCode]: Date.now() };
  ttq._o = { ...ttq._o, [pixelCode]: {} };
  const script = document.createElement('script');
  script.async = true;
  script.src = `${tiktokPixelScript}?sdkid=${encodeURIComponent(pixelCode)}&lib=ttq`;
  document.head.append(script);
  ttq.page();
  return () => w.ttq;
}
