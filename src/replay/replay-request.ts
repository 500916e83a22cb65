/**
 * What an operator may ask to replay, from the CLI or the admin API, and which stored messages that means. A replay
 * sends messages again with their messageIds, so Segment and TikTok drop what they already have and the warehouse
 * writes nothing twice.
 */
import type { CartstreamConfig } from '../config/config-schema.ts';
import { segmentRegulationsName } from '../destinations/segment-regulations/index.ts';
import type { ReplayCount, ReplaySelection } from '../store/store.ts';

/** A replay as asked for; times are epoch ms. */
export interface ReplayRequest {
  destination: string;
  since?: number;
  until?: number;
  orderIds?: string[];
  /** Dead-letter (outbox) ids. */
  ids?: number[];
}

export type ReplayField = 'until' | 'orderIds' | 'ids';

export type ReplayPlan = { ok: true; selection: ReplaySelection } | { ok: false; field: ReplayField; problem: string };

/**
 * Without a window or orders a replay is of dead letters (all of the destination, or the given ids), as it always
 * was; a window or order ids select every delivered or dead message in them.
 */
export function replaySelection(request: ReplayRequest): ReplayPlan {
  const { destination, since, until, orderIds, ids } = request;
  if (since !== undefined && until !== undefined && since >= until) return { ok: false, field: 'until', problem: 'must be later than since' };
  if (orderIds?.length === 0) return { ok: false, field: 'orderIds', problem: 'name at least one order id' };
  const narrowed = since !== undefined || until !== undefined || orderIds !== undefined;
  if (ids !== undefined && narrowed) {
    return { ok: false, field: 'ids', problem: 'picks dead letters by id; leave out since, until and the order ids' };
  }
  const selection: ReplaySelection = { destination, include: narrowed ? 'settled' : 'dead' };
  if (since !== undefined) selection.since = since;
  if (until !== undefined) selection.until = until;
  if (orderIds !== undefined) selection.orderIds = orderIds;
  if (ids !== undefined) selection.ids = ids;
  return { ok: true, selection };
}

/** The names of the destinations this config delivers to: the only ones a replay can reach. */
export function configuredDestinations(config: CartstreamConfig): string[] {
  const { segment, tiktok, warehouse } = config.destinations;
  const named: [string, unknown][] = [
    ['segment', segment], ['tiktok', tiktok], ['warehouse', warehouse], [segmentRegulationsName, config.privacy.segmentPublicApi],
  ];
  return named.filter(([, settings]) => settings !== undefined).map(([name]) => name);
}

/** Why `destination` cannot be replayed to, or null when it is configured. */
export function unknownDestination(destination: string, configured: readonly string[]): string | null {
  if (configured.includes(destination)) return null;
  if (configured.length === 0) return `no destination is configured, so nothing can be replayed to "${destination}"`;
  return `no destination "${destination}" is configured (configured: ${configured.join(', ')})`;
}

function windowText(since: number | undefined, until: number | undefined): string {
  const iso = (epochMs: number) => new Date(epochMs).toISOString();
  if (since !== undefined && until !== undefined) return ` received from ${iso(since)} to ${iso(until)}`;
  if (since !== undefined) return ` received since ${iso(since)}`;
  return until === undefined ? '' : ` received before ${iso(until)}`;
}

/** "delivered or dead segment messages received from … to … about orders 1, 2" or "dead letters #4, #7 of segment". */
export function describeSelection(selection: ReplaySelection): string {
  const { destination, orderIds, ids } = selection;
  if (selection.include === 'dead') return `dead letters ${ids ? `${ids.map((id) => `#${id}`).join(', ')} ` : ''}of ${destination}`;
  const orders = orderIds ? ` about order${orderIds.length > 1 ? 's' : ''} ${orderIds.join(', ')}` : '';
  return `delivered or dead ${destination} messages${windowText(selection.since, selection.until)}${orders}`;
}

/** How long a destination drops a repeated messageId (hours); the warehouse drops it forever. */
const dedupHours: Record<string, number> = { segment: 24, tiktok: 48 };

/**
 * A caution when the selection may hold delivered messages older than the destination's deduplication window:
 * those it did receive then are counted a second time, which is only right when it lost them.
 */
export function dedupNote(selection: ReplaySelection, now: number): string | null {
  const hours = dedupHours[selection.destination];
  if (hours === undefined || selection.include === 'dead') return null;
  if (selection.since !== undefined && selection.since >= now - hours * 3_600_000) return null;
  return `note: ${selection.destination} drops a repeated messageId only within about ${hours} hours: `
    + 'delivered messages older than that which it did keep will be counted twice';
}

/** "  Order Completed  12" lines, names padded to one width. */
export function eventCountLines(count: ReplayCount): string[] {
  const width = Math.max(0, ...count.byEvent.map((e) => e.eventName.length));
  return count.byEvent.map((e) => `  ${e.eventName.padEnd(width)}  ${e.count}`);
}
