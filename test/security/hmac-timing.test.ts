/**
 * Webhook signatures: compared in constant time, every configured secret of a shop accepted during a rotation,
 * and a shop's secret never opens another shop.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signShopifyBody, verifyShopifyHmac } from '../../src/shopify/webhook-hmac.ts';
import { inboxTotal, serveShops, type ServedShops } from './security-harness.ts';

const crypto = vi.hoisted(() => ({ timingSafeEqualCalls: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      crypto.timingSafeEqualCalls += 1;
      return actual.timingSafeEqual(a, b);
    },
  };
});

const sample = readFileSync(new URL('../../../shared/fixtures/shopify/samples/orders_create.json', import.meta.url), 'utf8');
const body = Buffer.from(JSON.stringify(JSON.parse(sample).response));
const secret = 'shpss_current_0123456789abcdef';

/** The correct signature with one byte of the digest flipped. */
function flipped(signature: string, byteIndex: number): string {
  const digest = Buffer.from(signature, 'base64');
  digest[byteIndex] = (digest[byteIndex] ?? 0) ^ 0xff;
  return digest.toString('base64');
}

describe('constant-time signature comparison', () => {
  beforeEach(() => { crypto.timingSafeEqualCalls = 0; });

  it('compares with crypto.timingSafeEqual once per secret, whether the signature is right, wrong or short', () => {
    const good = signShopifyBody(body, secret);
    const secrets = ['older-secret', secret, 'oldest-secret'];
    for (const signature of [good, flipped(good, 0), flipped(good, 31), 'c2hvcnQ=', '']) {
      crypto.timingSafeEqualCalls = 0;
      verifyShopifyHmac(body, signature, secrets);
      expect(crypto.timingSafeEqualCalls, `signature ${JSON.stringify(signature)}`).toBe(secrets.length);
    }
  });

  it('has no other comparison of digests in its source (no ===, equals or compare on buffers)', () => {
    const source = readFileSync(new URL('../../src/shopify/webhook-hmac.ts', import.meta.url), 'utf8');
    expect(source).toMatch(/import \{[^}]*\btimingSafeEqual\b[^}]*\} from 'node:crypto'/);
    expect(source).not.toMatch(/\.equals\(|\.compare\(|digest\([^)]*\)\s*===|===\s*signature|signature\s*===/);
  });

  /**
   * A sanity check only: the HMAC itself dominates the cost, so this would not catch a subtle leak, but it does
   * catch an early-exit comparison that skips work. Medians of interleaved rounds keep it stable on a busy machine.
   */
  it('spends about the same time on a signature wrong in its first byte as in its last', () => {
    const good = signShopifyBody(body, secret);
    const first = flipped(good, 0);
    const last = flipped(good, 31);
    const round = (signature: string): number => {
      const started = performance.now();
      for (let i = 0; i < 40; i++) verifyShopifyHmac(body, signature, [secret]);
      return performance.now() - started;
    };
    for (let i = 0; i < 5; i++) { round(first); round(last); } // warm-up
    const firstTimes: number[] = [];
    const lastTimes: number[] = [];
    for (let i = 0; i < 31; i++) {
      firstTimes.push(round(first));
      lastTimes.push(round(last));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const ratio = median(firstTimes) / median(lastTimes);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('secrets over HTTP', () => {
  const shopA = 'shop-a.myshopify.com';
  const shopB = 'shop-b.myshopify.com';
  const secretsA = { current: 'a-new-secret', previous: 'a-old-secret', retired: 'a-retired-secret' };
  const secretB = 'b-only-secret';
  let served: ServedShops;

  beforeEach(async () => {
    served = await serveShops({ [shopA]: [secretsA.current, secretsA.previous], [shopB]: [secretB] });
  });
  afterEach(() => served.close());

  let webhookSeq = 0;
  function post(shop: string, signingSecret: string) {
    webhookSeq += 1;
    return served.app.inject({
      method: 'POST', url: '/webhooks/shopify', payload: body,
      headers: {
        'content-type': 'application/json', 'x-shopify-hmac-sha256': signShopifyBody(body, signingSecret),
        'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': shop, 'x-shopify-webhook-id': `w-${webhookSeq}`,
      },
    });
  }

  it('accepts the new and the old secret during a rotation and refuses a third', async () => {
    expect((await post(shopA, secretsA.current)).statusCode).toBe(200);
    expect((await post(shopA, secretsA.previous)).statusCode).toBe(200);
    const refused = await post(shopA, secretsA.retired);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toStrictEqual({ error: 'invalid signature' });
    expect(await inboxTotal(served.store)).toBe(2);
  });

  it("never lets one shop's secret open another shop", async () => {
    const answers = await Promise.all([
      post(shopB, secretsA.current), post(shopB, secretsA.previous), post(shopA, secretB),
      post('shop-c.myshopify.com', secretB),
    ]);
    expect(answers.map((a) => a.statusCode)).toStrictEqual([401, 401, 401, 401]);
    expect(await inboxTotal(served.store)).toBe(0);
    expect((await post(shopB, secretB)).statusCode).toBe(200);
  });

  it('verifies rotation the same way without HTTP', () => {
    const secrets = [secretsA.current, secretsA.previous];
    expect(verifyShopifyHmac(body, signShopifyBody(body, secretsA.current), secrets)).toBe(true);
    expect(verifyShopifyHmac(body, signShopifyBody(body, secretsA.previous), secrets)).toBe(true);
    expect(verifyShopifyHmac(body, signShopifyBody(body, secretsA.retired), secrets)).toBe(false);
    expect(verifyShopifyHmac(body, signShopifyBody(body, secretsA.current), [])).toBe(false);
  });
});
