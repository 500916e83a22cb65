import type { ForgetSubject, SendOutcome, SendResult } from '../destination.ts';

/** Writes batches of stored warehouse events into one database; opens its connection on first use. */
export interface WarehouseWriter {
  /** One transaction per batch; never throws (every failure is an outcome). `loadedAt` fills received_at / sent_at. */
  write(payloads: readonly string[], loadedAt: string): Promise<SendResult>;
  /** Deletes every row about these people (privacy), in one transaction; returns how many. Throws on failure. */
  forget(subject: ForgetSubject): Promise<number>;
  close(): Promise<void>;
}

export const delivered: SendOutcome = { kind: 'delivered' };

export function permanent(reason: string): SendOutcome {
  return { kind: 'permanent', reason };
}

/** Outcomes in the batch's order, so the engine settles each outbox row on its own. */
export function perEvent(outcomes: SendOutcome[]): SendResult {
  return { scope: 'per-event', outcomes };
}
