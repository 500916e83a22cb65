/**
 * Rows and statements of the reporting queries (accuracy report, customer journey, queue health, per-minute
 * delivery counts), shared by both engines.
 */
import { bytes, inboxSummaryFrom, messageSummaryFrom, nullableText, text, type SqlRow } from './rows.ts';
import type {
  DeliveryMinute,
  JourneyMessage,
  OrderMessage,
  OutboxMessage,
  OutboxStatus,
  QueueHealth,
  ReceivedDelivery,
} from './store.ts';

export const orderMessageColumns =
  'id, destination, message_id, shop, event_name, status, last_error, received_at, order_id, currency, amount_minor';

export const journeyColumns = `id, destination, message_id, shop, event_name, status, attempts, last_error, received_at,
  delivered_at, user_id, anonymous_id, order_id, currency, amount_minor`;

export const deliveryMinuteColumns = 'destination, minute, delivered, retried, dead, latency_ms_sum, latency_ms_max';

/** One statement for QueueHealth, valid in both engines. */
export const queueHealthSql = `
  SELECT 'inbox' AS kind, NULL AS destination, COUNT(*) AS pending, 0 AS retrying, 0 AS dead, MIN(received_at) AS oldest
    FROM inbox WHERE status = 'pending'
  UNION ALL
  SELECT 'outbox' AS kind, destination,
      SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
      SUM(CASE WHEN status = 'pending' AND attempts > 0 THEN 1 ELSE 0 END) AS retrying,
      SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END) AS dead,
      MIN(CASE WHEN status = 'pending' THEN received_at END) AS oldest
    FROM outbox WHERE status IN ('pending', 'dead') GROUP BY destination`;

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function receivedDeliveryFrom(row: SqlRow): ReceivedDelivery {
  const { duplicates: _duplicates, ...summary } = inboxSummaryFrom(row);
  return { ...summary, body: bytes(row.body) };
}

export function orderMessageFrom(row: SqlRow): OrderMessage {
  return {
    id: Number(row.id),
    destination: text(row.destination),
    messageId: text(row.message_id),
    shop: text(row.shop),
    eventName: text(row.event_name),
    status: text(row.status) as OutboxStatus,
    lastError: nullableText(row.last_error),
    receivedAt: Number(row.received_at),
    orderId: nullableText(row.order_id),
    currency: nullableText(row.currency),
    amountMinor: nullableNumber(row.amount_minor),
  };
}

export function journeyMessageFrom(row: SqlRow): JourneyMessage {
  return {
    ...messageSummaryFrom(row),
    userId: nullableText(row.user_id),
    anonymousId: nullableText(row.anonymous_id),
    orderId: nullableText(row.order_id),
    currency: nullableText(row.currency),
    amountMinor: nullableNumber(row.amount_minor),
  };
}

export function queueHealthFrom(rows: SqlRow[]): QueueHealth {
  const health: QueueHealth = { inbox: { pending: 0, oldestReceivedAt: null }, destinations: [] };
  for (const row of rows) {
    const oldestReceivedAt = nullableNumber(row.oldest);
    if (row.kind === 'inbox') health.inbox = { pending: Number(row.pending), oldestReceivedAt };
    else health.destinations.push({ destination: text(row.destination), pending: Number(row.pending), retrying: Number(row.retrying), dead: Number(row.dead), oldestReceivedAt });
  }
  health.destinations.sort((a, b) => a.destination.localeCompare(b.destination));
  return health;
}

export function deliveryMinuteFrom(row: SqlRow): DeliveryMinute {
  return {
    destination: text(row.destination),
    minute: Number(row.minute),
    delivered: Number(row.delivered),
    retried: Number(row.retried),
    dead: Number(row.dead),
    latencyMsSum: Number(row.latency_ms_sum),
    latencyMsMax: Number(row.latency_ms_max),
  };
}

/** The start (epoch ms) of the minute `now` falls in. */
export function minuteOf(now: number): number {
  return now - (now % 60_000);
}

/** A settled outbox row as the UPDATE returned it: its new status (a retry is 'pending' again). */
export interface SettledRow {
  destination: string;
  status: OutboxStatus;
  receivedAt: number;
}

/** What the rows settled at `now` add to their destinations' minute. */
export function minuteTallies(settled: readonly SettledRow[], now: number): DeliveryMinute[] {
  const byDestination = new Map<string, DeliveryMinute>();
  for (const { destination, status, receivedAt } of settled) {
    const tally = byDestination.get(destination)
      ?? { destination, minute: minuteOf(now), delivered: 0, retried: 0, dead: 0, latencyMsSum: 0, latencyMsMax: 0 };
    byDestination.set(destination, tally);
    if (status === 'dead') tally.dead += 1;
    else if (status === 'pending') tally.retried += 1;
    else if (status === 'delivered') {
      const latency = Math.max(0, now - receivedAt);
      tally.delivered += 1;
      tally.latencyMsSum += latency;
      tally.latencyMsMax = Math.max(tally.latencyMsMax, latency);
    }
  }
  return [...byDestination.values()];
}

/** The fact columns of an outbox row (user_id, anonymous_id, order_id, currency, amount_minor), null when absent. */
export function factColumns(message: OutboxMessage): [string | null, string | null, string | null, string | null, number | null] {
  const facts = message.facts ?? {};
  return [facts.userId ?? null, facts.anonymousId ?? null, facts.orderId ?? null, facts.money?.currency ?? null, facts.money?.minor ?? null];
}
