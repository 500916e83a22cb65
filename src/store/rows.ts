import type {
  DeadLetter,
  IdentityLink,
  InboxRow,
  InboxSource,
  InboxStatus,
  InboxSummary,
  MessageSummary,
  OutboxRow,
  OutboxStatus,
  StoreCounts,
  StoredMessage,
} from './store.ts';

/** A result row as either driver returns it: snake_case columns; numbers may arrive as strings (pg int8). */
export type SqlRow = Record<string, unknown>;

export function text(value: unknown): string {
  return String(value);
}

export function nullableText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** SQLite hands back a Uint8Array and pg a Buffer; both become a Buffer over the same bytes (no copy). */
export function bytes(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new Error(`expected bytes, got ${typeof value}`);
}

/** SQLite stores headers as JSON text; pg has already parsed the JSONB. */
function headers(value: unknown): Record<string, string> {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, string>;
}

export function inboxRowFrom(row: SqlRow): InboxRow {
  return {
    id: Number(row.id),
    shop: text(row.shop),
    source: text(row.source) as InboxSource,
    topic: text(row.topic),
    webhookId: text(row.webhook_id),
    eventId: nullableText(row.event_id),
    triggeredAt: nullableText(row.triggered_at),
    apiVersion: nullableText(row.api_version),
    headers: headers(row.headers),
    body: bytes(row.body),
    receivedAt: Number(row.received_at),
    attempts: Number(row.attempts),
  };
}

export function outboxRowFrom(row: SqlRow): OutboxRow {
  return {
    id: Number(row.id),
    destination: text(row.destination),
    messageId: text(row.message_id),
    shop: text(row.shop),
    inboxId: Number(row.inbox_id),
    eventName: text(row.event_name),
    payload: text(row.payload),
    receivedAt: Number(row.received_at),
    attempts: Number(row.attempts),
  };
}

export function inboxSummaryFrom(row: SqlRow): InboxSummary {
  return {
    id: Number(row.id),
    shop: text(row.shop),
    topic: text(row.topic),
    webhookId: text(row.webhook_id),
    status: text(row.status) as InboxStatus,
    reason: nullableText(row.reason),
    duplicates: Number(row.duplicates),
    receivedAt: Number(row.received_at),
  };
}

export function deadLetterFrom(row: SqlRow): DeadLetter {
  return {
    id: Number(row.id),
    destination: text(row.destination),
    messageId: text(row.message_id),
    shop: text(row.shop),
    eventName: text(row.event_name),
    reason: text(row.last_error ?? ''),
    attempts: Number(row.attempts),
    payload: text(row.payload),
  };
}

export function storedMessageFrom(row: SqlRow): StoredMessage {
  return {
    id: Number(row.id),
    destination: text(row.destination),
    messageId: text(row.message_id),
    inboxId: Number(row.inbox_id),
    status: text(row.status) as OutboxStatus,
    payload: text(row.payload),
  };
}

export function identityLinkFrom(row: SqlRow): IdentityLink {
  return {
    shop: text(row.shop),
    kind: row.token_kind === 'checkout' ? 'checkout' : 'cart',
    token: text(row.token),
    anonymousId: text(row.anonymous_id),
    linkedAt: Number(row.linked_at),
  };
}

export function messageSummaryFrom(row: SqlRow): MessageSummary {
  return {
    id: Number(row.id),
    destination: text(row.destination),
    messageId: text(row.message_id),
    shop: text(row.shop),
    eventName: text(row.event_name),
    status: text(row.status) as OutboxStatus,
    attempts: Number(row.attempts),
    lastError: nullableText(row.last_error),
    receivedAt: Number(row.received_at),
    deliveredAt: row.delivered_at === null || row.delivered_at === undefined ? null : Number(row.delivered_at),
  };
}

/** Claims come back from UPDATE … RETURNING in no particular order; callers expect the longest-waiting first. */
export function inClaimOrder(rows: SqlRow[]): SqlRow[] {
  const due = (row: SqlRow): number => Number(row.next_attempt_at ?? 0);
  return rows.sort((a, b) => due(a) - due(b) || Number(a.id) - Number(b.id));
}

/** One statement (so one snapshot) for StoreCounts, valid in both engines; fold its rows with countsFrom. */
export const countsSql = `
  SELECT 'inbox' AS kind, status, COUNT(*) AS n FROM inbox GROUP BY status
  UNION ALL SELECT 'outbox' AS kind, status, COUNT(*) AS n FROM outbox GROUP BY status
  UNION ALL SELECT 'duplicates' AS kind, NULL AS status, COALESCE(SUM(duplicates), 0) AS n
    FROM inbox WHERE duplicates > 0`;

export function countsFrom(rows: SqlRow[]): StoreCounts {
  const counts: StoreCounts = {
    inbox: { pending: 0, done: 0, failed: 0 },
    duplicates: 0,
    outbox: { pending: 0, delivered: 0, dead: 0, skipped: 0 },
  };
  for (const { kind, status, n } of rows) {
    if (kind === 'duplicates') counts.duplicates = Number(n);
    else if (kind === 'inbox' && isKey(counts.inbox, status)) counts.inbox[status] = Number(n);
    else if (kind === 'outbox' && isKey(counts.outbox, status)) counts.outbox[status] = Number(n);
  }
  return counts;
}

function isKey<K extends string>(record: Record<K, number>, key: unknown): key is K {
  return typeof key === 'string' && Object.hasOwn(record, key);
}
