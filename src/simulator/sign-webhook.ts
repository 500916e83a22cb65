import { shopifyHeaders } from '../shopify/webhook-headers.ts';
import { signShopifyBody } from '../shopify/webhook-hmac.ts';
import type { SimulatedWebhook } from './store-simulator.ts';

/** Shopify's header names in the case Shopify sends them (the shared table holds Node's lower-cased names). */
export const canonicalShopifyHeaders = {
  hmac: 'X-Shopify-Hmac-Sha256',
  topic: 'X-Shopify-Topic',
  shop: 'X-Shopify-Shop-Domain',
  webhookId: 'X-Shopify-Webhook-Id',
  eventId: 'X-Shopify-Event-Id',
  triggeredAt: 'X-Shopify-Triggered-At',
  apiVersion: 'X-Shopify-API-Version',
} as const satisfies Record<keyof typeof shopifyHeaders, string>;

export interface SignedWebhookRequest {
  headers: Record<string, string>;
  body: Buffer;
}

export type WebhookToSign = Pick<SimulatedWebhook, 'topic' | 'webhookId' | 'eventId' | 'triggeredAt' | 'apiVersion' | 'body'>;

/** The POST Shopify would make for this webhook: its headers (signed with the shop's secret) and exact body. */
export function signedWebhookRequest(webhook: WebhookToSign, options: { shop: string; secret: string }): SignedWebhookRequest {
  const h = canonicalShopifyHeaders;
  return {
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'Shopify-Captain-Hook',
      [h.topic]: webhook.topic,
      [h.hmac]: signShopifyBody(webhook.body, options.secret),
      [h.shop]: options.shop,
      [h.webhookId]: webhook.webhookId,
      [h.eventId]: webhook.eventId,
      [h.triggeredAt]: webhook.triggeredAt,
      [h.apiVersion]: webhook.apiVersion,
    },
    body: webhook.body,
  };
}
