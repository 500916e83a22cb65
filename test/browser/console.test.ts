/**
 * The web console in real Chromium against a running cartstream (SQLite, processing thread, the local Segment sink):
 * sign-in, the live stream, delivery health, the accuracy report, dead-letter replay, failed deliveries and a
 * customer journey, each checked against the store. Screenshots of every view go to test/browser/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { startSegmentSink, type SegmentSink } from '../../src/local-sink/segment-sink.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startCartstream, type Cartstream } from '../../src/runtime.ts';
import { sendWebhooks } from '../../src/simulator/send-webhooks.ts';
import type { WebhookToSign } from '../../src/simulator/sign-webhook.ts';
import { simulateWebhooks } from '../../src/simulator/store-simulator.ts';
import { e2eSecret, e2eShop, e2eWriteKey, tempDir, waitFor, waitForDrain } from '../e2e/e2e-harness.ts';
import { launchChromium, skipWithoutChromium } from './chromium.ts';

const adminToken = 'console-admin-token-4f1c2a9b';
const screenshots = join(import.meta.dirname, 'screenshots');
const hooks = simulateWebhooks({ shop: e2eShop, seed: 23, startTime: '2025-06-02T14:00:00Z', count: 260, refundShare: 0.4, refundDelayMinutes: [1, 10] });
/** The first webhooks meet a Segment that refuses everything (dead letters); the rest are delivered; the last come live. */
const refused = hooks.slice(0, 90);
const accepted = hooks.slice(90, 240);
const live = hooks.slice(240);

describe.skipIf(skipWithoutChromium('the console browser tests'))('web console', () => {
  const tmp = tempDir('cartstream-console-');
  let sink: SegmentSink;
  let cartstream: Cartstream;
  let browser: Browser;
  let page: Page;
  let consoleUrl: string;

  const send = (webhooks: readonly WebhookToSign[]) =>
    sendWebhooks(new URL('/webhooks/shopify', cartstream.url!), webhooks, { shop: e2eShop, secret: e2eSecret, concurrency: 8 });

  /** Long lists are shot as the operator first sees them; the other views whole. */
  async function screenshot(name: string, fullPage = true): Promise<void> {
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage });
  }

  /** Waits for the toast that confirms an action, or the error the view showed instead (which then fails the test). */
  async function toastOrError(): Promise<void> {
    await page.waitForSelector('#toast:not([hidden]), #view .error', { timeout: 10_000 });
    expect(await page.$$eval('#view .error', (errors) => errors.map((e) => e.textContent))).toEqual([]);
  }

  async function open(view: string): Promise<void> {
    await page.evaluate((hash) => { location.hash = hash; }, view);
    await page.waitForSelector(`#view[data-view="${view.split('?')[0]}"]`);
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    sink = await startSegmentSink({ writeKey: e2eWriteKey, faults: { rules: [{ action: { kind: 'status', status: 400, body: '{"error":"refused by the test"}' } }] } });
    const config = parseConfig({
      port: 0, host: '127.0.0.1', db: join(tmp.path, 'console.db'), logLevel: 'silent', adminToken,
      shops: [{ domain: e2eShop, webhookSecrets: [e2eSecret] }],
      destinations: { segment: { writeKey: e2eWriteKey, endpoint: sink.url } },
    }, 'the console test');
    cartstream = await startCartstream(config, { logger: createLogger('silent') });
    await send(refused);
    await waitForDrain(cartstream.store, 30_000);
    sink.setFaults(null);
    // A signed body that is JSON but no order: kept as a failed delivery with its reason.
    await send([{ topic: 'orders/create', webhookId: 'not-an-order', eventId: 'e-x', triggeredAt: '2025-06-02T14:00:00Z', apiVersion: '2026-04', body: Buffer.from('{"id":1}') }]);
    await send(accepted);
    await waitForDrain(cartstream.store, 30_000);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    consoleUrl = `${cartstream.url}/console/`;
  });

  afterAll(async () => {
    await browser?.close();
    await cartstream?.close();
    await sink?.close();
    tmp.remove();
  });

  it('loads without a token and shows a clear error for a wrong one', async () => {
    await page.goto(consoleUrl);
    await page.fill('#token', 'not-the-admin-token-at-all');
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector('#sign-in-error:not([hidden])');
    expect(await page.textContent('#sign-in-error')).toBe('The admin token was refused. Check CARTSTREAM_ADMIN_TOKEN and sign in again.');
    expect(await page.isVisible('#tabs')).toBe(false);
    await screenshot('sign-in-wrong-token');
  });

  it('signs in and shows new events in the live stream as they arrive', async () => {
    await page.fill('#token', adminToken);
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector('#view[data-view="live"] tbody tr[data-message-id]');
    expect(await page.evaluate(() => sessionStorage.getItem('cartstream.adminToken'))).toBe(adminToken);

    await send(live);
    await waitForDrain(cartstream.store, 30_000);
    const [newest] = await cartstream.store.searchMessages({ limit: 1 });
    await page.waitForSelector(`tr[data-message-id="${newest!.messageId}"]`, { timeout: 10_000 });
    expect(await page.textContent('#view tbody')).toContain('Order Completed');
    await screenshot('live-events', false);
  });

  it('shows queues and per-minute charts of every destination', async () => {
    await open('health');
    await page.waitForSelector('[data-destination="segment"] .uplot canvas');
    expect(await page.textContent('#view .stats')).toContain('dead letters');
    await screenshot('delivery-health');
  });

  it("shows an accuracy report whose numbers match the store's", async () => {
    await open('accuracy');
    await page.waitForSelector('[data-stat="orders"] .value');
    const orderIds = new Set(hooks.filter((hook) => hook.topic === 'orders/create').map((hook) => hook.orderId));
    orderIds.add('1'); // the signed orders/create body that is no order ({"id":1}) still names an order id
    expect(await page.textContent('[data-stat="orders"] .value')).toBe(String(orderIds.size));

    const completed = (await cartstream.store.searchMessages({ eventName: 'Order Completed', destination: 'segment', limit: 1_000 }));
    const count = (status: string) => String(completed.filter((m) => m.status === status).length);
    const cells = await page.$$eval('[data-order-completed="segment"] td', (tds) => tds.map((td) => td.textContent));
    expect(cells).toEqual(['segment', count('delivered'), count('pending'), count('dead'), count('skipped')]);
    expect(Number(count('dead'))).toBeGreaterThan(0);
    await screenshot('accuracy-report');
  });

  it("replays a dead letter from its button, which requeues it in the store", async () => {
    await open('dead-letters');
    const id = Number(await page.getAttribute('tr[data-dead-letter]', 'data-dead-letter'));
    await screenshot('dead-letters', false);
    expect((await cartstream.store.listDeadLetters(null, 1_000)).map((letter) => letter.id)).toContain(id);

    await page.click(`tr[data-dead-letter="${id}"] button`);
    await toastOrError();
    expect(await page.textContent('#toast')).toBe(`Message ${id} is queued for segment again.`);
    expect((await cartstream.store.listDeadLetters(null, 1_000)).map((letter) => letter.id)).not.toContain(id);
    await waitFor('the replayed message to be delivered', async () => {
      const [row] = (await cartstream.store.searchMessages({ limit: 1_000 })).filter((m) => m.id === id);
      return row?.status === 'delivered' ? null : `status ${row?.status}`;
    }, 10_000);
  });

  it('lists failed deliveries with their reason and reprocesses one on request', async () => {
    await open('failed');
    await page.waitForSelector('tr[data-failed]');
    expect(await page.textContent('tr[data-failed]')).toContain('orders/create');
    await screenshot('failed-deliveries');
    await page.click('tr[data-failed] button');
    await toastOrError();
    expect(await page.textContent('#toast')).toMatch(/^Delivery \d+ is queued to be mapped again\.$/);
  });

  it("shows a customer's journey: every message the store has for them, in time order", async () => {
    const customerId = hooks.find((hook) => hook.topic === 'orders/create' && hook.customerId && hook.expectOrderCompleted)!.customerId!;
    await open(`journey?id=${customerId}`);
    await page.waitForSelector('#journey-steps li');
    const shown = await page.$$eval('#journey-steps li', (items) => items.map((li) => li.getAttribute('data-message-id')));
    const stored = await cartstream.store.customerJourney(customerId, 200);
    expect(shown).toEqual([...new Set(stored.map((m) => m.messageId))]);
    expect(await page.textContent('#journey-steps')).toContain('Order Completed');
    // The profile card above it says what the profile store holds.
    const orders = (await cartstream.store.customerProfile(customerId)).orders.length;
    expect(orders).toBeGreaterThan(0);
    expect(await page.textContent('[data-profile-summary]')).toContain(`net of refunds · ${orders} orders`);
    await screenshot('customer-journey');
  });
});
