/**
 * Carries out a stored compliance webhook. Idempotent, because a crash can make the pipeline run one again: the
 * redaction and the Segment regulation it queues commit in one transaction with the request's own body redacted
 * last, so a second run finds a redacted request and has nothing left to do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Destination, ForgetSubject } from '../destinations/destination.ts';
import { messageIdFor } from '../pipeline/message-id.ts';
import type { ProcessedDelivery } from '../pipeline/process-delivery.ts';
import { parseDelivery } from '../pipeline/process-delivery.ts';
import { profileSummary, type ProfileSummary } from '../reporting/profile-summary.ts';
import { redactedPayload, type InboxRow, type OutboxMessage, type Store } from '../store/store.ts';
import { findCustomerData, shopPeople, type CustomerData } from './find-customer-data.ts';
import { isPrivacyTopic, readPrivacyRequest, type PrivacySubject } from './privacy-requests.ts';
import { regulationBody } from '../destinations/segment-regulations/index.ts';

export interface PrivacyDeps {
  store: Store;
  now: () => number;
  /** Where customers/data_request exports are written (one JSON file per request). */
  exportDir: string;
  /** The destination that files Segment regulations (SUPPRESS_WITH_DELETE), when a Public API token is configured. */
  regulationsDestination: string | undefined;
  /** Destinations that keep rows cartstream can delete (the warehouse). */
  destinations: readonly Destination[];
}

function done(note: string): ProcessedDelivery {
  return { kind: 'ignored', outcome: { status: 'done', messages: [], note } };
}

function failed(reason: string): ProcessedDelivery {
  return { kind: 'failed', outcome: { status: 'failed', reason } };
}

/** The Segment regulation for the customer's userId (the Shopify customer id), as a durable outbox message. */
function regulationMessage(row: InboxRow, subject: PrivacySubject, destination: string | undefined): OutboxMessage[] {
  if (destination === undefined || subject.customerId === undefined) return [];
  return [{
    destination,
    messageId: messageIdFor({ shop: row.shop, kind: 'segment-regulation', resource: subject.customerId }),
    shop: row.shop,
    inboxId: row.id,
    eventName: 'SUPPRESS_WITH_DELETE',
    payload: regulationBody([subject.customerId]),
    receivedAt: row.receivedAt,
  }];
}

/** The customer's ids: the request's, and the userIds of their messages. */
function customerIdsOf(subject: PrivacySubject, data: CustomerData): string[] {
  return [...new Set([...(subject.customerId ? [subject.customerId] : []), ...data.userIds])];
}

/** The customer's profiles in this shop (see profiles/), as the admin API shows them. */
type ExportedProfile = ProfileSummary & { customerId: string };

async function shopProfiles(store: Store, shop: string, customerIds: readonly string[]): Promise<ExportedProfile[]> {
  const profiles: ExportedProfile[] = [];
  for (const customerId of customerIds) {
    const records = await store.customerProfile(customerId);
    const known = [...records.traits, ...records.orders, ...records.anonymousIds].some((r) => r.shop === shop);
    if (known) profiles.push({ customerId, ...profileSummary(records, { shop, customerId }) });
  }
  return profiles;
}

/** The export a customers/data_request asks for: every delivery, message and profile held about the customer. */
function exportDocument(row: InboxRow, dataRequestId: string, data: CustomerData & { profiles: ExportedProfile[] }, now: number): string {
  const json = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  return JSON.stringify({
    shop: row.shop,
    dataRequestId,
    exportedAt: new Date(now).toISOString(),
    deliveries: data.deliveries.map((d) => ({
      id: d.id, source: d.source, topic: d.topic, receivedAt: new Date(d.receivedAt).toISOString(), body: json(d.body.toString('utf8')),
    })),
    messages: data.messages.map((m) => ({ destination: m.destination, messageId: m.messageId, status: m.status, payload: json(m.payload) })),
    anonymousIds: data.anonymousIds,
    profiles: data.profiles,
  }, null, 2);
}

async function forgetEverywhere(destinations: readonly Destination[], people: ForgetSubject): Promise<number> {
  let deleted = 0;
  for (const destination of destinations) if (destination.forget) deleted += await destination.forget(people);
  return deleted;
}

function safeFileName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_');
}

export async function carryOutPrivacyRequest(row: InboxRow, deps: PrivacyDeps): Promise<ProcessedDelivery> {
  if (!isPrivacyTopic(row.topic)) return failed(`${row.topic} is not a privacy topic`);
  if (row.body.toString('utf8') === redactedPayload) return done(`${row.topic}: carried out already`);
  const body = parseDelivery(row);
  if (!body.ok) return failed(body.reason);
  const read = readPrivacyRequest(row.topic, body.payload);
  if (!read.ok) return failed(read.reason);
  const { request } = read;

  if (request.kind === 'redact-shop') {
    // The warehouse's rows carry no shop: forget everyone the shop's messages named, then the shop's rows.
    let warehouseRows = 0;
    for await (const people of shopPeople(deps.store, row.shop)) warehouseRows += await forgetEverywhere(deps.destinations, people);
    const deleted = await deps.store.forgetShop(row.shop);
    return done(`shop/redact: ${deleted} stored rows and ${warehouseRows} warehouse rows of the shop deleted`);
  }
  const data = await findCustomerData(deps.store, row.shop, request.subject, row.id);
  if (request.kind === 'export-customer') {
    const dir = join(deps.exportDir, safeFileName(row.shop));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `customer-data-request-${safeFileName(request.dataRequestId)}.json`);
    const profiles = await shopProfiles(deps.store, row.shop, customerIdsOf(request.subject, data));
    writeFileSync(file, exportDocument(row, request.dataRequestId, { ...data, profiles }, deps.now()), { mode: 0o600 });
    return done(`customers/data_request: ${data.deliveries.length} deliveries, ${data.messages.length} messages and ${profiles.length} profiles exported to ${file}`);
  }
  // The warehouse first: should it fail, the request stays pending and everything runs again.
  const userIds = customerIdsOf(request.subject, data);
  const warehouseRows = await forgetEverywhere(deps.destinations, { userIds, anonymousIds: data.anonymousIds });
  const queued = regulationMessage(row, request.subject, deps.regulationsDestination);
  const counts = await deps.store.redact({
    shop: row.shop,
    inboxIds: [...data.deliveries.map((d) => d.id), row.id],
    outboxIds: data.messages.map((m) => m.id),
    anonymousIds: data.anonymousIds,
    customerIds: userIds,
    reason: 'redacted by customers/redact before it was sent',
    enqueue: queued,
  }, deps.now());
  const regulation = queued.length > 0 ? '; Segment SUPPRESS_WITH_DELETE queued' : '';
  return done(`customers/redact: ${counts.inbox - 1} deliveries, ${counts.outbox} messages, ${counts.links} identity links, ${counts.profiles} profile rows and ${warehouseRows} warehouse rows redacted${regulation}`);
}
