/** Segment's HTTP Tracking API limits, as its documentation states them. */
export const sinkLimits = {
  maxEventBytes: 32 * 1024,
  maxBatchBytes: 500 * 1024,
  maxBatchEvents: 2500,
  maxMessageIdLength: 100,
} as const;

export const callTypes = ['track', 'identify', 'page', 'screen', 'alias', 'group'] as const;
export type CallType = (typeof callTypes)[number];

/** Why Segment refuses a request, in the `{ code, message }` form its 400 bodies use. */
export interface Rejection {
  code: string;
  message: string;
}

function isCallType(value: unknown): value is CallType {
  return typeof value === 'string' && (callTypes as readonly string[]).includes(value);
}

function hasId(value: unknown): boolean {
  return (typeof value === 'string' && value.length > 0) || typeof value === 'number';
}

function fieldRejection(event: Record<string, unknown>): Rejection | null {
  if (!isCallType(event.type)) return { code: 'invalid_type', message: `type must be one of ${callTypes.join(', ')}` };
  const { messageId } = event;
  // Segment fills in a missing messageId; cartstream always sets one, and the sink counts deliveries by it.
  if (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > sinkLimits.maxMessageIdLength) {
    return { code: 'invalid_message_id', message: 'messageId must be a string of 1 to 100 characters' };
  }
  if (!hasId(event.userId) && !hasId(event.anonymousId)) {
    return { code: 'no_user_anon_id', message: 'userId or anonymousId must be set' };
  }
  if (event.type === 'track' && (typeof event.event !== 'string' || event.event.length === 0)) {
    return { code: 'no_event_name', message: 'track calls must have an event name' };
  }
  if (event.type === 'alias' && !hasId(event.previousId)) return { code: 'no_previous_id', message: 'alias calls must have a previousId' };
  return null;
}

/** Checks one call the way Segment does; `checkSize` is skipped when the whole body is already under 32 KB. */
export function eventRejection(event: unknown, index: number | null, checkSize: boolean): Rejection | null {
  const where = index === null ? 'event' : `batch[${index}]`;
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { code: 'invalid_event', message: `${where} must be an object` };
  }
  const record = event as Record<string, unknown>;
  if (checkSize) {
    const bytes = Buffer.byteLength(JSON.stringify(record));
    if (bytes > sinkLimits.maxEventBytes) return { code: 'event_too_large', message: `${where} is ${bytes} bytes; the limit is 32 KB` };
  }
  const rejection = fieldRejection(record);
  return rejection && { code: rejection.code, message: `${where}: ${rejection.message}` };
}
