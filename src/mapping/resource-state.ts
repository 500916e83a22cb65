/**
 * Stored resource state: per (shop, kind, resource id) the last state of an order, cart or checkout that the
 * stateful events compare a delivery with (Order Updated, Product Added/Removed, Checkout Abandoned, Post Purchase
 * Upsell), versioned by Shopify's updated_at. The pipeline looks the states of a whole batch up at once, hands each
 * mapper the previous state (MapContext.previous) and writes the next one with the settlement; mappers stay pure.
 */
import type { ResourceKind } from '../store/store.ts';
import type { MapContext, PreviousState, ScheduledWork } from './mapper.ts';

/** The resource a delivery is about, and its version (absent: the delivery reads the state but never writes it). */
export interface StateKeyOf {
  id: string;
  version: number | undefined;
}

/** What a topic reads and writes of its resource's state. */
export interface StateRule {
  kind: ResourceKind;
  keyOf(payload: unknown): StateKeyOf | undefined;
  /**
   * Whether a delivery older than the stored state maps to nothing ("stale"): its events are diffs against the
   * state. Other topics (orders/create) are still mapped; only their state is not written.
   */
  diff: boolean;
  /** The compact state to keep after this delivery; undefined keeps nothing. */
  next?(payload: unknown, previous: PreviousState | undefined, context: MapContext): unknown;
}

/** Jobs a topic schedules or cancels whatever its mapper says (e.g. an order cancels its checkout's abandonment). */
export type TopicJobs = (payload: unknown, context: MapContext) => ScheduledWork[];

export type Json = Record<string, unknown>;

export function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Shopify's updated_at as epoch ms, or undefined when it is absent or not a time. */
export function versionOf(updatedAt: unknown): number | undefined {
  if (typeof updatedAt !== 'string') return undefined;
  const ms = Date.parse(updatedAt);
  return Number.isFinite(ms) ? ms : undefined;
}

/** An id or token as text, or undefined. */
export function idText(value: unknown): string | undefined {
  return (typeof value === 'string' && value !== '') || typeof value === 'number' ? String(value) : undefined;
}

/** The key of a resource its body names by `token` (carts, checkouts), versioned by updated_at. */
export function tokenKeyOf(payload: unknown): StateKeyOf | undefined {
  const body = record(payload);
  const token = idText(body?.token);
  return token === undefined ? undefined : { id: token, version: versionOf(body?.updated_at) };
}

/** Whether a delivery of `version` is older than the stored state. */
export function isStale(version: number | undefined, previous: PreviousState | undefined): boolean {
  return version !== undefined && previous !== undefined && version < previous.version;
}
