import { parseJsonExact } from '../shopify/parse-json-exact.ts';
import type { InboxRow, Store, StoredMessage } from '../store/store.ts';
import { mentionsEmail, messageIds, webhookIsAbout } from './customer-match.ts';
import type { PrivacySubject } from './privacy-requests.ts';

/** Rows per scan page: bounded memory however large the shop's history. */
const pageSize = 500;

export interface CustomerData {
  /** Deliveries about the customer (webhooks, and storefront calls of the customer's browser), in id order. */
  deliveries: InboxRow[];
  messages: StoredMessage[];
  /** The anonymousIds the customer's messages carry: their browser's, and those cartstream derived for them. */
  anonymousIds: string[];
  /** The userIds the customer's messages carry. */
  userIds: string[];
}

function parsed(body: Buffer): unknown {
  try {
    return parseJsonExact(body);
  } catch {
    return undefined;
  }
}

async function* pages<T extends { id: number }>(scan: (afterId: number) => Promise<T[]>): AsyncGenerator<T> {
  let afterId = 0;
  for (;;) {
    const page = await scan(afterId);
    yield* page;
    if (page.length < pageSize) return;
    afterId = page.at(-1)!.id;
  }
}

/**
 * Everything a shop's store holds about one customer, except the request itself (`requestId`). Two passes: the
 * webhooks and messages that name the customer give the anonymousIds they were known by, and the storefront calls
 * made under those ids are theirs too.
 */
export async function findCustomerData(store: Store, shop: string, subject: PrivacySubject, requestId: number): Promise<CustomerData> {
  const deliveries = new Map<number, InboxRow>();
  /** Storefront call ids by anonymousId, kept until the messages tell whose ids they are (ids only: bounded memory). */
  const browserCalls = new Map<string, number[]>();
  for await (const row of pages((after) => store.scanInbox(shop, after, pageSize))) {
    if (row.id === requestId) continue;
    const body = parsed(row.body);
    const text = row.body.toString('utf8');
    if (row.source === 'collector') {
      const ids = messageIds(body);
      if (mentionsEmail(text, subject) || (ids.userId !== undefined && ids.userId === subject.customerId)) deliveries.set(row.id, row);
      else for (const id of ids.anonymousIds) browserCalls.set(id, [...(browserCalls.get(id) ?? []), row.id]);
    } else if (webhookIsAbout(row.topic, body, text, subject)) {
      deliveries.set(row.id, row);
    }
  }

  const messages = new Map<number, StoredMessage>();
  const anonymousIds = new Set<string>();
  const userIds = new Set<string>();
  const belongsToDeliveries = (message: StoredMessage, ids: ReturnType<typeof messageIds>): boolean =>
    deliveries.has(message.inboxId) || mentionsEmail(message.payload, subject) || (ids.userId !== undefined && ids.userId === subject.customerId);
  for await (const message of pages((after) => store.scanOutbox(shop, after, pageSize))) {
    const ids = messageIds(parsed(Buffer.from(message.payload)));
    if (!belongsToDeliveries(message, ids)) continue;
    messages.set(message.id, message);
    for (const id of ids.anonymousIds) anonymousIds.add(id);
    if (ids.userId !== undefined) userIds.add(ids.userId);
  }

  // The storefront calls made under the customer's ids, and the messages they produced.
  const calls = new Set([...anonymousIds].flatMap((id) => browserCalls.get(id) ?? []));
  if (calls.size > 0) {
    for await (const row of pages((after) => store.scanInbox(shop, after, pageSize))) if (calls.has(row.id)) deliveries.set(row.id, row);
    for await (const message of pages((after) => store.scanOutbox(shop, after, pageSize))) if (calls.has(message.inboxId)) messages.set(message.id, message);
  }
  return {
    deliveries: [...deliveries.values()].sort((a, b) => a.id - b.id),
    messages: [...messages.values()].sort((a, b) => a.id - b.id),
    anonymousIds: [...anonymousIds].sort(),
    userIds: [...userIds].sort(),
  };
}

/** The userIds and anonymousIds a shop's messages carry (shop/redact), a page of messages at a time. */
export async function* shopPeople(store: Store, shop: string): AsyncGenerator<{ userIds: string[]; anonymousIds: string[] }> {
  let afterId = 0;
  for (;;) {
    const page = await store.scanOutbox(shop, afterId, pageSize);
    const userIds = new Set<string>();
    const anonymousIds = new Set<string>();
    for (const message of page) {
      const ids = messageIds(parsed(Buffer.from(message.payload)));
      if (ids.userId !== undefined) userIds.add(ids.userId);
      for (const id of ids.anonymousIds) anonymousIds.add(id);
    }
    if (userIds.size + anonymousIds.size > 0) yield { userIds: [...userIds], anonymousIds: [...anonymousIds] };
    if (page.length < pageSize) return;
    afterId = page.at(-1)!.id;
  }
}
