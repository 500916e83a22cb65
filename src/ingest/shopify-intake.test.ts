import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signShopifyBody } from '../shopify/webhook-hmac.ts';
import { checkShopifyWebhook } from './shopify-intake.ts';

const sample = JSON.parse(readFileSync(new URL('../../../shared/fixtures/shopify/samples/orders_create.json', import.meta.url), 'utf8'));
const body = Buffer.from(JSON.stringify(sample.response));
const shop = 'shop-one.myshopify.com';
const secrets: Record<string, string[]> = {
  [shop]: ['new-secret', 'old-secret'],
  'shop-two.myshopify.com': ['other-shop-secret'],
};
const secretsFor = (domain: string) => secrets[domain];

function headersSignedWith(secret: string, overrides: Record<string, string | undefined> = {}) {
  const headers: Record<string, string | undefined> = {
    'x-shopify-hmac-sha256': signShopifyBody(body, secret),
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': shop,
    'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    'x-shopify-triggered-at': '2026-11-22T10:00:00.000Z',
    'x-shopify-api-version': '2026-04',
    'content-type': 'application/json',
    ...overrides,
  };
  return headers;
}

describe('Shopify webhook intake', () => {
  it.each([
    ['the current secret', 'new-secret'],
    ['the previous secret during rotation', 'old-secret'],
  ])('accepts a body signed with %s', (_name, secret) => {
    const result = checkShopifyWebhook(headersSignedWith(secret), body, secretsFor, 1000);
    expect(result.kind).toBe('verified');
  });

  it.each([
    ['a wrong secret', headersSignedWith('not-the-secret')],
    ["another shop's secret", headersSignedWith('other-shop-secret')],
    ['no signature header', headersSignedWith('new-secret', { 'x-shopify-hmac-sha256': undefined })],
    ['an empty signature', headersSignedWith('new-secret', { 'x-shopify-hmac-sha256': '' })],
    ['a signature that is not base64 of a digest', headersSignedWith('new-secret', { 'x-shopify-hmac-sha256': 'abc' })],
    ['a hex digest instead of base64', headersSignedWith('new-secret', {
      'x-shopify-hmac-sha256': Buffer.from(signShopifyBody(body, 'new-secret'), 'base64').toString('hex'),
    })],
  ])('rejects %s as a bad signature', (_name, headers) => {
    expect(checkShopifyWebhook(headers, body, secretsFor, 1000)).toStrictEqual({ kind: 'bad-signature', shop });
  });

  it('rejects a body changed after signing', () => {
    const tampered = Buffer.from(body.toString().replace('"total_price":"', '"total_price":"1'));
    expect(checkShopifyWebhook(headersSignedWith('new-secret'), tampered, secretsFor, 1000).kind).toBe('bad-signature');
  });

  it('rejects a shop it does not serve, even with a valid-looking signature', () => {
    const headers = headersSignedWith('new-secret', { 'x-shopify-shop-domain': 'stranger.myshopify.com' });
    expect(checkShopifyWebhook(headers, body, secretsFor, 1000)).toStrictEqual({ kind: 'unknown-shop', shop: 'stranger.myshopify.com' });
  });

  it.each([
    ['x-shopify-shop-domain'],
    ['x-shopify-topic'],
    ['x-shopify-webhook-id'],
  ])('reports the missing %s header', (name) => {
    const result = checkShopifyWebhook(headersSignedWith('new-secret', { [name]: undefined }), body, secretsFor, 1000);
    expect(result).toStrictEqual({ kind: 'missing-headers', missing: [name] });
  });

  it('keeps the raw bytes and the Shopify headers, never the signature', () => {
    const result = checkShopifyWebhook(headersSignedWith('new-secret'), body, secretsFor, 1234);
    if (result.kind !== 'verified') throw new Error(`expected verified, got ${result.kind}`);
    expect(result.delivery.body).toBe(body);
    expect(result.delivery).toMatchObject({
      shop, source: 'shopify', topic: 'orders/create', webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5', triggeredAt: '2026-11-22T10:00:00.000Z', apiVersion: '2026-04',
      receivedAt: 1234,
    });
    expect(Object.keys(result.delivery.headers).sort()).toStrictEqual([
      'x-shopify-api-version', 'x-shopify-event-id', 'x-shopify-shop-domain', 'x-shopify-topic',
      'x-shopify-triggered-at', 'x-shopify-webhook-id',
    ]);
  });
});
