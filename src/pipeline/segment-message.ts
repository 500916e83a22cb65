/** A Segment spec call as cartstream produces it (https://segment.com/docs/connections/spec/common/). */
export type SegmentCallType = 'track' | 'identify' | 'alias' | 'page';

export interface SegmentMessage {
  type: SegmentCallType;
  /** Deterministic id; see message-id.ts. */
  messageId: string;
  /** ISO-8601 time the fact happened (the order's time, not the time we processed it). */
  timestamp: string;
  userId?: string;
  anonymousId?: string;
  /** track only */
  event?: string;
  properties?: Record<string, unknown>;
  /** identify only */
  traits?: Record<string, unknown>;
  /** alias only */
  previousId?: string;
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
}
