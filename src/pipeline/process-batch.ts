import type { Destination } from '../destinations/destination.ts';
import { browserLinks, serverLinkKeys } from '../identity/identity-links.ts';
import { linkKeyText } from '../store/settlement-rows.ts';
import type { IdentityLink, InboxRow, LinkKey } from '../store/store.ts';
import { mapDelivery, parseDelivery, type ParsedDelivery, type ProcessedDelivery } from './process-delivery.ts';

export interface ProcessedRow {
  row: InboxRow;
  result: ProcessedDelivery;
}

/** The store lookup the batch needs: the stored links of some tokens. */
export type FindLinks = (keys: readonly LinkKey[]) => Promise<IdentityLink[]>;

interface ParsedRow {
  row: InboxRow;
  parsed: ParsedDelivery;
  /** Server rows: the tokens to look up. Storefront rows: the links they record. */
  keys: LinkKey[];
  links: IdentityLink[];
}

function parseRow(row: InboxRow): ParsedRow {
  const parsed = parseDelivery(row);
  if (!parsed.ok) return { row, parsed, keys: [], links: [] };
  if (row.source === 'collector') {
    const links = browserLinks(row.shop, parsed.payload, row.receivedAt);
    return { row, parsed, keys: links, links };
  }
  return { row, parsed, keys: serverLinkKeys(row.shop, row.topic, parsed.payload), links: [] };
}

/**
 * Maps a claimed batch in inbox order with one store lookup for the whole batch: each storefront call records the
 * links of the tokens it carries (the first link of a token is kept, as in the store), and each server event is
 * mapped with the browser anonymousId linked to its cart or checkout, including links from earlier rows of the
 * same batch.
 */
export async function processBatch(rows: readonly InboxRow[], destinations: readonly Destination[], findLinks: FindLinks): Promise<ProcessedRow[]> {
  const parsed = rows.map(parseRow);
  const keys = new Map(parsed.flatMap((item) => item.keys).map((key) => [linkKeyText(key), key]));
  const known = new Map<string, string>();
  if (keys.size > 0) for (const link of await findLinks([...keys.values()])) known.set(linkKeyText(link), link.anonymousId);

  return parsed.map(({ row, parsed: body, keys: tokens, links }) => {
    if (!body.ok) return { row, result: { kind: 'failed', outcome: { status: 'failed', reason: body.reason } } };
    if (row.source === 'collector') {
      const fresh = links.filter((link) => !known.has(linkKeyText(link)));
      for (const link of fresh) known.set(linkKeyText(link), link.anonymousId);
      const result = mapDelivery(row, body.payload, destinations);
      if (result.outcome.status === 'done' && fresh.length > 0) result.outcome.links = fresh;
      return { row, result };
    }
    const linked = tokens.map((key) => known.get(linkKeyText(key))).find((id) => id !== undefined);
    return { row, result: mapDelivery(row, body.payload, destinations, linked) };
  });
}
