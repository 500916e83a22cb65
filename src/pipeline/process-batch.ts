import type { Destination } from '../destinations/destination.ts';
import { browserLinks, serverLinkKeys } from '../identity/identity-links.ts';
import { browserAnonymousId, type CartTrail } from '../mapping/order-identity.ts';
import { linkKeyText } from '../store/settlement-rows.ts';
import type { IdentityLink, InboxRow, LinkKey } from '../store/store.ts';
import type { EventWindows } from '../mapping/mapper.ts';
import { loadStates, mapWithState, stateItemOf, type FindStates, type StateItem } from './batch-states.ts';
import { mapDelivery, parseDelivery, type ParsedDelivery, type ProcessedDelivery } from './process-delivery.ts';

export interface ProcessedRow {
  row: InboxRow;
  result: ProcessedDelivery;
}

/** The store lookup the batch needs: the stored links of some tokens. */
export type FindLinks = (keys: readonly LinkKey[]) => Promise<IdentityLink[]>;

/**
 * How long an order from the storefront waits for the browser event that names its cart when it arrives first
 * (the thank-you page's event is often a second behind the order webhook). 0: never wait.
 */
export interface IdentityWait {
  ms: number;
  now: number;
}

/** What a batch needs besides the identity links: the identity wait, the resource states, the event windows. */
export interface BatchOptions {
  wait?: IdentityWait;
  /** The store lookup of resource states; without it, the stateful topics map as on a first sighting. */
  findStates?: FindStates;
  windows?: EventWindows;
  /** How long a delivery whose mapper asks to retry (see MapResult) is mapped again before it is kept as failed. */
  retryMs?: number;
}

export interface BatchResult {
  processed: ProcessedRow[];
  /** Rows to claim again at `until`, unsettled. */
  deferred: { row: InboxRow; until: number }[];
}

/** A waiting order looks for its link again this often. */
const recheckMs = 1_000;

/** The topics whose Order Completed should carry the browser's id, the reason to wait for it. */
const placementTopics = new Set(['orders/create', 'orders/paid']);

function waitsForBrowser(item: ParsedRow, linked: string | undefined, wait: IdentityWait): number | undefined {
  const until = item.row.receivedAt + wait.ms;
  if (wait.ms <= 0 || until <= wait.now || linked !== undefined || !placementTopics.has(item.row.topic)) return undefined;
  if (!item.parsed.ok || !item.keys.some((key) => key.kind === 'cart')) return undefined;
  // An order whose cart attribute names the browser already has it.
  const trail = item.parsed.payload as CartTrail;
  return browserAnonymousId({ note_attributes: trail.note_attributes }, undefined) === undefined ? Math.min(until, wait.now + recheckMs) : undefined;
}

/** When a delivery that asked to retry is looked at again, or undefined once its time to retry is over. */
function retryUntil(row: InboxRow, retryMs: number, now: number): number | undefined {
  const until = row.receivedAt + retryMs;
  return until > now ? Math.min(until, now + recheckMs) : undefined;
}

interface ParsedRow {
  row: InboxRow;
  parsed: ParsedDelivery;
  /** Server rows: the tokens to look up. Storefront rows: the links they record. */
  keys: LinkKey[];
  links: IdentityLink[];
  /** The resource whose state the row reads and writes. */
  state?: StateItem | undefined;
}

function parseRow(row: InboxRow): ParsedRow {
  const parsed = parseDelivery(row);
  if (!parsed.ok) return { row, parsed, keys: [], links: [] };
  if (row.source === 'collector') {
    const links = browserLinks(row.shop, parsed.payload, row.receivedAt);
    return { row, parsed, keys: links, links };
  }
  return { row, parsed, keys: serverLinkKeys(row.shop, row.topic, parsed.payload), links: [], state: stateItemOf(row, parsed.payload) };
}

/**
 * Maps a claimed batch in inbox order with one store lookup of links and one of resource states for the whole
 * batch: each storefront call records the links of the tokens it carries (the first link of a token is kept, as in
 * the store), and each server event is mapped with the browser anonymousId linked to its cart or checkout and with
 * its resource's state, including links and states from earlier rows of the same batch.
 */
export async function processBatch(
  rows: readonly InboxRow[], destinations: readonly Destination[], findLinks: FindLinks, options: BatchOptions = {},
): Promise<BatchResult> {
  const wait = options.wait ?? { ms: 0, now: 0 };
  const parsed = rows.map(parseRow);
  const keys = new Map(parsed.flatMap((item) => item.keys).map((key) => [linkKeyText(key), key]));
  const known = new Map<string, string>();
  if (keys.size > 0) for (const link of await findLinks([...keys.values()])) known.set(linkKeyText(link), link.anonymousId);
  const states = options.findStates ? await loadStates(parsed.map((item) => item.state), options.findStates) : new Map();
  const windows = options.windows === undefined ? {} : { windows: options.windows };

  const result: BatchResult = { processed: [], deferred: [] };
  const retries: Retry[] = [];
  for (const item of parsed) {
    const { row, parsed: body, keys: tokens, links } = item;
    if (!body.ok) {
      result.processed.push({ row, result: { kind: 'failed', outcome: { status: 'failed', reason: body.reason } } });
    } else if (row.source === 'collector') {
      const fresh = links.filter((link) => !known.has(linkKeyText(link)));
      for (const link of fresh) known.set(linkKeyText(link), link.anonymousId);
      const mapped = mapDelivery(row, body.payload, destinations);
      if (mapped.outcome.status === 'done' && fresh.length > 0) mapped.outcome.links = fresh;
      result.processed.push({ row, result: mapped });
    } else {
      const linked = tokens.map((key) => known.get(linkKeyText(key))).find((id) => id !== undefined);
      const until = waitsForBrowser(item, linked, wait);
      if (until !== undefined) result.deferred.push({ row, until });
      else {
        const map = () => mapWithState(row, body.payload, destinations, { linkedAnonymousId: linked, ...windows }, item.state, states);
        const mapped = map();
        if (mapped.retry === true) retries.push({ row, map });
        else result.processed.push({ row, result: mapped });
      }
    }
  }
  retryAfterBatch(retries, result, options.retryMs ?? 0, wait.now);
  return result;
}

/** A delivery whose mapping asked to retry, and how to map it again. */
interface Retry {
  row: InboxRow;
  map: () => ProcessedDelivery;
}

/** Maps once more after the rest of the batch, whose rows may have brought what was lacking; else later, for a while. */
function retryAfterBatch(retries: readonly Retry[], result: BatchResult, retryMs: number, now: number): void {
  for (const { row, map } of retries) {
    const mapped = map();
    const retryAt = mapped.retry === true ? retryUntil(row, retryMs, now) : undefined;
    if (retryAt !== undefined) result.deferred.push({ row, until: retryAt });
    else result.processed.push({ row, result: mapped });
  }
}
