import type { InboxDelivery } from '../store/store.ts';
import { derivedMessageId } from './event-message-id.ts';
import { nestsDeeperThan } from './json-nesting.ts';
import { checkSourceKey } from './source-key.ts';

/** Segment's call types; each is stored under the topic `collector/<type>`. */
export const collectorCallTypes = ['track', 'page', 'identify', 'alias', 'screen', 'group'] as const;
export type CollectorCallType = (typeof collectorCallTypes)[number];

/** The last path segment of each Segment HTTP API endpoint cartstream answers (short and long names). */
export const collectorEndpoints: Readonly<Record<string, CollectorCallType | 'batch'>> = {
  batch: 'batch', t: 'track', track: 'track', p: 'page', page: 'page', i: 'identify', identify: 'identify', a: 'alias', alias: 'alias',
};

/** What arrived, already stripped of transport details. */
export interface CollectorRequest {
  endpoint: CollectorCallType | 'batch';
  body: Buffer;
  authorization: string | undefined;
  /** The client's address, after trusted-proxy resolution. */
  ip: string;
  userAgent: string | undefined;
  origin: string | undefined;
}

export interface CollectorIntakeSettings {
  shop: string;
  sourceKey: string;
  maxEventBytes: number;
  /** Epoch ms. */
  receivedAt: number;
}

/** Intake returns a result and never throws: deliveries to store, or why the request is refused. */
export type CollectorIntakeResult =
  | { kind: 'accepted'; deliveries: InboxDelivery[] }
  | { kind: 'rejected'; status: 400 | 401; error: string };

type JsonObject = Record<string, unknown>;

/** Thrown only inside this module to stop at the first bad event; turned into a 400 result below. */
class BadEvent extends Error {}

const maxMessageIdLength = 100;
/** Far deeper than any analytics call; deep enough nesting would overflow the stack when the call is copied. */
const maxNesting = 64;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(body: Buffer): JsonObject | null {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function isCallType(value: unknown): value is CollectorCallType {
  return typeof value === 'string' && (collectorCallTypes as readonly string[]).includes(value);
}

/** The calls of a request: Segment applies a batch's `context`, `integrations` and `sentAt` to each of its calls. */
function callsOf(endpoint: CollectorRequest['endpoint'], body: JsonObject): { where: string; event: JsonObject }[] {
  const { writeKey: _key, ...rest } = body;
  if (endpoint !== 'batch') return [{ where: 'event', event: { ...rest, type: endpoint } }];
  const { batch, context, integrations, sentAt } = rest;
  if (!Array.isArray(batch) || batch.length === 0) throw new BadEvent('batch must be a non-empty array of calls');
  return batch.map((event: unknown, index) => {
    const where = `batch[${index}]`;
    if (!isObject(event)) throw new BadEvent(`${where} must be an object`);
    const { writeKey: _eventKey, ...call } = event;
    const merged: JsonObject = { ...call, sentAt: call.sentAt ?? sentAt };
    if (isObject(context)) merged.context = { ...context, ...(isObject(call.context) ? call.context : {}) };
    if (isObject(integrations)) merged.integrations = { ...integrations, ...(isObject(call.integrations) ? call.integrations : {}) };
    return { where, event: merged };
  });
}

function checkedMessageId(where: string, event: JsonObject): string {
  const { messageId } = event;
  if (messageId === undefined || messageId === null) return derivedMessageId(event);
  if (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > maxMessageIdLength) {
    throw new BadEvent(`${where}: messageId must be a string of 1 to ${maxMessageIdLength} characters`);
  }
  return messageId;
}

/** The call as stored: its messageId, the client's ip and user agent (unless it sent its own), and receivedAt. */
function enriched(where: string, event: JsonObject, request: CollectorRequest, receivedAt: number): JsonObject {
  if (!isCallType(event.type)) throw new BadEvent(`${where}: type must be one of ${collectorCallTypes.join(', ')}`);
  if (event.context !== undefined && !isObject(event.context)) throw new BadEvent(`${where}: context must be an object`);
  const context: JsonObject = { ...event.context };
  context.ip ??= request.ip;
  if (request.userAgent !== undefined) context.userAgent ??= request.userAgent;
  const messageId = checkedMessageId(where, event);
  return { ...event, messageId, context, receivedAt: new Date(receivedAt).toISOString() };
}

function deliveryFor(event: JsonObject, body: Buffer, request: CollectorRequest, settings: CollectorIntakeSettings): InboxDelivery {
  const messageId = event.messageId as string;
  return {
    shop: settings.shop,
    source: 'collector',
    topic: `collector/${event.type as CollectorCallType}`,
    webhookId: `collector:${messageId}`,
    eventId: messageId,
    triggeredAt: typeof event.timestamp === 'string' ? event.timestamp : null,
    apiVersion: null,
    headers: request.origin === undefined ? {} : { origin: request.origin },
    body,
    receivedAt: settings.receivedAt,
  };
}

function deliveriesOf(request: CollectorRequest, body: JsonObject, settings: CollectorIntakeSettings): InboxDelivery[] {
  return callsOf(request.endpoint, body).map(({ where, event }) => {
    const stored = enriched(where, event, request, settings.receivedAt);
    const bytes = Buffer.from(JSON.stringify(stored));
    if (bytes.length > settings.maxEventBytes) {
      throw new BadEvent(`${where} is ${bytes.length} bytes; the limit is ${settings.maxEventBytes} bytes per event`);
    }
    return deliveryFor(stored, bytes, request, settings);
  });
}

/**
 * Checks a Segment HTTP API request and turns each of its calls into one inbox delivery. All or nothing: one bad
 * call refuses the request (as Segment answers 400 for an oversized event), so a client never has to guess which
 * calls were kept.
 */
export function readCollectorRequest(request: CollectorRequest, settings: CollectorIntakeSettings): CollectorIntakeResult {
  if (nestsDeeperThan(request.body, maxNesting)) return { kind: 'rejected', status: 400, error: `body nests deeper than ${maxNesting} levels` };
  const body = parseObject(request.body);
  if (!body) return { kind: 'rejected', status: 400, error: 'body must be a JSON object' };
  const key = checkSourceKey(request.authorization, body.writeKey, settings.sourceKey);
  if (key !== 'valid') return { kind: 'rejected', status: 401, error: key === 'missing' ? 'missing source key' : 'invalid source key' };
  try {
    return { kind: 'accepted', deliveries: deliveriesOf(request, body, settings) };
  } catch (error) {
    if (error instanceof BadEvent) return { kind: 'rejected', status: 400, error: error.message };
    throw error;
  }
}
