import type { Destination } from '../destinations/destination.ts';
import type { MapContext, MapResult } from '../mapping/mapper.ts';
import { mapperFor } from '../mapping/topic-mappers.ts';
import { messageFacts } from '../reporting/message-facts.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import type { InboxOutcome, InboxRow, OutboxMessage } from '../store/store.ts';
import type { SegmentMessage } from './segment-message.ts';

/** The outcome kinds counted in metrics and shown to operators. */
export type ProcessedKind = 'mapped' | 'ignored' | 'failed';

export interface ProcessedDelivery {
  kind: ProcessedKind;
  outcome: InboxOutcome;
}

function failed(reason: string): ProcessedDelivery {
  return { kind: 'failed', outcome: { status: 'failed', reason } };
}

/** What the pipeline looked up for a mapper (see MapContext), and the settings it maps with. */
export type LookedUp = Pick<MapContext, 'linkedAnonymousId' | 'profile' | 'ltvTiers'>;

function runMapper(row: InboxRow, payload: unknown, lookedUp: LookedUp): MapResult {
  const mapper = mapperFor(row.topic);
  if (!mapper) return { kind: 'ignored', reason: `no mapping for topic ${row.topic}` };
  const context: MapContext = {
    shop: row.shop, topic: row.topic, webhookId: row.webhookId, apiVersion: row.apiVersion, triggeredAt: row.triggeredAt,
    ...lookedUp,
  };
  try {
    return mapper(payload, context);
  } catch (error) {
    // A mapper bug must not stop the queue: keep the delivery with the reason so it can be re-run after a fix.
    return { kind: 'unmappable', reason: `mapper error: ${(error as Error).message}` };
  }
}

/** One spec message → one outbox row for a destination (settled at once when it can never be sent). */
export function outboxMessageFor(row: InboxRow, message: SegmentMessage, destination: Destination): OutboxMessage {
  const eventName = message.type === 'track' ? (message.event ?? 'track') : message.type;
  const base = {
    destination: destination.name, messageId: message.messageId, shop: row.shop, inboxId: row.id, eventName, receivedAt: row.receivedAt,
    facts: messageFacts(message),
  };
  const wire = destination.transform(message);
  if (wire.kind === 'skip') {
    return { ...base, payload: JSON.stringify(message), initial: { status: 'skipped', reason: wire.reason } };
  }
  const bytes = Buffer.byteLength(wire.json);
  if (bytes > destination.limits.maxEventBytes) {
    const reason = `event is ${bytes} bytes, over ${destination.name}'s ${destination.limits.maxEventBytes}-byte limit per event`;
    return { ...base, payload: wire.json, initial: { status: 'dead', reason } };
  }
  return { ...base, payload: wire.json };
}

export type ParsedDelivery = { ok: true; payload: unknown } | { ok: false; reason: string };

/** The stored body as JSON with exact ids, or why it is not JSON. */
export function parseDelivery(row: InboxRow): ParsedDelivery {
  try {
    return { ok: true, payload: parseJsonExact(row.body) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/**
 * Parse → map → one outbox row per destination and message. Never throws: anything that cannot be parsed or
 * mapped becomes a failed outcome carrying the reason, and the rest of the queue moves on.
 */
export function processDelivery(row: InboxRow, destinations: readonly Destination[]): ProcessedDelivery {
  const parsed = parseDelivery(row);
  return parsed.ok ? mapDelivery(row, parsed.payload, destinations) : failed(parsed.reason);
}

/** Map a parsed delivery (see processDelivery) with the storefront link of its cart and its customer's profile, if any. */
export function mapDelivery(row: InboxRow, payload: unknown, destinations: readonly Destination[], lookedUp: LookedUp = {}): ProcessedDelivery {
  const result = runMapper(row, payload, lookedUp);
  if (result.kind === 'unmappable') return failed(result.reason);
  if (result.kind === 'ignored') return { kind: 'ignored', outcome: { status: 'done', messages: [], note: result.reason } };
  try {
    const messages = result.messages.flatMap((message) => destinations.map((d) => outboxMessageFor(row, message, d)));
    return { kind: 'mapped', outcome: { status: 'done', messages } };
  } catch (error) {
    return failed(`destination transform error: ${(error as Error).message}`);
  }
}
