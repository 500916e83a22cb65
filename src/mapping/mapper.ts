import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { CustomerProfile } from '../profiles/customer-profile.ts';
import type { LtvTiers } from '../profiles/ltv-tier.ts';

/** The profile of the customer a payload is about, as looked up by the pipeline (see profiles/profile-book.ts). */
export interface ProfileView {
  /** The traits stored before this payload (customers/update sends only the traits that changed since). */
  before: Pick<CustomerProfile, 'traits'>;
  /** With this payload's order or refund counted (lifetime value and purchase count for the Identify). */
  after: CustomerProfile;
}

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
}

export type MapResult =
  /** One or more spec messages (messageIds already deterministic). */
  | { kind: 'mapped'; messages: SegmentMessage[] }
  /** Understood, and deliberately produces nothing (e.g. a POS order is not an Order Completed). */
  | { kind: 'ignored'; reason: string }
  /** The payload lacks what the event needs; kept with this reason for the operator. */
  | { kind: 'unmappable'; reason: string };

/** A pure function from a parsed Shopify payload to spec messages. */
export type Mapper = (payload: unknown, context: MapContext) => MapResult;
