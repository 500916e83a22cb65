/**
 * The theme embed's TikTok browser pixel in Chromium (TikTok's events.js replaced by a recording fake): each event
 * it fires must carry the event_id of the server-side TikTok event for the same action, so TikTok merges the two.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sampleBody } from '../../src/mapping/samples-for-tests.ts';
import { signShopifyBody } from '../../src/shopify/webhook-hmac.ts';
import { waitForDrain } from '../e2e/e2e-harness.ts';
import { launchChromium, skipWithoutChromium } from './chromium.ts';
import { productPageBody, storefrontPage, type Consent } from './storefront-pages.ts';
import {
  confineToLoopback, e2eSecret, e2eShop, sinkEvent, startBackend, startStorefront, storefrontSourceKey, tiktokPixelCode, waitFor,
  type Backend, type Storefront, type TikTokPixelCall,
} from './storefront-harness.ts';

type PixelWindow = { __ttqCalls?: TikTokPixelCall[]; __ttqLoadedFor?: string; cartstream?: { anonymousId: string } };

const trailJacket = { handle: 'trail-jacket', product_id: '8123456789012', shopify_variant_id: '44012345678901', sku: 'TJ-NAVY-M', name: 'Trail Jacket', brand: 'Northwind', price: 129.5 };

describe.skipIf(skipWithoutChromium('the TikTok pixel tests'))('the TikTok browser pixel', () => {
  let storefront: Storefront;
  let backend: Backend;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    storefront = await startStorefront(() => backend.collectorUrl);
    backend = await startBackend(storefront.url);
    browser = await launchChromium();
    context = await browser.newContext();
    await confineToLoopback(context);
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.close();
    await storefront?.close();
  });

  function page(path: string, consent: Consent, extra: Record<string, unknown>, body = ''): string {
    storefront.page(path, storefrontPage({
      title: path, consent, body,
      layer: { shop: e2eShop, collectorUrl: backend.collectorUrl, sourceKey: storefrontSourceKey, currency: 'GBP', tiktok: { enabled: true, pixelCode: tiktokPixelCode }, ...extra },
    }));
    return `${storefront.url}${path}`;
  }

  /** The first `ttq.track(event, …)` the page made, once it has made one. */
  async function pixelCall(tab: Page, event: string): Promise<TikTokPixelCall> {
    await tab.waitForFunction((name) => ((window as unknown as PixelWindow).__ttqCalls ?? []).some((c) => c[0] === 'track' && c[1] === name), event);
    const calls = await tab.evaluate(() => (window as unknown as PixelWindow).__ttqCalls ?? []);
    return calls.find((c) => c[0] === 'track' && c[1] === event)!;
  }

  async function serverEvent(event: string, eventId: string | undefined) {
    await waitFor(`${event} at the TikTok sink`, () => (backend.tiktok.received().some((e) => e.event === event && e.eventId === eventId) ? null : `TikTok received ${backend.tiktok.received().map((e) => `${e.event}:${e.eventId}`).join(', ') || 'nothing'}`), 10_000);
    return backend.tiktok.received().find((e) => e.event === event && e.eventId === eventId)!;
  }

  it('loads the pixel for the configured code and fires ViewContent and AddToCart with the server events\' event_id', async () => {
    const tab = await context.newPage();
    await tab.goto(page('/products/trail-jacket', { analytics: true, marketing: true }, { product: trailJacket }, productPageBody(trailJacket.shopify_variant_id)));
    const [, name, properties, options] = await pixelCall(tab, 'ViewContent');
    expect(await tab.evaluate(() => (window as unknown as PixelWindow).__ttqLoadedFor)).toBe(tiktokPixelCode);
    expect(name).toBe('ViewContent');
    expect(properties).toMatchObject({ contents: [{ content_id: 'TJ-NAVY-M', content_name: 'Trail Jacket', price: 129.5 }], currency: 'GBP', value: 129.5 });
    const viewed = await serverEvent('ViewContent', options?.event_id);
    expect(viewed.body.properties).toMatchObject({ contents: [{ content_id: 'TJ-NAVY-M' }] });

    await tab.click('#add');
    const [, , , addOptions] = await pixelCall(tab, 'AddToCart');
    expect(addOptions?.event_id).toMatch(/^cs-[0-9a-f]{32}$/);
    expect(addOptions?.event_id).not.toBe(options?.event_id);
    await serverEvent('AddToCart', addOptions?.event_id);
    await tab.close();
  });

  it('fires CompletePayment with the event_id of the server\'s purchase event for the order', async () => {
    const order: Record<string, unknown> = { ...sampleBody('orders_create.json'), source_name: 'web', cart_token: 'c1-tiktok-browser', note_attributes: [] };
    const orderId = String(order.admin_graphql_api_id).split('/').pop()!;
    const tab = await context.newPage();
    await tab.goto(page('/thank-you', { analytics: true, marketing: true }, { order: { id: `gid://shopify/Order/${orderId}`, total: 59.97, products: [{ sku: 'TJ-NAVY-M', quantity: 1, price: 59.97 }] } }));
    const [, , properties, options] = await pixelCall(tab, 'CompletePayment');
    expect(properties).toMatchObject({ order_id: orderId, value: 59.97, currency: 'GBP' });

    const body = Buffer.from(JSON.stringify(order));
    const webhook = await fetch(`${backend.collectorUrl}/webhooks/shopify`, {
      method: 'POST', body,
      headers: {
        'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': e2eShop,
        'x-shopify-webhook-id': 'tiktok-browser-order-1', 'x-shopify-hmac-sha256': signShopifyBody(body, e2eSecret),
      },
    });
    expect(webhook.status).toBe(200);
    const purchase = await serverEvent('CompletePayment', options?.event_id);
    expect((purchase.body.properties as { order_id: string }).order_id).toBe(orderId);
    await tab.close();
  });

  it('loads no TikTok pixel without marketing consent, and the server leaves the event out of TikTok too', async () => {
    const tab = await context.newPage();
    const tiktokRequests: string[] = [];
    tab.on('request', (request) => { if (request.url().includes('analytics.tiktok.com')) tiktokRequests.push(request.url()); });
    await tab.goto(page('/products/private-jacket', { analytics: true, marketing: false }, { product: { ...trailJacket, handle: 'private-jacket', sku: 'PJ-1' } }));
    await tab.waitForFunction(() => (window as unknown as PixelWindow).cartstream !== undefined);
    const anonymousId = await tab.evaluate(() => (window as unknown as PixelWindow).cartstream!.anonymousId);
    const viewed = await sinkEvent(backend.segment, 'the private Product Viewed', (e) => e.event.event === 'Product Viewed' && e.event.anonymousId === anonymousId && (e.event.properties as { sku?: string }).sku === 'PJ-1');
    expect(viewed.event.context).toMatchObject({ consent: { marketing: false } });
    await waitForDrain(backend.cartstream.store, 10_000);
    expect(backend.tiktok.received().map((e) => e.eventId)).not.toContain(viewed.messageId);
    expect(tiktokRequests).toStrictEqual([]);
    expect(await tab.evaluate(() => (window as unknown as { ttq?: unknown }).ttq)).toBeUndefined();
    await tab.close();
  });
});
