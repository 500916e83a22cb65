import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config.ts';
import { startSegmentSink, type SegmentSink } from '../../src/local-sink/segment-sink.ts';
import { startTikTokSink, tiktokCodeFault, type TikTokSink } from '../../src/local-sink/tiktok-sink.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startCartstream, type Cartstream } from '../../src/runtime.ts';
import { sendWebhooks } from '../../src/simulator/send-webhooks.ts';
import { simulateWebhooks } from '../../src/simulator/store-simulator.ts';
import { e2eSecret, e2eShop, e2eStartTime, e2eWriteKey, expectedWebOrders, orderCompletedEvents, tempDir, waitForDrain } from './e2e-harness.ts';

const accessToken = 'tiktok-e2e-token';
const pixelCode = 'CE2EPIXEL0001';
const hooks = simulateWebhooks({ shop: e2eShop, seed: 77, startTime: e2eStartTime, count: 400 });
const webOrders = expectedWebOrders(hooks);

describe('one webhook stream to Segment and TikTok at once', () => {
  const tmp = tempDir('cartstream-tiktok-');
  let segment: SegmentSink;
  let tiktok: TikTokSink;
  let cartstream: Cartstream;

  beforeAll(async () => {
    segment = await startSegmentSink({ writeKey: e2eWriteKey });
    // TikTok rate-limits the first requests (code 40100): they must be retried, not lost.
    tiktok = await startTikTokSink({ accessToken, pixelCode, faults: { rules: [{ action: tiktokCodeFault(40100, 'rate limited'), times: 2 }] } });
    const config = parseConfig({
      port: 0, host: '127.0.0.1', db: join(tmp.path, 'cartstream.db'), logLevel: 'silent',
      shops: [{ domain: e2eShop, webhookSecrets: [e2eSecret] }],
      destinations: { segment: { writeKey: e2eWriteKey, endpoint: segment.url }, tiktok: { accessToken, pixelCode, endpoint: tiktok.url } },
    }, 'the e2e test');
    cartstream = await startCartstream(config, { logger: createLogger('silent'), processing: 'inline', random: () => 0 });
    await sendWebhooks(new URL('/webhooks/shopify', cartstream.url!), hooks, { shop: e2eShop, secret: e2eSecret, concurrency: 8 });
    await waitForDrain(cartstream.store, 30_000);
  });

  afterAll(async () => {
    await cartstream?.close();
    await segment?.close();
    await tiktok?.close();
    tmp.remove();
  });

  it('sends each web order to TikTok as one CompletePayment whose event_id is the Segment messageId', () => {
    const segmentIds = new Map(orderCompletedEvents(segment.received()).map((e) => [(e.event.properties as { order_id: string }).order_id, e.messageId]));
    const purchases = tiktok.received().filter((e) => e.event === 'CompletePayment');
    expect(webOrders.size).toBeGreaterThan(5);
    expect(purchases).toHaveLength(webOrders.size);
    for (const purchase of purchases) {
      const orderId = (purchase.body.properties as { order_id: string }).order_id;
      expect(webOrders.has(orderId)).toBe(true);
      expect(purchase.eventId).toBe(segmentIds.get(orderId));
    }
  });

  it('sends hashed matching keys, never the plain email', () => {
    const purchase = tiktok.received().find((e) => e.event === 'CompletePayment')!;
    const user = purchase.body.user as { email?: string; external_id?: string };
    expect(user.email).toMatch(/^[0-9a-f]{64}$/);
    expect(user.external_id).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(tiktok.received())).not.toMatch(/@example\.com/);
  });

  it('records the events TikTok has no standard name for as skipped, and dead-letters nothing', async () => {
    const counts = await cartstream.store.counts();
    expect(counts.outbox.dead).toBe(0);
    expect(counts.outbox.skipped).toBeGreaterThan(0);
    expect(tiktok.stats().rejectedByCode[40100]).toBe(2);
  });
});
