import { hash } from 'node:crypto';

/** What a message describes: the same parts always give the same messageId. */
export interface MessageIdParts {
  shop: string;
  /** The kind of message, e.g. 'order-completed', 'identify'. */
  kind: string;
  /** The Shopify resource it is about, e.g. an order id. */
  resource: string;
  /** The resource's version (e.g. a customer's updated_at) when each version deserves its own message. */
  version?: string;
}

/**
 * sha256 of the parts encoded as a JSON array: injective, so no choice of separator can make two inputs collide.
 * The one-shot crypto.hash: a few messageIds per order, and createHash's object costs more than the digest.
 */
function digestOf(parts: readonly (string | null)[]): string {
  return hash('sha256', JSON.stringify(parts), 'hex');
}

/**
 * A deterministic messageId: retries, replays and backfills of the same fact produce the same id, so Segment
 * (24 h dedup on messageId) and our own outbox drop the duplicates.
 */
export function messageIdFor(parts: MessageIdParts): string {
  return `cs-${digestOf([parts.shop, parts.kind, parts.resource, parts.version ?? null]).slice(0, 32)}`;
}

/** A UUID-shaped value (RFC 9562 version 8, "custom") derived from the parts: anonymousIds must never be random. */
export function deterministicUuid(...parts: string[]): string {
  const hex = digestOf(parts);
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const groups = [hex.slice(0, 8), hex.slice(8, 12), `8${hex.slice(13, 16)}`, `${variant}${hex.slice(17, 20)}`, hex.slice(20, 32)];
  return groups.join('-');
}
