/**
 * Everything cartstream logs during a real run (trace level; signed, badly signed and unparseable webhooks; a Segment
 * endpoint that fails with 500 and 401) is captured and searched: no secret, no write key, no signature, no customer
 * personal data, no raw body text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { segmentAuthorization } from '../../src/destinations/segment/index.ts';
import { startSegmentSink, type SegmentSink } from '../../src/local-sink/segment-sink.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startCartstream, type Cartstream } from '../../src/runtime.ts';
import { sendWebhooks } from '../../src/simulator/send-webhooks.ts';
import { signedWebhookRequest, type WebhookToSign } from '../../src/simulator/sign-webhook.ts';
import { simulateWebhooks, type SimulatedWebhook } from '../../src/simulator/store-simulator.ts';

const shop = 'log-audit.myshopify.com';
const secret = 'shpss_log_audit_current_7c1e2b';
const previousSecret = 'shpss_log_audit_previous_93fd0a';
const wrongSecret = 'shpss_attacker_guess_000000';
const writeKey = 'wk_log_audit_5f2a9c77e1';
const personalKeys = new Set(['email', 'phone', 'first_name', 'last_name', 'contact_email']);

/** Every personal value (email, phone, names) anywhere in a JSON payload. */
function personalValues(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => personalValues(item, found));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (personalKeys.has(key) && typeof inner === 'string' && inner.length >= 3) found.add(inner);
      else personalValues(inner, found);
    }
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Overlapping 32-character windows of a text, for a cheap "does any piece of this body appear" check. */
function windows(text: string, size = 32, stride = 8): string[] {
  const pieces: string[] = [];
  for (let at = 0; at + size <= text.length; at += stride) pieces.push(text.slice(at, at + size));
  return pieces;
}

/** Unparseable copies: cut mid-way, or with a byte replaced so the JSON breaks after the customer's details. */
function unparseable(webhooks: readonly SimulatedWebhook[]): WebhookToSign[] {
  const cut: WebhookToSign[] = webhooks.slice(0, 6).map((webhook, index) => {
    const text = webhook.body.toString('utf8');
    const body = index % 2 === 0
      ? Buffer.from(text.slice(0, Math.floor(text.length * 0.7)))
      : Buffer.from(`${text.slice(0, -1)},,}`);
    return { ...webhook, webhookId: `${webhook.webhookId}-broken`, body };
  });
  return [...cut, bareName(webhooks)];
}

/** A signed body that is nothing but a customer's first name: V8's JSON error message would quote it whole. */
function bareName(webhooks: readonly SimulatedWebhook[]): WebhookToSign {
  const name = /"first_name":"([^"]+)"/.exec(webhooks.map((w) => w.body.toString('utf8')).join('\n'))?.[1];
  if (name === undefined) throw new Error('no first name in the simulated traffic');
  const first = webhooks[0]!;
  return { ...first, webhookId: `${first.webhookId}-bare-name`, body: Buffer.from(name) };
}

const tmp = mkdtempSync(join(tmpdir(), 'cartstream-log-audit-'));
const logChunks: string[] = [];
const webhooks = simulateWebhooks({ shop, seed: 73, startTime: '2025-06-02T14:00:00Z', count: 60 });
const broken = unparseable(webhooks.filter((w) => w.topic.startsWith('customers/') || w.topic.startsWith('orders/')));
let sink: SegmentSink;
let cartstream: Cartstream;

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 20));
}

beforeAll(async () => {
  sink = await startSegmentSink({
    writeKey,
    faults: { rules: [{ action: { kind: 'status', status: 500 }, times: 2 }, { action: { kind: 'status', status: 401 }, fromMs: 0, times: 1, rate: 1 }] },
  });
  const config = parseConfig({
    port: 0, host: '127.0.0.1', db: join(tmp, 'audit.db'), logLevel: 'trace',
    shops: [{ domain: shop, webhookSecrets: [secret, previousSecret] }],
    destinations: { segment: { writeKey, endpoint: sink.url } },
    pipeline: { idleDelayMs: 10 },
  }, 'the log audit test');
  const logger = createLogger(config.logLevel, { write: (chunk: string) => { logChunks.push(chunk); } });
  cartstream = await startCartstream(config, { logger, processing: 'inline', random: () => 0 });
  const url = new URL('/webhooks/shopify', cartstream.url ?? '');
  await sendWebhooks(url, webhooks, { shop, secret, concurrency: 4 });
  await sendWebhooks(url, webhooks.slice(0, 10).map((w) => ({ ...w, webhookId: `${w.webhookId}-forged` })), { shop, secret: wrongSecret, concurrency: 2 });
  await sendWebhooks(url, broken, { shop, secret: previousSecret, concurrency: 2 });
  // Wait until the pipeline has handled every stored row and the sink has seen its failures.
  await waitUntil(async () => {
    const counts = await cartstream.store.counts();
    return counts.inbox.pending === 0 && sink.stats().faults >= 3;
  }, 5_000);
}, 20_000);

afterAll(async () => {
  await cartstream?.close();
  await sink?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('logs of a real run', () => {
  it('were captured, including the failure paths this test provokes', async () => {
    const text = logChunks.join('');
    expect(logChunks.length).toBeGreaterThan(3);
    expect(text).toContain('cartstream started');
    expect(text).toContain('delivery kept as failed');
    expect(text).toMatch(/delivery failed; will retry|destination paused/);
    expect((await cartstream.store.counts()).inbox.failed).toBe(broken.length);
  });

  it('contain no secret, write key or Basic-auth form of it', () => {
    const text = logChunks.join('');
    const authorization = segmentAuthorization(writeKey);
    for (const needle of [secret, previousSecret, wrongSecret, writeKey, authorization, authorization.replace(/^Basic /, '')]) {
      expect(text.includes(needle), `log contains ${needle}`).toBe(false);
    }
  });

  it('contain no signature that was sent', () => {
    const text = logChunks.join('');
    const sent = [
      ...webhooks.map((w) => signedWebhookRequest(w, { shop, secret })),
      ...webhooks.slice(0, 10).map((w) => signedWebhookRequest(w, { shop, secret: wrongSecret })),
      ...broken.map((w) => signedWebhookRequest(w, { shop, secret: previousSecret })),
    ];
    for (const request of sent) {
      const signature = request.headers['X-Shopify-Hmac-Sha256'] ?? '';
      expect(signature.length).toBeGreaterThan(20);
      expect(text.includes(signature), `log contains signature ${signature}`).toBe(false);
    }
  });

  it("contain no customer's email, phone or name", () => {
    const text = logChunks.join('');
    const found = new Set<string>();
    for (const webhook of webhooks) personalValues(JSON.parse(webhook.body.toString('utf8')), found);
    expect(found.size).toBeGreaterThan(10);
    const leaked = [...found].filter((value) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(value)}($|[^\\p{L}\\p{N}])`, 'u').test(text));
    expect(leaked).toStrictEqual([]);
  });

  it('contain no piece of a raw body', () => {
    const logWindows = new Set(windows(logChunks.join(''), 32, 1));
    const bodies = [...webhooks, ...broken].map((w) => w.body.toString('utf8'));
    const leaked = bodies.flatMap((body) => windows(body).filter((piece) => logWindows.has(piece)));
    expect(leaked).toStrictEqual([]);
  });
});
