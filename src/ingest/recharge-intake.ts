import { createHash } from 'node:crypto';
import { rechargeHeaders, rechargeSignatureHeaders } from '../recharge/webhook-headers.ts';
import { verifyRechargeSignature } from '../recharge/webhook-signature.ts';
import type { InboxDelivery } from '../store/store.ts';
import type { IntakeResult, SecretsForShop } from './shopify-intake.ts';

type IncomingHeaders = Record<string, string | string[] | undefined>;

/** Which shops take ReCharge webhooks, with their ReCharge API client secrets. */
export interface RechargeShops {
  secretsFor: SecretsForShop;
  /** The shop of `POST /webhooks/recharge` (no shop in the path): the one shop with ReCharge secrets, if exactly one. */
  defaultShop: string | undefined;
}

/** One ReCharge request as the route sees it: headers, raw body, the path's shop and the `?topic=` parameter. */
export interface RechargeRequest {
  headers: IncomingHeaders;
  body: Buffer;
  shop?: string | undefined;
  topicParameter?: string | undefined;
}

/** Where the shop and topic come from when the request does not say (named in the 400 answer). */
export const shopInPath = 'shop in the path (/webhooks/recharge/{shop}.myshopify.com)';
const topicPattern = /^[a-z_]+\/[a-z_]+$/;

function header(headers: IncomingHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** ReCharge's own headers, minus the signatures. */
function keptHeaders(headers: IncomingHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-recharge-') && !rechargeSignatureHeaders.has(name) && value !== undefined) {
      kept[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return kept;
}

/**
 * ReCharge sends no delivery id, and a retry repeats the same body: sha256 of (topic, body) names the delivery.
 * Two different facts differ in their body (each carries its updated_at); a byte-identical body under the same
 * topic is the same fact, which would map to the same messageIds anyway.
 */
export function rechargeDeliveryId(topic: string, body: Buffer): string {
  return `recharge:${createHash('sha256').update(topic).update('\n').update(body).digest('hex')}`;
}

function signedAt(headers: IncomingHeaders): string | null {
  const seconds = Number(header(headers, rechargeHeaders.timestamp));
  return Number.isSafeInteger(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

function deliveryFrom(request: RechargeRequest, shop: string, topic: string, receivedAt: number): InboxDelivery {
  const namespaced = `recharge/${topic}`;
  return {
    shop,
    source: 'recharge',
    topic: namespaced,
    webhookId: rechargeDeliveryId(namespaced, request.body),
    eventId: null,
    triggeredAt: signedAt(request.headers),
    apiVersion: header(request.headers, rechargeHeaders.apiVersion) ?? null,
    headers: keptHeaders(request.headers),
    body: request.body,
    receivedAt,
  };
}

/** Verifies a ReCharge webhook from its raw body and headers; no JSON parsing, no I/O, never throws. */
export function checkRechargeWebhook(request: RechargeRequest, shops: RechargeShops, receivedAt: number): IntakeResult {
  const shop = request.shop?.trim().toLowerCase() ?? shops.defaultShop;
  if (!shop) return { kind: 'missing-headers', missing: [shopInPath] };
  const secrets = shops.secretsFor(shop);
  if (!secrets || secrets.length === 0) return { kind: 'unknown-shop', shop };
  const signatures = {
    timestamped: header(request.headers, rechargeHeaders.signature),
    legacy: header(request.headers, rechargeHeaders.legacySignature),
  };
  if (!verifyRechargeSignature(request.body, signatures, secrets, receivedAt)) return { kind: 'bad-signature', shop };
  const topic = (header(request.headers, rechargeHeaders.topic) ?? request.topicParameter)?.trim();
  if (!topic || !topicPattern.test(topic)) return { kind: 'missing-headers', missing: [`${rechargeHeaders.topic} (or ?topic=)`] };
  return { kind: 'verified', delivery: deliveryFrom(request, shop, topic, receivedAt) };
}
