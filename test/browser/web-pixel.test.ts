/**
 * The web pixel's own code (extensions/cartstream-pixel/src/index.js, with the real `register` from
 * @shopify/web-pixels-extension) running in Chromium inside a Web Worker that emulates Shopify's strict sandbox:
 * standard events published to it must reach the local Segment sink through a real cartstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mapStandardEvent, type CollectorCall, type MapOptions, type PixelPrivacy } from '../../extensions/cartstream-pixel/src/map-events.js';
import type { SinkEvent } from '../../src/local-sink/segment-sink.ts';
import { mapCollectorEvent } from '../../src/mapping/collector-events.ts';
import { mappedMessages } from '../../src/mapping/samples-for-tests.ts';
import { messageIdFor } from '../../src/pipeline/message-id.ts';
import { waitForDrain } from '../e2e/e2e-harness.ts';
import { launchChromium, skipWithoutChromium } from './chromium.ts';
import {
  cartViewed, checkoutCompleted, checkoutStarted, collectionViewed, contactInfoSubmitted, pageViewed, productAddedToCart, productViewed,
  sampleCartToken, sampleClientId, searchSubmitted,
} from './shopify-pixel-events.ts';
import { confineToLoopback, e2eShop, sinkEvent, startBackend, startStorefront, storefrontSourceKey, type Backend, type Storefront } from './storefront-harness.ts';

const everything: PixelPrivacy = { analyticsProcessingAllowed: true, marketingAllowed: true, saleOfDataAllowed: true };
const cookies = { cart: sampleCartToken, _ttp: 'ttp-pixel-1' };

describe.skipIf(skipWithoutChromium('the web pixel sandbox tests'))('the web pixel in a Shopify-like sandbox', () => {
  let storefront: Storefront;
  let backend: Backend;
  let browser: Browser;
  let context: BrowserContext;
  const requests: string[] = [];
  const requestTypes = new Set<string>();

  beforeAll(async () => {
    storefront = await startStorefront(() => backend.collectorUrl);
    backend = await startBackend(storefront.url);
    browser = await launchChromium();
    context = await browser.newContext();
    await confineToLoopback(context);
    context.on('request', (request) => {
      if (new URL(request.url()).pathname !== '/v1/batch') return;
      requests.push(request.postData() ?? '');
      requestTypes.add(request.resourceType());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.close();
    await storefront?.close();
  });

  async function startPixel(privacy: PixelPrivacy, disabledEvents = ''): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${storefront.url}/pixel/harness.html`);
    await page.waitForFunction(() => (window as unknown as { pixelReady?: boolean }).pixelReady === true);
    const init = { customerPrivacy: { ...privacy, preferencesProcessingAllowed: false, saleOfDataAllowed: privacy.saleOfDataAllowed ?? true }, context: {}, data: {} };
    const settings = { collectorUrl: backend.collectorUrl, sourceKey: storefrontSourceKey, disabledEvents };
    await page.evaluate((options) => (window as unknown as { pixel: { start(o: unknown): Promise<void> } }).pixel.start(options), { init, settings, cookies });
    return page;
  }

  function publish(page: Page, event: { name: string }): Promise<void> {
    return page.evaluate((e) => (window as unknown as { pixel: { publish(n: string, e: unknown): void } }).pixel.publish(e.name, e), event);
  }

  /**
   * The sink event of a pixel event: the id the server gives the call the pixel sent (`shopify-pixel-<event id>`),
   * which for a checkout fact the webhooks also report is the server's own id for that checkout (collector-events.ts).
   */
  function arrived(event: { id: string }, what: string, call?: CollectorCall): Promise<SinkEvent> {
    const serverId = call === undefined
      ? messageIdFor({ shop: e2eShop, kind: 'collector', resource: `shopify-pixel-${event.id}` })
      : mappedMessages(mapCollectorEvent(call, { shop: e2eShop, topic: `collector/${call.type}`, webhookId: 'w', apiVersion: null, triggeredAt: null }))[0]!.messageId;
    return sinkEvent(backend.segment, what, (e) => e.messageId === serverId);
  }

  it('delivers every mapped standard event to Segment as the mapper made it, from the clientId', async () => {
    const page = await startPixel(everything);
    const events = [pageViewed(), productViewed(), collectionViewed(), searchSubmitted(), productAddedToCart(), cartViewed(), checkoutStarted(), contactInfoSubmitted(), checkoutCompleted()];
    for (const event of events) await publish(page, event);
    const options: MapOptions = { privacy: everything, cartToken: cookies.cart, ttp: cookies._ttp };
    for (const event of events) {
      const expected = mapStandardEvent(event, options)!;
      const received = (await arrived(event, event.name, expected)).event;
      expect(received).toMatchObject({ type: expected.type, anonymousId: sampleClientId, properties: expected.properties, timestamp: expected.timestamp });
      expect(received.event).toBe(expected.event);
      // The Segment destination names cartstream as the library that sent the call; the rest is the browser's.
      const { library: _library, ...context } = expected.context;
      expect(received.context).toMatchObject({ ...context, ip: '127.0.0.1' });
    }
    expect(await page.evaluate(() => (window as unknown as { __pixelErrors: string[] }).__pixelErrors)).toStrictEqual([]);
    // Sent with fetch (keepalive) from the worker itself, not through the sendBeacon fallback.
    expect([...requestTypes]).toStrictEqual(['fetch']);
    await page.close();
  });

  it('sends nothing while analytics consent is withheld, and starts once the shopper allows it', async () => {
    const page = await startPixel({ analyticsProcessingAllowed: false, marketingAllowed: false });
    const before = productViewed();
    const sentBefore = requests.length;
    await publish(page, before);
    await publish(page, checkoutCompleted());
    await page.evaluate((privacy) => (window as unknown as { pixel: { consent(p: unknown): void } }).pixel.consent(privacy), everything);
    const after = productViewed();
    await publish(page, after);
    await arrived(after, 'the event published after consent');
    const sent = requests.slice(sentBefore);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(after.id);
    expect(backend.segment.received().some((e) => JSON.stringify(e.event).includes(before.id))).toBe(false);
    await page.close();
  });

  it('marks calls without marketing consent so the server sends them to Segment but not to TikTok', async () => {
    const withheld = await startPixel({ analyticsProcessingAllowed: true, marketingAllowed: false, saleOfDataAllowed: true });
    const privateAdd = productAddedToCart();
    await publish(withheld, privateAdd);
    const allowed = await startPixel(everything);
    const openAdd = productAddedToCart();
    await publish(allowed, openAdd);
    const [privateCall, openCall] = [await arrived(privateAdd, 'the add without marketing consent'), await arrived(openAdd, 'the add with consent')];
    expect(privateCall.event.context).toMatchObject({ consent: { marketing: false } });
    await waitForDrain(backend.cartstream.store, 10_000);
    const tiktokIds = backend.tiktok.received().map((e) => e.eventId);
    expect(tiktokIds).toContain(openCall.messageId);
    expect(tiktokIds).not.toContain(privateCall.messageId);
    await withheld.close();
    await allowed.close();
  });

  it('leaves out the events the merchant disabled', async () => {
    const page = await startPixel(everything, 'Product Viewed, Cart Viewed');
    const viewed = productViewed();
    const sentBefore = requests.length;
    await publish(page, viewed);
    const searched = searchSubmitted();
    await publish(page, searched);
    await arrived(searched, 'Products Searched');
    expect(requests.slice(sentBefore).some((body) => body.includes(viewed.id))).toBe(false);
    await page.close();
  });
});
