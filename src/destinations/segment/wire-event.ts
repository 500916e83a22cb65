import type { TransformResult } from '../destination.ts';
import type { SegmentMessage } from '../../pipeline/segment-message.ts';

/** Identifies cartstream as the sending library in every event's context, as Segment's own libraries do. */
export interface LibraryInfo {
  name: string;
  version: string;
}

/** Why Segment would refuse this call outright (it answers 400 for the whole request), or null when it is fine. */
export function segmentRejectionReason(message: SegmentMessage): string | null {
  if (!message.userId && !message.anonymousId) return 'Segment requires a userId or an anonymousId';
  if (message.type === 'track' && !message.event) return 'Segment requires an event name on track calls';
  if (message.type === 'alias' && (!message.previousId || !message.userId)) {
    return 'Segment requires previousId and userId on alias calls';
  }
  if (message.messageId.length === 0 || message.messageId.length > 100) {
    return 'Segment requires a messageId of 1 to 100 characters';
  }
  return null;
}

/** The call's fields in the order Segment documents them; undefined fields are left out by JSON.stringify. */
function wireObject(message: SegmentMessage, library: LibraryInfo): Record<string, unknown> {
  const isTrackLike = message.type === 'track' || message.type === 'page';
  return {
    type: message.type,
    messageId: message.messageId,
    timestamp: message.timestamp,
    userId: message.userId,
    anonymousId: message.anonymousId,
    event: message.type === 'track' ? message.event : undefined,
    previousId: message.type === 'alias' ? message.previousId : undefined,
    properties: isTrackLike ? message.properties : undefined,
    traits: message.type === 'identify' ? message.traits : undefined,
    context: { ...message.context, library },
    integrations: message.integrations,
  };
}

/** A spec message → the JSON Segment's /v1/batch takes for it, or a skip when Segment would reject it. */
export function toSegmentWireEvent(message: SegmentMessage, library: LibraryInfo): TransformResult {
  const rejection = segmentRejectionReason(message);
  if (rejection) return { kind: 'skip', reason: rejection };
  return { kind: 'event', json: JSON.stringify(wireObject(message, library)) };
}
