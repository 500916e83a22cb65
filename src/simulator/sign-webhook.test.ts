import { describe, expect, it } from 'vitest';
import { shopifyHeaders } from '../shopify/webhook-headers.ts';
import { verifyShopifyHmac } from '../shopify/webhook-hmac.ts';
import { canonicalShopifyHeaders, signedWebhookRequest } from './sign-webhook.ts';
import { simulateWebhooks } from './store-simulator.ts';

describe('signedWebhookRequest', () => {
  const [webhook] = simulateWebhooks({ shop: 'sign.myshopify.com', seed: 4, startTime: 0, count: 1 });
  const shop = 'sign.myshopify.com';
  const request = signedWebhookRequest(webhook!, { shop, secret: 'shpss_test_secret' });

  it('signs the exact body so verifyShopifyHmac accepts it, and only with the right secret', () => {
    const signature = request.headers['X-Shopify-Hmac-Sha256'] as string;
    expect(request.body).toBe(webhook!.body);
    expect(verifyShopifyHmac(request.body, signature, ['shpss_test_secret'])).toBe(true);
    expect(verifyShopifyHmac(request.body, signature, ['another_secret'])).toBe(false);
    const tampered = Buffer.from(request.body.toString().replace('"id":', '"id": '));
    expect(verifyShopifyHmac(tampered, signature, ['shpss_test_secret'])).toBe(false);
  });

  it('sends every Shopify header in Shopify’s case, matching the shared lower-case table', () => {
    for (const key of Object.keys(shopifyHeaders) as (keyof typeof shopifyHeaders)[]) {
      expect(canonicalShopifyHeaders[key].toLowerCase()).toBe(shopifyHeaders[key]);
      expect(request.headers[canonicalShopifyHeaders[key]]).toBeTruthy();
    }
    expect(request.headers).toMatchObject({
      'Content-Type': 'application/json',
      'X-Shopify-Topic': webhook!.topic,
      'X-Shopify-Shop-Domain': shop,
      'X-Shopify-Webhook-Id': webhook!.webhookId,
      'X-Shopify-Event-Id': webhook!.eventId,
      'X-Shopify-Triggered-At': webhook!.triggeredAt,
      'X-Shopify-API-Version': '2026-04',
    });
  });
});
