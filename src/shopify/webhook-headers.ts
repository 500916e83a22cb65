/** Shopify webhook header names in one table (Node lower-cases incoming header names). */
export const shopifyHeaders = {
  hmac: 'x-shopify-hmac-sha256',
  topic: 'x-shopify-topic',
  shop: 'x-shopify-shop-domain',
  webhookId: 'x-shopify-webhook-id',
  eventId: 'x-shopify-event-id',
  triggeredAt: 'x-shopify-triggered-at',
  apiVersion: 'x-shopify-api-version',
} as const;

/** Headers without which a delivery cannot be stored or deduplicated (→ 400; the signature's absence → 401). */
export const requiredShopifyHeaders = [shopifyHeaders.topic, shopifyHeaders.shop, shopifyHeaders.webhookId] as const;
