import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { startSegmentSink, type SegmentSink } from '../../src/local-sink/segment-sink.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startCartstream, type Cartstream } from '../../src/runtime.ts';
import { e2eShop, e2eWriteKey, tempDir, waitFor } from './e2e-harness.ts';

const sourceKey = 'storefront-public-key';
const origin = 'https://e2e-outfitters.example';

describe('storefront events through the collector to Segment', () => {
  const tmp = tempDir('cartstream-collector-');
  let sink: SegmentSink;
  let cartstream: Cartstream;

  beforeAll(async () => {
    sink = await startSegmentSink({ writeKey: e2eWriteKey });
    const config = parseConfig({
      port: 0, host: '127.0.0.1', db: join(tmp.path, 'cartstream.db'), logLevel: 'silent',
      collector: { sourceKey, shop: e2eShop, allowedOrigins: [origin] },
      destinations: { segment: { writeKey: e2eWriteKey, endpoint: sink.url } },
    }, 'the e2e test');
    cartstream = await startCartstream(config, { logger: createLogger('silent') });
  });

  afterAll(async () => {
    await cartstream?.close();
    await sink?.close();
    tmp.remove();
  });

  it('accepts an analytics.js sendBeacon batch and delivers its events once, even when the browser retries', async () => {
    const batch = JSON.stringify({
      writeKey: sourceKey,
      batch: [
        { type: 'page', anonymousId: 'anon-1', messageId: 'ajs-page-1', name: 'Home', timestamp: '2026-11-22T10:00:00.000Z' },
        { type: 'track', anonymousId: 'anon-1', messageId: 'ajs-track-1', event: 'Product Viewed', properties: { product_id: 'p1', price: 19.99 }, timestamp: '2026-11-22T10:00:01.000Z' },
      ],
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(`${cartstream.url}/v1/batch`, { method: 'POST', body: batch, headers: { 'content-type': 'text/plain', origin } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    }
    await waitFor('two events at the sink', () => (sink.stats().acceptedEvents >= 2 ? null : `${sink.stats().acceptedEvents} of 2`), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const events = sink.received();
    expect(events.map((e) => e.event.event ?? e.type).sort()).toStrictEqual(['Product Viewed', 'page']);
    const viewed = events.find((e) => e.event.event === 'Product Viewed')!;
    expect(viewed.event).toMatchObject({ anonymousId: 'anon-1', properties: { product_id: 'p1', price: 19.99 } });
    expect((viewed.event.context as { ip?: string }).ip).toBe('127.0.0.1');
    expect((await cartstream.store.counts()).duplicates).toBe(2);
  });

  it('refuses a wrong source key and stores nothing', async () => {
    const before = await cartstream.store.counts();
    const response = await fetch(`${cartstream.url}/v1/track`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('wrong-key:').toString('base64')}` },
      body: JSON.stringify({ type: 'track', anonymousId: 'a', event: 'X', messageId: 'm-x' }),
    });
    expect(response.status).toBe(401);
    const after = await cartstream.store.counts();
    expect(after.inbox).toStrictEqual(before.inbox);
  });
});
