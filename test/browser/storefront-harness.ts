/**
 * What the browser tests run against: a real cartstream (collector → pipeline → destinations) with local Segment
 * and TikTok sinks, and a small storefront server on loopback that serves the theme embed's assets, test pages,
 * Shopify's cart AJAX API (recording what the page writes), a stand-in for Segment's CDN serving the real
 * analytics.js from node_modules, and the web pixel's source for the sandbox harness.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Request } from 'playwright-core';
import { parseConfig } from '../../src/config/load-config.ts';
import { startSegmentSink, type SegmentSink, type SinkEvent } from '../../src/local-sink/segment-sink.ts';
import { startTikTokSink, type TikTokSink } from '../../src/local-sink/tiktok-sink.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startCartstream, type Cartstream } from '../../src/runtime.ts';
import { e2eSecret, e2eShop, e2eWriteKey, tempDir, waitFor } from '../e2e/e2e-harness.ts';

export const storefrontSourceKey = 'storefront-public-key-1';
export const tiktokAccessToken = 'tiktok-browser-token';
export const tiktokPixelCode = 'CBROWSERPIXEL01';
const root = new URL('../../', import.meta.url).pathname;
const themeAssets = join(root, 'extensions/cartstream-theme/assets');
const pixelSource = join(root, 'extensions/cartstream-pixel/src');
const sandboxFiles = join(root, 'test/browser/pixel-sandbox');
const analyticsUmd = join(root, 'node_modules/@segment/analytics-next/dist/umd');
const npmRoot = join(root, 'node_modules');

export interface Backend {
  cartstream: Cartstream;
  segment: SegmentSink;
  tiktok: TikTokSink;
  collectorUrl: string;
  close(): Promise<void>;
}

/** cartstream with its collector open to `storefrontOrigin`, delivering to local Segment and TikTok sinks. */
export async function startBackend(storefrontOrigin: string): Promise<Backend> {
  const tmp = tempDir('cartstream-browser-');
  const segment = await startSegmentSink({ writeKey: e2eWriteKey });
  const tiktok = await startTikTokSink({ accessToken: tiktokAccessToken, pixelCode: tiktokPixelCode });
  const config = parseConfig({
    port: 0, host: '127.0.0.1', db: join(tmp.path, 'cartstream.db'), logLevel: 'silent',
    shops: [{ domain: e2eShop, webhookSecrets: [e2eSecret] }],
    collector: { sourceKey: storefrontSourceKey, shop: e2eShop, allowedOrigins: [storefrontOrigin] },
    // These tests follow event ids, not stitching: an order is sent at once (the wait is tested in the e2e suite).
    pipeline: { identityWaitMs: 0 },
    destinations: { segment: { writeKey: e2eWriteKey, endpoint: segment.url }, tiktok: { accessToken: tiktokAccessToken, pixelCode: tiktokPixelCode, endpoint: tiktok.url } },
  }, 'the browser test');
  const cartstream = await startCartstream(config, { logger: createLogger('silent'), processing: 'inline', random: () => 0 });
  return {
    cartstream, segment, tiktok, collectorUrl: cartstream.url!,
    async close() {
      await cartstream.close();
      await segment.close();
      await tiktok.close();
      tmp.remove();
    },
  };
}

export interface Storefront {
  url: string;
  /** Serves `html` at `path` (a page of the test shop). */
  page(path: string, html: string): void;
  /** The attribute objects the page POSTed to /cart/update.js, in order. */
  cartUpdates: Record<string, string>[];
  /** The cart's attributes now. */
  cartAttributes: Record<string, string>;
  close(): Promise<void>;
}

const types: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.json': 'application/json' };

async function sendFile(res: ServerResponse, path: string, transform?: (text: string) => string): Promise<void> {
  const ext = /\.[a-z]+$/.exec(path)?.[0] ?? '';
  try {
    const body = await readFile(path, 'utf8');
    res.writeHead(200, { 'content-type': types[ext] ?? 'application/octet-stream' }).end(transform ? transform(body) : body);
  } catch {
    res.writeHead(404).end('not found');
  }
}

/** A path under `base`, or undefined when the request tries to leave it. */
function inside(base: string, relative: string): string | undefined {
  const path = normalize(join(base, decodeURIComponent(relative)));
  return path.startsWith(base) ? path : undefined;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The pixel's bare import, resolved the way Shopify's build would (the sandbox worker has no import map). */
const resolvePixelImports = (text: string) => text.replaceAll("'@shopify/web-pixels-extension'", "'/npm/@shopify/web-pixels-extension/index.mjs'");

/** An item as Shopify's `/cart/add.js` answers it (prices in minor units). */
function addedItem(request: { id?: number | string; quantity?: number }) {
  return {
    id: Number(request.id), variant_id: Number(request.id), product_id: 8123456789012, quantity: request.quantity ?? 1, sku: 'TJ-NAVY-M',
    title: 'Trail Jacket - Navy / M', product_title: 'Trail Jacket', variant_title: 'Navy / M', vendor: 'Northwind', product_type: 'Jackets', price: 12950,
  };
}

/** Segment's CDN settings for the source key: the Segment.io integration, which analytics.js needs to send. */
function cdnSettings(collectorUrl: string) {
  const url = new URL(collectorUrl);
  return { integrations: { 'Segment.io': { apiKey: storefrontSourceKey, apiHost: `${url.host}/v1`, protocol: 'http' } }, plan: {}, metrics: { sampleRate: 0 } };
}

export async function startStorefront(collectorUrl: () => string): Promise<Storefront> {
  const pages = new Map<string, string>();
  const state: Pick<Storefront, 'cartUpdates' | 'cartAttributes'> = { cartUpdates: [], cartAttributes: {} };
  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://storefront.local');
    const path = url.pathname;
    const json = (value: unknown): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (path === '/cart.js') return json({ token: 'c1-browser-cart', attributes: state.cartAttributes, items: [] });
    if (path === '/cart/update.js' && req.method === 'POST') {
      const { attributes } = JSON.parse(await bodyOf(req)) as { attributes: Record<string, string> };
      state.cartUpdates.push(attributes);
      state.cartAttributes = { ...state.cartAttributes, ...attributes };
      return json({ token: 'c1-browser-cart', attributes: state.cartAttributes });
    }
    if (path === '/cart/add.js' && req.method === 'POST') return json(addedItem(JSON.parse(await bodyOf(req)) as { id?: number }));
    if (path.startsWith('/assets/')) return sendFile(res, inside(themeAssets, path.slice('/assets/'.length)) ?? '/nonexistent');
    if (path.startsWith('/pixel/src/')) return sendFile(res, inside(pixelSource, path.slice('/pixel/src/'.length)) ?? '/nonexistent', resolvePixelImports);
    if (path.startsWith('/pixel/')) return sendFile(res, inside(sandboxFiles, path.slice('/pixel/'.length)) ?? '/nonexistent');
    if (path.startsWith('/npm/')) return sendFile(res, inside(npmRoot, path.slice('/npm/'.length)) ?? '/nonexistent');
    if (/^\/analytics\.js\/v1\/[^/]+\/analytics\.min\.js$/.test(path)) return sendFile(res, join(analyticsUmd, 'standalone.js'));
    if (path.startsWith('/analytics-next/bundles/')) return sendFile(res, inside(analyticsUmd, path.slice('/analytics-next/bundles/'.length)) ?? '/nonexistent');
    if (path === `/v1/projects/${storefrontSourceKey}/settings`) return json(cdnSettings(collectorUrl()));
    const page = pages.get(path);
    if (page !== undefined) return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    res.writeHead(404).end('not found');
  }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    page: (path: string, html: string) => void pages.set(path, html),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** A TikTok pixel call the fake events.js recorded: `[method, event, properties, options]`. */
export type TikTokPixelCall = [method: string, event: string, properties: Record<string, unknown>, options?: { event_id?: string }];

/**
 * A stand-in for TikTok's events.js: it replays the `ttq` queue the base code built and records every call, so a
 * test can read what the page sent to TikTok (`window.__ttqCalls`).
 */
const fakeTikTokEventsJs = `
  (function () {
    var ttq = window.ttq;
    window.__ttqLoadedFor = new URL(document.currentScript.src).searchParams.get('sdkid');
    window.__ttqCalls = [];
    var record = function (method) { return function () { window.__ttqCalls.push([method].concat([].slice.call(arguments))); }; };
    var queued = ttq.splice(0, ttq.length);
    ttq.methods.forEach(function (method) { ttq[method] = record(method); });
    queued.forEach(function (call) { ttq[call[0]].apply(ttq, call.slice(1)); });
  })();
`;

/**
 * Keeps the browser on this machine: TikTok's pixel script is answered with the fake above, and any other request
 * that would leave loopback is refused and listed in `blocked`.
 */
export async function confineToLoopback(context: BrowserContext): Promise<{ blocked: string[] }> {
  const blocked: string[] = [];
  await context.route((url) => url.hostname !== '127.0.0.1', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === 'analytics.tiktok.com' && url.pathname === '/i18n/pixel/events.js') {
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: fakeTikTokEventsJs });
    }
    blocked.push(url.href);
    return route.abort();
  });
  return { blocked };
}

/** Requests a page made to the collector or the cart update endpoint, in order (pushed as they start). */
export function watchRequests(requests: string[]) {
  return (request: Request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/v1/') || url.pathname === '/cart/update.js') requests.push(`${request.method()} ${url.pathname}`);
  };
}

/** Waits for a sink event matching `match`, naming what arrived instead when it times out. */
export async function sinkEvent(sink: SegmentSink, what: string, match: (event: SinkEvent) => boolean, timeoutMs = 10_000): Promise<SinkEvent> {
  await waitFor(what, () => (sink.received().some(match) ? null : `received: ${sink.received().map((e) => e.event.event ?? e.type).join(', ') || 'nothing'}`), timeoutMs);
  return sink.received().find(match)!;
}

export { e2eShop, e2eSecret, waitFor };
