import type { SegmentMessage } from '../pipeline/segment-message.ts';

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
  | { kind: 'mapped'; messages: SegmentMessage[]; order?: OrderFacets }
  /** Understood, and deliberately produces nothing (e.g. a POS order is not an Order Completed). */
  | { kind: 'ignored'; reason: string }
  /** The payload lacks what the event needs; kept with this reason for the operator. */
  | { kind: 'unmappable'; reason: string };

/** A pure function from a parsed Shopify payload to spec messages. */
export type Mapper = (payload: unknown, context: MapContext) => MapResult;
