import { z } from 'zod';
import { messageIdFor } from '../pipeline/message-id.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { bareToken } from '../identity/identity-links.ts';
import { specEvents } from './event-names.ts';
import type { MapContext, Mapper, MapResult } from './mapper.ts';
import type { TopicEntry } from './topic-mappers.ts';

/** An id as Segment accepts it; analytics.js sends `userId: null` for a visitor it does not know yet. */
const id = z.union([z.string().min(1), z.number()]).transform(String).nullish();
const json = z.record(z.string(), z.unknown()).nullish();
const time = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date-time').nullish();

const common = {
  messageId: z.string().min(1).max(100),
  userId: id,
  anonymousId: id,
  timestamp: time,
  /** Stamped by the collector; the fallback for a call that sent no timestamp, as Segment does. */
  receivedAt: time,
  context: json,
  integrations: json,
};

/** A stored collector call, validated the way Segment validates a call (src/local-sink/validate-event.ts). */
const collectorEvent = z
  .discriminatedUnion('type', [
    z.object({ ...common, type: z.literal('track'), event: z.string().min(1), properties: json }),
    z.object({ ...common, type: z.literal('page'), name: z.string().nullish(), category: z.string().nullish(), properties: json }),
    z.object({ ...common, type: z.literal('identify'), traits: json }),
    z.object({ ...common, type: z.literal('alias'), previousId: z.union([z.string().min(1), z.number()]).transform(String) }),
  ])
  .refine((call) => call.userId || call.anonymousId, { message: 'userId or anonymousId is required', path: ['userId'] })
  .refine((call) => call.timestamp || call.receivedAt, { message: 'timestamp or receivedAt is required', path: ['timestamp'] });

type CollectorEvent = z.infer<typeof collectorEvent>;

function reasonFrom(error: z.ZodError): string {
  const issues = error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`);
  return `invalid collector event: ${issues.join('; ')}`;
}

/** SegmentMessage has no page `name`/`category`; Segment's spec also reads them from properties, so they go there. */
function pageProperties(call: Extract<CollectorEvent, { type: 'page' }>): Record<string, unknown> | undefined {
  const named = { ...(call.name ? { name: call.name } : {}), ...(call.category ? { category: call.category } : {}) };
  if (!call.properties && Object.keys(named).length === 0) return undefined;
  return { ...named, ...call.properties };
}

/** The fields of each call type, leaving out what the call did not carry. */
function typeFields(call: CollectorEvent): Partial<SegmentMessage> {
  switch (call.type) {
    case 'track': return { event: call.event, ...(call.properties ? { properties: call.properties } : {}) };
    case 'page': { const properties = pageProperties(call); return properties ? { properties } : {}; }
    case 'identify': return call.traits ? { traits: call.traits } : {};
    case 'alias': return { previousId: call.previousId };
  }
}

/**
 * Browser events that report a fact the checkout webhooks also report, by the spec event's id kind. Keyed by the
 * checkout token, they take the server's messageId, so whichever arrives first is the one every destination gets
 * (TikTok's InitiateCheckout and AddPaymentInfo are not counted twice).
 */
const checkoutFacts: ReadonlyMap<string, string> = new Map(
  [specEvents.checkoutStarted, specEvents.paymentInfoEntered].map((event) => [event.name, event.idKind]),
);

/** Step events are such facts per step: the pixel numbers steps as the server does (1 contact, 2 shipping, 3 payment). */
const stepFacts: ReadonlyMap<string, string> = new Map(
  [specEvents.checkoutStepViewed, specEvents.checkoutStepCompleted].map((event) => [event.name, event.idKind]),
);

/** The server's messageId for the checkout fact a browser track call reports, if it reports one. */
function sharedCheckoutMessageId(call: Extract<CollectorEvent, { type: 'track' }>, shop: string): string | undefined {
  const token = bareToken(call.properties?.checkout_id ?? call.properties?.checkout_token);
  if (token === undefined) return undefined;
  const kind = checkoutFacts.get(call.event);
  if (kind !== undefined) return messageIdFor({ shop, kind, resource: token });
  const stepKind = stepFacts.get(call.event);
  const step = call.properties?.step;
  if (stepKind === undefined || (step !== 1 && step !== 2 && step !== 3)) return undefined;
  return messageIdFor({ shop, kind: stepKind, resource: token, version: `step ${step}` });
}

/** The call's messageId: the server's for a checkout fact it shares, else the browser's, namespaced by shop. */
function collectorMessageId(call: CollectorEvent, shop: string): string {
  const shared = call.type === 'track' ? sharedCheckoutMessageId(call, shop) : undefined;
  // Namespaced by shop: two shops' browsers may send the same messageId, and the outbox keeps one row per id.
  return shared ?? messageIdFor({ shop, kind: 'collector', resource: call.messageId });
}

function messageFrom(call: CollectorEvent, shop: string): SegmentMessage {
  return {
    type: call.type,
    messageId: collectorMessageId(call, shop),
    timestamp: new Date((call.timestamp ?? call.receivedAt) as string).toISOString(),
    ...(call.userId ? { userId: call.userId } : {}),
    ...(call.anonymousId ? { anonymousId: call.anonymousId } : {}),
    ...typeFields(call),
    ...(call.context ? { context: call.context } : {}),
    ...(call.integrations ? { integrations: call.integrations } : {}),
  };
}

/** A call the collector stored (topic `collector/<type>`) → the same call as a spec message, or why it cannot be. */
export const mapCollectorEvent: Mapper = (payload: unknown, context: MapContext): MapResult => {
  const parsed = collectorEvent.safeParse(payload);
  if (!parsed.success) return { kind: 'unmappable', reason: reasonFrom(parsed.error) };
  if (context.topic !== `collector/${parsed.data.type}`) {
    return { kind: 'unmappable', reason: `a ${parsed.data.type} call stored under topic ${context.topic}` };
  }
  return { kind: 'mapped', messages: [messageFrom(parsed.data, context.shop)] };
};

/**
 * The collector's rows of the topic table, for topic-mappers.ts. Track event names come from the browser, so no
 * spec events are listed.
 */
export const collectorTopicMappers: readonly (readonly [string, TopicEntry])[] = (['track', 'page', 'identify', 'alias'] as const)
  .map((type) => [`collector/${type}`, { mapper: mapCollectorEvent, events: [] }] as const);
