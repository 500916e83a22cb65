import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { JobWrite } from '../store/store.ts';

/** A resource's state as stored before this delivery (see resource-state.ts). */
export interface PreviousState {
  /** Shopify's updated_at of the stored state, epoch ms. */
  version: number;
  state: unknown;
}

/** How long the stateful events wait (see config-schema.ts, `pipeline`). */
export interface EventWindows {
  /** A cart line counts as added once it stayed this long (Product Added). */
  productAddedMs: number;
  /** A checkout without an order after this long is abandoned (Checkout Abandoned). */
  checkoutAbandonedMs: number;
}

export const defaultEventWindows: EventWindows = { productAddedMs: 10_000, checkoutAbandonedMs: 60 * 60_000 };

/** What a mapper knows besides the payload: where the delivery came from. Never a clock, never I/O. */
export interface MapContext {
  shop: string;
  topic: string;
  webhookId: string;
  apiVersion: string | null;
  triggeredAt: string | null;
  /**
   * The browser's anonymousId that a storefront event linked to this payload's cart or checkout token (looked up
   * by the pipeline before mapping; see identity/identity-links.ts). Absent when no browser event named the token.
   */
  linkedAnonymousId?: string | undefined;
  /** The stored state of the payload's resource (looked up by the pipeline); absent on its first sighting. */
  previous?: PreviousState | undefined;
  /** Epoch ms the delivery was received: scheduled work counts from it. */
  receivedAt?: number;
  windows?: EventWindows;
}

/** Work a mapper asks to run later (or never, `cancel`); the pipeline adds the shop and the delivery's time. */
export type ScheduledWork = Omit<JobWrite, 'shop' | 'receivedAt'>;

/** Besides messages: work for later, and the resource's next state (see resource-state.ts). */
export interface MapEffects {
  jobs?: ScheduledWork[];
  /** The compact state to keep for the payload's resource (else the topic's state rule computes it, if it can). */
  state?: unknown;
}

export type MapResult =
  /** One or more spec messages (messageIds already deterministic). */
  | ({ kind: 'mapped'; messages: SegmentMessage[] } & MapEffects)
  /** Understood, and deliberately produces nothing (e.g. a POS order is not an Order Completed). */
  | ({ kind: 'ignored'; reason: string } & MapEffects)
  /**
   * The payload lacks what the event needs; kept with this reason for the operator. `retry`: what is missing comes
   * with a delivery Shopify sends beside this one (an orders/updated beside its orders/edited), so the pipeline maps
   * it again for a while before keeping it.
   */
  | { kind: 'unmappable'; reason: string; retry?: boolean };

/** A pure function from a parsed Shopify payload to spec messages. */
export type Mapper = (payload: unknown, context: MapContext) => MapResult;
