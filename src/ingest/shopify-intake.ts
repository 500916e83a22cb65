import { shopifyHeaders, requiredShopifyHeaders } from '../shopify/webhook-headers.ts';
import { verifyShopifyHmac } from '../shopify/webhook-hmac.ts';
import type { InboxDelivery } from '../store/store.ts';

type IncomingHeaders = Record<string, string | string[] | undefined>;

/** The result of checking one webhook request; intake never throws. */
export type IntakeResult =
  | { kind: 'verified'; delivery: InboxDelivery }
  | { kind: 'missing-headers'; missing: string[] }
  | { kind: 'unknown-shop'; shop: string }
  | { kind: 'bad-signature'; shop: string };

/** Looks up the webhook secrets of a shop (several during rotation); undefined for a shop we do not serve. */
export type SecretsForShop = (shop: string) => readonly string[] | undefined;

function header(headers: IncomingHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The headers kept with the delivery: Shopify's own, minus the signature. */
function keptHeaders(headers: IncomingHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-shopify-') && name !== shopifyHeaders.hmac && value !== undefined) {
      kept[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return kept;
}

/** Verifies a Shopify webhook from its raw body and headers; no JSON parsing, no I/O. */
export function checkShopifyWebhook(
  headers: IncomingHeaders,
  body: Buffer,
  secretsFor: SecretsForShop,
  receivedAt: number,
): IntakeResult {
  const shop = header(headers, shopifyHeaders.shop)?.trim().toLowerCase();
  if (!shop) return { kind: 'missing-headers', missing: [shopifyHeaders.shop] };
  const secrets = secretsFor(shop);
  if (!secrets) return { kind: 'unknown-shop', shop };
  const signature = header(headers, shopifyHeaders.hmac);
  if (!signature || !verifyShopifyHmac(body, signature, secrets)) return { kind: 'bad-signature', shop };
  const missing = requiredShopifyHeaders.filter((name) => !header(headers, name));
  if (missing.length > 0) return { kind: 'missing-headers', missing };
  return { kind: 'verified', delivery: deliveryFrom(headers, body, shop, receivedAt) };
}

function deliveryFrom(headers: IncomingHeaders, body: Buffer, shop: string, receivedAt: number): InboxDelivery {
  return {
    shop,
    source: 'shopify',
    topic: header(headers, shopifyHeaders.topic) ?? '',
    webhookId: header(headers, shopifyHeaders.webhookId) ?? '',
    eventId: header(headers, shopifyHeaders.eventId) ?? null,
    triggeredAt: header(headers, shopifyHeaders.triggeredAt) ?? null,
    apiVersion: header(headers, shopifyHeaders.apiVersion) ?? null,
    headers: keptHeaders(headers),
    body,
    receivedAt,
  };
}
