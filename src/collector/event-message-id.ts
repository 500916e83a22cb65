import { createHash } from 'node:crypto';

/** Fields that change from one send of the same event to the next, so they must not change its id. */
const volatileFields = new Set(['sentAt', 'writeKey', 'messageId']);

/** JSON with object keys sorted at every level: the same event always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The messageId for an event that came without one: a hash of the event as the client sent it. It must not be
 * random: a client that times out or gets a 503 sends the same event again, and only an id derived from the event
 * lets the inbox (and Segment's 24 h dedup downstream) recognise the repeat. `sentAt` is left out because
 * analytics.js rewrites it on every retry. The cost: two events that are identical in every field (same
 * timestamp too) count once — clients that mean two events send distinct messageIds or timestamps.
 */
export function derivedMessageId(event: Record<string, unknown>): string {
  const stable = Object.fromEntries(Object.entries(event).filter(([key]) => !volatileFields.has(key)));
  return `cs-auto-${createHash('sha256').update(canonicalJson(stable)).digest('hex').slice(0, 32)}`;
}
