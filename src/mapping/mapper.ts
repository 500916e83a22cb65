import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { CustomerProfile } from '../profiles/customer-profile.ts';
import type { LtvTiers } from '../profiles/ltv-tier.ts';
import type { JobWrite } from '../store/store.ts';

/** The profile of the customer a payload is about, as looked up by the pipeline (see profiles/profile-book.ts). */
export interface ProfileView {
  /** The traits stored before this payload (customers/update sends only the traits that changed since). */
  before: Pick<CustomerProfile, 'traits'>;
  /** With this payload's order or refund counted (lifetime value and purchase count for the Identify). */
  after: CustomerProfile;
}
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
  /** The profile of the customer the payload names (or whose order a refund names); absent when none is known. */
  profile?: ProfileView | undefined;
  /** Lifetime value tier thresholds (settings; defaultLtvTiers when absent). */
  ltvTiers?: LtvTiers | undefined;
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

/** What a destination's order options filter on (see destinations/destination-options.ts), as the order says it. */
export interface OrderFacets {
  /** The sales channel. */
  sourceName: string;
  tags: string[];
  /** payment_gateway_names */
  gateways: string[];
  /** The customer's email (their record's, else the order's), so every message of the order gets one email_md5 userId. */
  email?: string;
}

export type MapResult =
  /**
   * One or more spec messages (messageIds already deterministic); `order` when they are all about one order, so a
   * destination's options can leave them out together.
   */
  | ({ kind: 'mapped'; messages: SegmentMessage[]; order?: OrderFacets } & MapEffects)
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
