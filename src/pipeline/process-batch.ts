import type { Destination } from '../destinations/destination.ts';
import { browserLinks, serverLinkKeys } from '../identity/identity-links.ts';
import { browserAnonymousId, type CartTrail } from '../mapping/order-identity.ts';
import { linkKeyText } from '../store/settlement-rows.ts';
import type { LtvTiers } from '../profiles/ltv-tier.ts';
import { profileBook, profileQueryOf, type ProfileBook } from '../profiles/profile-book.ts';
import { profileChangesOf, type ProfileChanges } from '../profiles/profile-changes.ts';
import type { IdentityLink, InboxRow, LinkKey, ProfileQuery, ProfileRecords } from '../store/store.ts';
import type { EventWindows } from '../mapping/mapper.ts';
import { loadStates, mapWithState, stateItemOf, type FindStates, type KnownStates, type StateItem } from './batch-states.ts';
import { mapDelivery, parseDelivery, type MapInputs, type ParsedDelivery, type ProcessedDelivery } from './process-delivery.ts';

export interface ProcessedRow {
  row: InboxRow;
  result: ProcessedDelivery;
}

/** The store lookup the batch needs: the stored links of some tokens. */
export type FindLinks = (keys: readonly LinkKey[]) => Promise<IdentityLink[]>;

/**
 * The customer profiles (see profiles/): the store lookup, and the LTV tier thresholds the Identify traits use.
 * Without it, nothing is written to the profile store and mappers read lifetime value from the customer record.
 */
export interface ProfileLookup {
  find: (query: ProfileQuery) => Promise<ProfileRecords>;
  ltvTiers?: LtvTiers | undefined;
}

/**
 * How long an order from the storefront waits for the browser event that names its cart when it arrives first
 * (the thank-you page's event is often a second behind the order webhook). 0: never wait.
 */
export interface IdentityWait {
  ms: number;
  now: number;
}

/** What a batch needs besides the identity links: the identity wait, resource states, event windows, profiles. */
export interface BatchOptions {
  wait?: IdentityWait;
  /** The store lookup of resource states; without it, the stateful topics map as on a first sighting. */
  findStates?: FindStates;
  windows?: EventWindows;
  profiles?: ProfileLookup;
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
  /** Server rows: what they change in their customer's profile. */
  profile?: ProfileChanges | undefined;
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
  const profile = profileChangesOf(row.shop, row.topic, parsed.payload);
  const state = stateItemOf(row, parsed.payload);
  return { row, parsed, keys: serverLinkKeys(row.shop, row.topic, parsed.payload), links: [], profile, state };
}

/** The anonymousIds the customer's mapped messages carried, added to the row's profile changes. */
function withAnonymousIds(changes: ProfileChanges, mapped: ProcessedDelivery, customer: { shop: string; customerId: string }): ProfileChanges {
  if (mapped.outcome.status !== 'done') return changes;
  const ids = new Set(mapped.outcome.messages.filter((m) => m.facts?.userId === customer.customerId).map((m) => m.facts?.anonymousId));
  const anonymousIds = [...ids].filter((id) => id !== undefined).map((anonymousId) => ({ ...customer, anonymousId }));
  return { ...changes, records: { ...changes.records, anonymousIds: [...changes.records.anonymousIds, ...anonymousIds] } };
}

interface BatchProfiles {
  book: ProfileBook;
  ltvTiers: LtvTiers | undefined;
}

/** What the batch looked up, for mapping its server rows. */
interface LookedUp {
  links: Map<string, string>;
  profiles: BatchProfiles | undefined;
  states: KnownStates;
}

/**
 * Maps a server row with its browser link, its resource's state and its customer's profile as the rows before it
 * left them; a row that is settled done writes its profile changes (with the anonymousIds its messages carried) and
 * counts them for the rows after it.
 */
function mapServerRow(item: ParsedRow, payload: unknown, destinations: readonly Destination[], inputs: MapInputs, lookedUp: LookedUp): ProcessedDelivery {
  const { profiles } = lookedUp;
  const view = profiles?.book.view(item.profile);
  const mapped = mapWithState(item.row, payload, destinations, { ...inputs, profile: view, ltvTiers: profiles?.ltvTiers }, item.state, lookedUp.states);
  if (profiles === undefined || item.profile === undefined || mapped.outcome.status !== 'done') return mapped;
  const changes = view === undefined ? item.profile : withAnonymousIds(item.profile, mapped, view.after);
  mapped.outcome.profile = changes.records;
  profiles.book.apply(changes);
  return mapped;
}

/** The batch's stored links, profiles and resource states, looked up at once (one lookup each for the whole batch). */
async function lookUp(parsed: readonly ParsedRow[], findLinks: FindLinks, options: BatchOptions): Promise<LookedUp> {
  const { profiles, findStates } = options;
  const keys = new Map(parsed.flatMap((item) => item.keys).map((key) => [linkKeyText(key), key]));
  const query = profileQueryOf(parsed.map((item) => item.profile));
  const wantsProfiles = profiles !== undefined && query.customers.length + query.orders.length > 0;
  const [links, records, states] = await Promise.all([
    keys.size > 0 ? findLinks([...keys.values()]) : [],
    wantsProfiles ? profiles.find(query) : { traits: [], orders: [], refunds: [], anonymousIds: [] },
    findStates ? loadStates(parsed.map((item) => item.state), findStates) : new Map(),
  ]);
  return {
    links: new Map(links.map((link) => [linkKeyText(link), link.anonymousId])),
    profiles: profiles === undefined ? undefined : { book: profileBook(records), ltvTiers: profiles.ltvTiers },
    states,
  };
}

/**
 * Maps a claimed batch in inbox order with one store lookup each (links, profiles, resource states) for the whole
 * batch: each storefront call records the links of the tokens it carries (the first link of a token is kept, as in
 * the store), and each server event is mapped with the browser anonymousId linked to its cart or checkout, its
 * resource's state and its customer's profile, including what earlier rows of the same batch recorded.
 */
export async function processBatch(
  rows: readonly InboxRow[], destinations: readonly Destination[], findLinks: FindLinks, options: BatchOptions = {},
): Promise<BatchResult> {
  const wait = options.wait ?? { ms: 0, now: 0 };
  const parsed = rows.map(parseRow);
  const lookedUp = await lookUp(parsed, findLinks, options);
  const known = lookedUp.links;
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
        const map = () => mapServerRow(item, body.payload, destinations, { linkedAnonymousId: linked, ...windows }, lookedUp);
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
