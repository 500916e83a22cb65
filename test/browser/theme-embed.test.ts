/**
 * The theme app embed (extensions/cartstream-theme/assets/cartstream.js) on a test storefront in Chromium, with the
 * real analytics.js (from @segment/analytics-next, served by a stand-in for Segment's CDN) pointed at a running
 * cartstream: what it writes into the cart, and what reaches the local Segment sink.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, skipWithoutChromium } from './chromium.ts';
import { collectionGrid, collectionProducts, productPageBody, storefrontPage, type Consent } from './storefront-pages.ts';
import { confineToLoopback, e2eShop, sinkEvent, startBackend, startStorefront, storefrontSourceKey, watchRequests, type Backend, type Storefront } from './storefront-harness.ts';

type EmbedWindow = { cartstream?: { anonymousId: string; attributesSynced: Promise<void> }; __consent: Consent };

describe.skipIf(skipWithoutChromium('the theme embed tests'))('the theme app embed in Chromium', () => {
  let storefront: Storefront;
  let backend: Backend;
  let browser: Browser;
  let context: BrowserContext;
  let blocked: string[];

  const layer = (extra: Record<string, unknown> = {}) => ({
    shop: e2eShop, collectorUrl: backend.collectorUrl, sourceKey: storefrontSourceKey, currency: 'GBP',
    loadAnalyticsJs: true, CDNForAnalyticsJS: storefront.url, ...extra,
  });

  beforeAll(async () => {
    storefront = await startStorefront(() => backend.collectorUrl);
    backend = await startBackend(storefront.url);
    browser = await launchChromium();
    context = await browser.newContext();
    ({ blocked } = await confineToLoopback(context));
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.close();
    await storefront?.close();
  });

  async function started(page: Page): Promise<string> {
    await page.waitForFunction(() => (window as unknown as EmbedWindow).cartstream !== undefined);
    return page.evaluate(async () => {
      const embed = (window as unknown as EmbedWindow).cartstream!;
      await embed.attributesSynced;
      return embed.anonymousId;
    });
  }

  const productsOf = (event: { event: Record<string, unknown> }) => ((event.event.properties as { products?: { name: string; position: number }[] }).products ?? []);

  it('writes the anonymousId, ttclid and UTM values into the cart once, and sends list views and clicks through analytics.js', async () => {
    storefront.page('/collections/jackets', storefrontPage({
      title: 'Jackets', consent: { analytics: true, marketing: true }, body: collectionGrid(),
      layer: layer({ list: { id: '301234567890', name: 'Jackets' }, products: collectionProducts }),
    }));
    // Every page of the shop has the embed: a call analytics.js had not sent when the click left the page is kept
    // by analytics.js and sent from the next one.
    storefront.page('/products/jacket-12', storefrontPage({ title: 'Jacket 12', consent: { analytics: true, marketing: true }, body: '<h1>Jacket 12</h1>', layer: layer() }));
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', watchRequests(requests));
    await page.goto(`${storefront.url}/collections/jackets?ttclid=E.C.P.click-42&utm_source=tiktok&utm_medium=paid_social&utm_campaign=autumn`);
    const anonymousId = await started(page);

    expect(storefront.cartUpdates).toStrictEqual([{
      _cartstream_anonymous_id: anonymousId, _cartstream_ttclid: 'E.C.P.click-42', _cartstream_utm_source: 'tiktok',
      _cartstream_utm_medium: 'paid_social', _cartstream_utm_campaign: 'autumn',
    }]);
    const cookies = await context.cookies(storefront.url);
    expect(cookies.find((c) => c.name === '_cartstream_aid')?.value).toBe(anonymousId);

    const firstView = await sinkEvent(backend.segment, 'Product List Viewed', (e) => e.event.event === 'Product List Viewed' && e.event.anonymousId === anonymousId);
    expect(firstView.event.properties).toMatchObject({ list_id: '301234567890', list_name: 'Jackets', currency: 'GBP' });
    expect(productsOf(firstView)).toStrictEqual([
      { ...collectionProducts['jacket-1'], url: `${storefront.url}/products/jacket-1`, position: 1 },
      { ...collectionProducts['jacket-2'], url: `${storefront.url}/products/jacket-2`, position: 2 },
    ]);

    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const lastView = await sinkEvent(backend.segment, 'the list view after scrolling', (e) => e.event.event === 'Product List Viewed' && productsOf(e).some((p) => p.position === 12));
    expect(productsOf(lastView).map((p) => p.position)).toStrictEqual([11, 12]);

    await page.click('a[href="/products/jacket-12"]');
    const clicked = await sinkEvent(backend.segment, 'Product Clicked', (e) => e.event.event === 'Product Clicked' && e.event.anonymousId === anonymousId);
    expect(clicked.event.properties).toMatchObject({ ...collectionProducts['jacket-12'], position: 12, list_id: '301234567890', list_name: 'Jackets' });

    // analytics.js sent them (its /v1/t endpoint), not the embed's own beacon.
    expect(requests.filter((r) => r.includes('/v1/'))).toContain('POST /v1/t');
    expect(requests).not.toContain('POST /v1/batch');
    await page.close();
  });

  it('does not write the cart again when nothing changed, and keeps the same anonymousId across pages', async () => {
    const page = await context.newPage();
    await page.goto(`${storefront.url}/collections/jackets`);
    const before = storefront.cartUpdates.length;
    const anonymousId = await started(page);
    expect(storefront.cartUpdates.length).toBe(before);
    expect(anonymousId).toBe(storefront.cartAttributes._cartstream_anonymous_id);
    await page.close();
  });

  it('sends Product Image Clicked and Product Shared from a product page, straight to the collector', async () => {
    storefront.page('/products/trail-jacket', storefrontPage({
      title: 'Trail Jacket', consent: { analytics: true, marketing: true }, body: productPageBody('44012345678901'),
      layer: layer({ loadAnalyticsJs: false, product: { handle: 'trail-jacket', product_id: '8123456789012', name: 'Trail Jacket', sku: 'TJ-NAVY-M', price: 129.5 } }),
    }));
    const page = await context.newPage();
    await page.goto(`${storefront.url}/products/trail-jacket`);
    const anonymousId = await started(page);
    await page.click('#gallery');
    await page.click('#share');
    const image = await sinkEvent(backend.segment, 'Product Image Clicked', (e) => e.event.event === 'Product Image Clicked' && e.event.anonymousId === anonymousId);
    expect(image.event.properties).toMatchObject({ product_id: '8123456789012', name: 'Trail Jacket', image_url: expect.stringMatching(/^data:image\/gif/) });
    const shared = await sinkEvent(backend.segment, 'Product Shared', (e) => e.event.event === 'Product Shared' && e.event.anonymousId === anonymousId);
    expect(shared.event.properties).toMatchObject({ product_id: '8123456789012', share_via: 'facebook', share_url: `${storefront.url}/products/trail-jacket` });
    await page.close();
  });

  it('sends nothing and writes no cart attribute until the shopper allows analytics', async () => {
    storefront.page('/collections/private', storefrontPage({
      title: 'Private', consent: { analytics: false, marketing: false }, body: collectionGrid(),
      layer: layer({ loadAnalyticsJs: false, list: { id: 'private', name: 'Private' }, products: collectionProducts }),
    }));
    storefront.page('/products/jacket-3', '<title>Jacket 3</title>');
    const fresh = await browser.newContext();
    await confineToLoopback(fresh);
    const page = await fresh.newPage();
    const requests: string[] = [];
    page.on('request', watchRequests(requests));
    const updatesBefore = storefront.cartUpdates.length;
    await page.goto(`${storefront.url}/collections/private?ttclid=E.C.P.private`);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await page.evaluate(() => document.cookie)).not.toContain('_cartstream_aid');
    expect(await page.evaluate(() => (window as unknown as EmbedWindow).cartstream)).toBeUndefined();

    requests.push('consent given');
    await page.evaluate(() => {
      (window as unknown as EmbedWindow).__consent = { analytics: true, marketing: false };
      document.dispatchEvent(new CustomEvent('visitorConsentCollected', { detail: { analyticsAllowed: true, marketingAllowed: false } }));
    });
    const anonymousId = await started(page);
    await page.click('a[href="/products/jacket-3"]');
    const clicked = await sinkEvent(backend.segment, 'Product Clicked after consent', (e) => e.event.event === 'Product Clicked' && e.event.anonymousId === anonymousId);
    expect(clicked.event.context).toMatchObject({ consent: { marketing: false } });
    expect(requests[0]).toBe('consent given');
    expect(storefront.cartUpdates.slice(updatesBefore)).toHaveLength(1);
    await fresh.close();
  });

  it('never lets the browser reach beyond this machine', () => {
    expect(blocked).toStrictEqual([]);
  });
});
