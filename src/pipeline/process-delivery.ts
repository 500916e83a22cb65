import type { Destination } from '../destinations/destination.ts';
import type { MapContext, MapResult } from '../mapping/mapper.ts';
import { mapperFor, topicJobsFor } from '../mapping/topic-mappers.ts';
import { messageFacts } from '../reporting/message-facts.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import type { InboxOutcome, InboxRow, JobWrite, OutboxMessage } from '../store/store.ts';
import type { SegmentMessage } from './segment-message.ts';

/** The outcome kinds counted in metrics and shown to operators. */
export type ProcessedKind = 'mapped' | 'ignored' | 'failed';

export interface ProcessedDelivery {
  kind: ProcessedKind;
  outcome: InboxOutcome;
  /** The resource state the mapper computed (see batch-states.ts), not yet in the outcome. */
  state?: unknown;
  /** Failed for now: mapping it again shortly may succeed (see MapResult). */
  retry?: boolean;
}

function failed(reason: string): ProcessedDelivery {
  return { kind: 'failed', outcome: { status: 'failed', reason } };
}

/** What the batch looked up for a delivery before mapping it, and the configured event windows. */
export type MapInputs = Pick<MapContext, 'linkedAnonymousId' | 'previous' | 'windows'>;

/** The mapping context of a delivery. */
export function contextFor(row: InboxRow, inputs: MapInputs): MapContext {
  return {
    shop: row.shop, topic: row.topic, webhookId: row.webhookId, apiVersion: row.apiVersion, triggeredAt: row.triggeredAt,
    receivedAt: row.receivedAt, ...inputs,
  };
}

function runMapper(row: InboxRow, payload: unknown, context: MapContext): MapResult {
  const mapper = mapperFor(row.topic);
  if (!mapper) return { kind: 'ignored', reason: `no mapping for topic ${row.topic}` };
  try {
    return mapper(payload, context);
  } catch (error) {
    // A mapper bug must not stop the queue: keep the delivery with the reason so it can be re-run after a fix.
    return { kind: 'unmappable', reason: `mapper error: ${(error as Error).message}` };
  }
}

/** The jobs the mapper and the topic ask for, with the delivery's shop and time. */
function jobsOf(row: InboxRow, payload: unknown, context: MapContext, result: MapResult): JobWrite[] {
  const work = [...(result.kind === 'unmappable' ? [] : (result.jobs ?? [])), ...(topicJobsFor(row.topic)?.(payload, context) ?? [])];
  return work.map((job) => ({ ...job, shop: row.shop, receivedAt: row.receivedAt }));
}

/** One spec message → one outbox row for a destination (settled at once when it can never be sent). */
export function outboxMessageFor(row: Pick<InboxRow, 'shop' | 'id' | 'receivedAt'>, message: SegmentMessage, destination: Destination): OutboxMessage {
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

/** Map a parsed delivery (see processDelivery) with what the batch looked up for it. */
export function mapDelivery(row: InboxRow, payload: unknown, destinations: readonly Destination[], inputs: MapInputs = {}): ProcessedDelivery {
  const context = contextFor(row, inputs);
  const result = runMapper(row, payload, context);
  if (result.kind === 'unmappable') return result.retry === true ? { ...failed(result.reason), retry: true } : failed(result.reason);
  const jobs = jobsOf(row, payload, context, result);
  const extra = jobs.length > 0 ? { jobs } : {};
  const state = result.state === undefined ? {} : { state: result.state };
  if (result.kind === 'ignored') return { kind: 'ignored', outcome: { status: 'done', messages: [], note: result.reason, ...extra }, ...state };
  const outbox = outboxMessagesFor(row, result.messages, destinations);
  return outbox.ok ? { kind: 'mapped', outcome: { status: 'done', messages: outbox.messages, ...extra }, ...state } : failed(outbox.reason);
}

/** Every message for every destination, or why a destination could not take one. */
export function outboxMessagesFor(
  row: Pick<InboxRow, 'shop' | 'id' | 'receivedAt'>, messages: readonly SegmentMessage[], destinations: readonly Destination[],
): { ok: true; messages: OutboxMessage[] } | { ok: false; reason: string } {
  try {
    return { ok: true, messages: messages.flatMap((message) => destinations.map((d) => outboxMessageFor(row, message, d))) };
  } catch (error) {
    return { ok: false, reason: `destination transform error: ${(error as Error).message}` };
  }
}
