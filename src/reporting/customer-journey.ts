import type { JourneyMessage, OutboxStatus } from '../store/store.ts';
import { formatMinor } from './money-text.ts';

/** One message of the journey with where it stands at each destination. */
export interface JourneyStep {
  messageId: string;
  eventName: string;
  shop: string;
  receivedAt: number;
  userId: string | null;
  anonymousId: string | null;
  orderId: string | null;
  /** "42.50 EUR" when the message carries a total. */
  total: string | null;
  destinations: { destination: string; status: OutboxStatus; lastError: string | null; deliveredAt: number | null }[];
}

export interface CustomerJourney {
  /** The browser ids joined to the customer through their messages. */
  anonymousIds: string[];
  steps: JourneyStep[];
}

/** Folds the per-destination rows (oldest first) into one step per message, keeping their order. */
export function customerJourney(rows: readonly JourneyMessage[]): CustomerJourney {
  const steps = new Map<string, JourneyStep>();
  for (const row of rows) {
    const key = JSON.stringify([row.shop, row.messageId]);
    const step = steps.get(key) ?? {
      messageId: row.messageId, eventName: row.eventName, shop: row.shop, receivedAt: row.receivedAt, userId: row.userId,
      anonymousId: row.anonymousId, orderId: row.orderId,
      total: row.currency !== null && row.amountMinor !== null ? `${formatMinor(row.amountMinor, row.currency)} ${row.currency}` : null,
      destinations: [],
    };
    steps.set(key, step);
    step.destinations.push({ destination: row.destination, status: row.status, lastError: row.lastError, deliveredAt: row.deliveredAt });
  }
  const anonymousIds = [...new Set(rows.flatMap((row) => (row.anonymousId === null ? [] : [row.anonymousId])))];
  return { anonymousIds, steps: [...steps.values()] };
}
