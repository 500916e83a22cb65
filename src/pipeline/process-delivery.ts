import { applyDestinationOptions, type OptionInput } from '../destinations/apply-options.ts';
import type { Destination } from '../destinations/destination.ts';
import { defaultDestinationOptions } from '../destinations/destination-options.ts';
import type { MapContext, MapResult } from '../mapping/mapper.ts';
import { mapperFor, topicJobsFor } from '../mapping/topic-mappers.ts';
import { messageFacts } from '../reporting/message-facts.ts';
import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import type { InboxOutcome, InboxRow, JobWrite, OutboxMessage } from '../store/store.ts';
import { isSpecViolation, specEventName, specViolation, type MessageOrigin } from '../spec/validate-message.ts';
import type { SegmentMessage } from './segment-message.ts';

/** The outcome kinds counted in metrics and shown to operators. */
export type ProcessedKind = 'mapped' | 'ignored' | 'failed';

export interface ProcessedDelivery {
  kind: ProcessedKind;
  outcome: InboxOutcome;
  /** The resource state the mapper computed (see batch-states.ts), not yet in the outcome. */
  state?: unknown;
  /** Messages held for breaking the spec, one per destination that would have been sent one (for the metric). */
  invalid?: InvalidMessage[];
  /** Failed for now: mapping it again shortly may succeed (see MapResult). */
  retry?: boolean;
}

export interface InvalidMessage {
  destination: string;
  event: string;
  /** `spec: <event>: <path> <rule>`: names a field and a rule, never a value. */
  reason: string;
}

function failed(reason: string): ProcessedDelivery {
  return { kind: 'failed', outcome: { status: 'failed', reason } };
}

/** What the batch looked up for a delivery before mapping it (browser link, stored state, customer profile), and settings. */
export type MapInputs = Pick<MapContext, 'linkedAnonymousId' | 'previous' | 'windows' | 'profile' | 'ltvTiers'>;

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

/** A mapped message on its way to the outboxes: the rule it breaks (see spec/), the order it is about, its origin. */
export interface CheckedMessage extends OptionInput {
  violation: string | null;
}

function settled(base: Omit<OutboxMessage, 'payload'>, payload: string, status: 'dead' | 'skipped', reason: string): OutboxMessage {
  return { ...base, payload, initial: { status, reason } };
}

/**
 * One spec message → one outbox row for a destination, its options applied (destination-options.ts), settled at
 * once when it can never be sent: skipped when the options leave it out or the destination does not take it, dead
 * (held, replayable) when it breaks the spec or the destination's size limit. A held message keeps its wire form,
 * so replaying it after a fix of the rule sends it. Facts are the spec message's, whatever the options changed.
 */
export function outboxMessageFor(row: Pick<InboxRow, 'shop' | 'id' | 'receivedAt'>, checked: CheckedMessage, destination: Destination): OutboxMessage {
  const { message, violation } = checked;
  const base = {
    destination: destination.name, messageId: message.messageId, shop: row.shop, inboxId: row.id, eventName: specEventName(message),
    receivedAt: row.receivedAt, facts: messageFacts(message),
  };
  const adjusted = applyDestinationOptions(checked, destination.options ?? defaultDestinationOptions);
  if (adjusted.kind === 'skip') return settled(base, JSON.stringify(message), 'skipped', adjusted.reason);
  const wire = destination.transform(adjusted.message);
  if (wire.kind === 'skip') return settled(base, JSON.stringify(adjusted.message), 'skipped', wire.reason);
  if (violation !== null) return settled(base, wire.json, 'dead', violation);
  const bytes = Buffer.byteLength(wire.json);
  if (bytes > destination.limits.maxEventBytes) {
    const reason = `event is ${bytes} bytes, over ${destination.name}'s ${destination.limits.maxEventBytes}-byte limit per event`;
    return settled(base, wire.json, 'dead', reason);
  }
  return { ...base, payload: wire.json };
}

function heldForSpec(messages: readonly OutboxMessage[]): InvalidMessage[] {
  return messages.flatMap((m) => (m.initial?.status === 'dead' && isSpecViolation(m.initial.reason) ? [{ destination: m.destination, event: m.eventName, reason: m.initial.reason }] : []));
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
  const origin: MessageOrigin = row.source === 'collector' ? 'browser' : 'shopify';
  const outbox = outboxMessagesFor(row, result.messages, destinations, { order: result.order, origin });
  if (!outbox.ok) return failed(outbox.reason);
  return { kind: 'mapped', outcome: { status: 'done', messages: outbox.messages, ...extra }, ...state, invalid: outbox.invalid };
}

/**
 * Every message for every destination, each checked against its event's spec (see spec/) and the destination's
 * options, or why a destination could not take one.
 */
export function outboxMessagesFor(
  row: Pick<InboxRow, 'shop' | 'id' | 'receivedAt'>, messages: readonly SegmentMessage[], destinations: readonly Destination[],
  about: Pick<OptionInput, 'order' | 'origin'> = { origin: 'shopify' },
): { ok: true; messages: OutboxMessage[]; invalid: InvalidMessage[] } | { ok: false; reason: string } {
  try {
    const rows = messages.flatMap((message) => {
      const checked: CheckedMessage = { message, ...about, violation: specViolation(message, about.origin) };
      return destinations.map((d) => outboxMessageFor(row, checked, d));
    });
    return { ok: true, messages: rows, invalid: heldForSpec(rows) };
  } catch (error) {
    return { ok: false, reason: `destination transform error: ${(error as Error).message}` };
  }
}
