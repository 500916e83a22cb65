import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { DestinationOptions } from './destination-options.ts';

/** Size limits a destination's API enforces; the delivery engine batches within them. */
export interface DestinationLimits {
  maxBatchEvents: number;
  maxBatchBytes: number;
  maxEventBytes: number;
}

/** The wire form of one event, serialized once at mapping time and stored in the outbox. */
export type TransformResult =
  | { kind: 'event'; json: string }
  | { kind: 'skip'; reason: string };

/**
 * How one send went, for one event or for the whole batch. Destinations classify; only the delivery engine
 * decides retries, backoff and dead letters (delivery/retry-decision.ts).
 */
export type SendOutcome =
  | { kind: 'delivered' }
  /** Network error, timeout, 408, 5xx: try again later. */
  | { kind: 'retryable'; reason: string; status?: number }
  /** 429 or a rate-limit code: try again after retryAfterMs when the API said so. */
  | { kind: 'rate-limited'; reason: string; retryAfterMs?: number; status?: number }
  /** The API rejected the request as a whole (e.g. Segment's 400): the engine splits the batch to find the bad event. */
  | { kind: 'batch-rejected'; reason: string; status?: number }
  /** This event can never succeed as it is. */
  | { kind: 'permanent'; reason: string; status?: number }
  /** Credentials are wrong: pause the destination instead of burning retries. */
  | { kind: 'auth-failed'; reason: string; status?: number };

export type SendResult =
  | { scope: 'batch'; outcome: SendOutcome }
  | { scope: 'per-event'; outcomes: SendOutcome[] };

export interface Destination {
  /** Stable name used as the outbox key, e.g. 'segment'. */
  readonly name: string;
  readonly limits: DestinationLimits;
  /** Which orders it hears of, its userId, negative refunds (destination-options.ts); absent: the defaults. */
  readonly options?: DestinationOptions;
  /** Pure: a spec message → this destination's wire event, or a skip with the reason. */
  transform(message: SegmentMessage): TransformResult;
  /** Sends already-transformed events (each the JSON from transform) as one request. */
  send(events: string[], signal: AbortSignal): Promise<SendResult>;
  /** Releases what send opened (e.g. a database connection); called once when processing stops. */
  close?(): Promise<void>;
  /**
   * For destinations that keep what they receive where cartstream can reach it (the warehouse): deletes every row
   * about these people (privacy: customers/redact); returns how many. Throws when it could not, so the request is
   * tried again.
   */
  forget?(subject: ForgetSubject): Promise<number>;
}

/** The people a privacy request removes: their userIds and every anonymousId their events carried. */
export interface ForgetSubject {
  userIds: readonly string[];
  anonymousIds: readonly string[];
}
