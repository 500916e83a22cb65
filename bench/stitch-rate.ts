// Stitch rate: of the web orders that came from a storefront with cartstream's browser code, how many reach Segment
// carrying that browser's anonymousId. Simulated journeys through a real cartstream (SQLite, collector on, default
// identity wait) and a local Segment sink, in three shapes: the theme embed wrote the cart attribute; "Buy Now"
// skipped the cart page, so only the collector's link knows the cart; and the order webhook came before any pixel
// event (the thank-you page's event a moment later). Part of `npm run bench`; alone:
// node --disable-warning=ExperimentalWarning bench/stitch-rate.ts
import { join } from 'node:path';
import { parseConfig } from '../src/config/load-config.ts';
import { startSegmentSink } from '../src/local-sink/segment-sink.ts';
import { sampleResponseText } from '../src/mapping/samples-for-tests.ts';
import { createLogger } from '../src/observability/logger.ts';
import { startCartstream } from '../src/runtime.ts';
import { signShopifyBody } from '../src/shopify/webhook-hmac.ts';
import { createPrng } from '../src/simulator/prng.ts';

const shop = 'stitch-bench.myshopify.com';
const secret = 'stitch-bench-secret';
const writeKey = 'stitch-bench-write-key';
const sourceKey = 'stitch-bench-source-key';

export type JourneyShape = 'cart attribute' | 'buy now (link only)' | 'order before pixel';
export interface StitchBench {
  journeys: number;
  byShape: Record<JourneyShape, { orders: number; stitched: number }>;
  stitchRate: number;
  seconds: number;
}

/** Journey n's 18-digit order id, built as text (the number is past 2^53). */
function orderIdOf(n: number): string {
  return `8209829119462${String(n).padStart(5, '0')}`;
}

/** An orders/create body for journey n: its own order id, cart token and (for one shape) the cart attribute. */
function orderBody(n: number, cartToken: string, attribute: string | undefined): string {
  const id = orderIdOf(n);
  const notes = attribute === undefined ? '[]' : `[{"name":"_cartstream_anonymous_id","value":"${attribute}"}]`;
  return sampleResponseText('orders_create.json')
    .replaceAll(/82098291194615450\d/g, id)
    .replace('"cart_token": null', `"cart_token": "${cartToken}"`)
    .replace(/"note_attributes": \[[^\]]*\]/, `"note_attributes": ${notes}`);
}

export async function benchStitchRate(dir: string, journeys: number): Promise<StitchBench> {
  const sink = await startSegmentSink({ writeKey });
  const config = parseConfig({
    port: 0, host: '127.0.0.1', db: join(dir, 'stitch.db'), logLevel: 'silent',
    shops: [{ domain: shop, webhookSecrets: [secret] }],
    collector: { sourceKey, shop },
    destinations: { segment: { writeKey, endpoint: sink.url } },
  }, 'the stitch-rate bench');
  const cartstream = await startCartstream(config, { logger: createLogger('silent') });
  const random = createPrng(7);
  const shapes: JourneyShape[] = [];
  const started = performance.now();
  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${cartstream.url}${path}`, { method: 'POST', body, headers }).then((response) => {
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    });
  const pixelEvent = (n: number, browserId: string, cartToken: string, event: string) =>
    post('/v1/batch', JSON.stringify({ writeKey: sourceKey, batch: [{
      type: 'track', event, anonymousId: browserId, messageId: `pixel-${event}-${n}`, timestamp: new Date().toISOString(),
      properties: { cart_id: cartToken },
    }] }), { 'content-type': 'text/plain' });
  const webhook = (n: number, body: string) => post('/webhooks/shopify', body, {
    'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': shop,
    'x-shopify-webhook-id': `stitch-${n}`, 'x-shopify-hmac-sha256': signShopifyBody(body, secret),
  });

  try {
    await Promise.all(Array.from({ length: journeys }, async (_, n) => {
      const browserId = `browser-${n}`;
      const cartToken = `cart-${n}`;
      const roll = random.next();
      const shape: JourneyShape = roll < 0.6 ? 'cart attribute' : roll < 0.9 ? 'buy now (link only)' : 'order before pixel';
      shapes[n] = shape;
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random.next() * 2_000)));
      if (shape === 'cart attribute') {
        await pixelEvent(n, browserId, cartToken, 'Product Added');
        await webhook(n, orderBody(n, cartToken, browserId));
      } else if (shape === 'buy now (link only)') {
        await pixelEvent(n, browserId, cartToken, 'Product Viewed');
        await webhook(n, orderBody(n, cartToken, undefined));
      } else {
        await webhook(n, orderBody(n, cartToken, undefined));
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(random.next() * 1_400)));
        await pixelEvent(n, browserId, cartToken, 'Thankyou Page Viewed');
      }
    }));
    const completed = () => sink.received().filter((event) => event.event.event === 'Order Completed');
    const deadline = Date.now() + 60_000;
    while (completed().length < journeys && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const byShape = Object.fromEntries((['cart attribute', 'buy now (link only)', 'order before pixel'] as const)
      .map((shape) => [shape, { orders: 0, stitched: 0 }])) as StitchBench['byShape'];
    for (const event of completed()) {
      const n = Number((event.event.properties as { order_id: string }).order_id.slice(-5));
      const shape = byShape[shapes[n]!];
      shape.orders += 1;
      if (event.event.anonymousId === `browser-${n}`) shape.stitched += 1;
    }
    const stitched = Object.values(byShape).reduce((sum, shape) => sum + shape.stitched, 0);
    return { journeys, byShape, stitchRate: stitched / journeys, seconds: (performance.now() - started) / 1000 };
  } finally {
    await cartstream.close();
    await sink.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'cartstream-stitch-'));
  try {
    console.log(JSON.stringify(await benchStitchRate(dir, 400), null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
