import { messageIdFor } from '../pipeline/message-id.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { SpecEvent } from './event-names.ts';
import { integrationContext } from './message-context.ts';

export interface TrackInput {
  event: SpecEvent;
  shop: string;
  /** The Shopify resource the event is about (an order id, a refund id, a checkout token, …). */
  resource: string;
  /** Set when one resource yields this event more than once (e.g. each update of a customer). */
  version?: string;
  timestamp: string;
  userId?: string | undefined;
  anonymousId?: string | undefined;
  properties: Record<string, unknown>;
  context?: Record<string, unknown>;
}

/** A track call with its deterministic messageId (the event's idKind + shop + resource + version). */
export function trackMessage(input: TrackInput): SegmentMessage {
  const { shop, resource, version } = input;
  return {
    type: 'track',
    event: input.event.name,
    messageId: messageIdFor({ shop, kind: input.event.idKind, resource, version }),
    timestamp: input.timestamp,
    ...(input.userId === undefined ? {} : { userId: input.userId }),
    ...(input.anonymousId === undefined ? {} : { anonymousId: input.anonymousId }),
    properties: input.properties,
    context: input.context ?? integrationContext(),
  };
}
