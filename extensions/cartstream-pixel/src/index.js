// @ts-check
/**
 * cartstream's web pixel (strict sandbox): every mapped Shopify standard event becomes one Segment call sent to
 * cartstream's collector. Nothing is sent while the shopper withholds analytics consent; without marketing consent
 * the call says so, and the server then leaves TikTok out.
 */
import { register } from '@shopify/web-pixels-extension';
import { mapStandardEvent, pixelEvents } from './map-events.js';

/** @param {unknown} value */
function commaList(value) {
  return String(value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

register(({ analytics, browser, init, settings, customerPrivacy }) => {
  let privacy = init.customerPrivacy;
  customerPrivacy.subscribe('visitorConsentCollected', (event) => {
    privacy = event.customerPrivacy;
  });
  const endpoint = `${String(settings.collectorUrl ?? '').replace(/\/+$/, '')}/v1/batch`;
  const disabledEvents = commaList(settings.disabledEvents);

  /** text/plain with the key in the body, as analytics.js's beacon sends: no CORS preflight from the sandbox. */
  const send = async (/** @type {object} */ call) => {
    const body = JSON.stringify({ writeKey: settings.sourceKey, sentAt: new Date().toISOString(), batch: [call] });
    try {
      await fetch(endpoint, { method: 'POST', keepalive: true, headers: { 'content-type': 'text/plain' }, body });
    } catch {
      // A network failure as the page unloads: the beacon is queued by the browser itself.
      await browser.sendBeacon(endpoint, body);
    }
  };
  const cookie = (/** @type {string} */ name) => browser.cookie.get(name).then((value) => value || undefined, () => undefined);

  for (const name of Object.keys(pixelEvents)) {
    analytics.subscribe(name, async (event) => {
      const consent = privacy; // the choice in force when the event happened
      if (!consent.analyticsProcessingAllowed) return;
      const [cartToken, ttp, ttclid] = await Promise.all([cookie('cart'), cookie('_ttp'), cookie('_cartstream_ttclid')]);
      const call = mapStandardEvent(event, { privacy: consent, cartToken, ttp, ttclid, disabledEvents });
      if (call) await send(call);
    });
  }
});
