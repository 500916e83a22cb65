import { messageIdFor } from '../pipeline/message-id.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { integrationContext } from './message-context.ts';
import { browserAnonymousId, type CartTrail } from './order-identity.ts';

export interface AliasInput {
  shop: string;
  trail: CartTrail;
  /** The storefront link of the trail's cart or checkout token (MapContext.linkedAnonymousId). */
  linked: string | undefined;
  userId: string | undefined;
  /** When the two ids met: the checkout's or order's time. */
  timestamp: string;
}

/**
 * Alias the shopper's browser anonymousId to the customer id when a checkout or order first shows them together.
 * The messageId is the pair's, so however many events show the pair, each destination gets one Alias. Ids that
 * cartstream derived itself are never aliased: no browser ever used them.
 */
export function browserAlias(input: AliasInput): SegmentMessage[] {
  const previousId = browserAnonymousId(input.trail, input.linked);
  if (previousId === undefined || input.userId === undefined || previousId === input.userId) return [];
  return [{
    type: 'alias',
    messageId: messageIdFor({ shop: input.shop, kind: 'alias', resource: previousId, version: input.userId }),
    timestamp: input.timestamp,
    userId: input.userId,
    previousId,
    context: integrationContext(),
  }];
}
