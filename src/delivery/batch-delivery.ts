import type { Destination, SendOutcome, SendResult } from '../destinations/destination.ts';
import type { OutboxRow, OutboxSettlement } from '../store/store.ts';
import { decideRetry, type FailedOutcome, type RetryDecision, type RetryPolicy } from './retry-decision.ts';

/** What became of one row in one delivery pass. */
export type RowResult =
  | { row: OutboxRow; kind: 'delivered' }
  | { row: OutboxRow; kind: 'failed'; decision: RetryDecision; error: string }
  /** Not sent because the destination is paused or rate-limited; rescheduled, not counted as a failure. */
  | { row: OutboxRow; kind: 'held'; until: number; error: string };

/** What a batch delivery needs from the engine: the destination, the policy, and a gate shared by all batches. */
export interface BatchContext {
  destination: Destination;
  policy: RetryPolicy;
  random: () => number;
  now(): number;
  sendTimeoutMs: number;
  /** When set, the destination is paused or rate-limited: send nothing, reschedule at `until`. */
  gate(): { until: number; reason: string } | null;
  closeGate(until: number, reason: string): void;
}

function attemptOf(row: OutboxRow): number {
  // Stores count settled attempts (store contract), so the send in hand is one more.
  return row.attempts + 1;
}

function failedRows(rows: OutboxRow[], outcome: FailedOutcome, context: BatchContext): RowResult[] {
  const now = context.now();
  return rows.map((row) => {
    const decision = decideRetry(outcome, attemptOf(row), context.policy, context.random, now - row.receivedAt);
    return { row, kind: 'failed', decision, error: `${outcome.kind}: ${outcome.reason}` };
  });
}

/** Rows not sent because the gate closed: rescheduled for when it opens, without a dead letter. */
export function heldRows(rows: OutboxRow[], gate: { until: number; reason: string }): RowResult[] {
  const error = `not sent: destination paused until ${new Date(gate.until).toISOString()} (${gate.reason})`;
  return rows.map((row) => ({ row, kind: 'held', until: gate.until, error }));
}

function closeGateFor(outcome: FailedOutcome, results: RowResult[], context: BatchContext): void {
  if (outcome.kind !== 'auth-failed' && outcome.kind !== 'rate-limited') return;
  const delays = results.flatMap((r) => (r.kind === 'failed' && r.decision.kind !== 'dead' ? [r.decision.delayMs] : []));
  if (delays.length === 0) return;
  context.closeGate(context.now() + Math.min(...delays), `${outcome.kind}: ${outcome.reason}`);
}

async function send(rows: OutboxRow[], context: BatchContext): Promise<SendResult> {
  try {
    return await context.destination.send(rows.map((row) => row.payload), AbortSignal.timeout(context.sendTimeoutMs));
  } catch (error) {
    // Destinations should classify instead of throwing; if one throws anyway, the events are kept for a retry.
    return { scope: 'batch', outcome: { kind: 'retryable', reason: `send threw: ${(error as Error).message}` } };
  }
}

function perEventResults(rows: OutboxRow[], outcomes: SendOutcome[], context: BatchContext): RowResult[] {
  return rows.flatMap((row, index): RowResult[] => {
    const outcome: SendOutcome = outcomes[index] ?? { kind: 'retryable', reason: 'destination returned no outcome for this event' };
    if (outcome.kind === 'delivered') return [{ row, kind: 'delivered' }];
    // For one event, "the request was rejected" means this event can never be sent as it is.
    const single: FailedOutcome = outcome.kind === 'batch-rejected' ? { ...outcome, kind: 'permanent' } : outcome;
    return failedRows([row], single, context);
  });
}

/**
 * Sends rows as one request and classifies each row. A rejected batch of several events is split in halves
 * until the bad event is alone, so one malformed event never holds back the others.
 */
export async function deliverRows(rows: OutboxRow[], context: BatchContext): Promise<RowResult[]> {
  const gate = context.gate();
  if (gate) return heldRows(rows, gate);
  const result = await send(rows, context);
  if (result.scope === 'per-event') return perEventResults(rows, result.outcomes, context);
  const { outcome } = result;
  if (outcome.kind === 'delivered') return rows.map((row) => ({ row, kind: 'delivered' }));
  if (outcome.kind === 'batch-rejected' && rows.length > 1) {
    const middle = Math.ceil(rows.length / 2);
    const left = await deliverRows(rows.slice(0, middle), context);
    return [...left, ...(await deliverRows(rows.slice(middle), context))];
  }
  const results = failedRows(rows, outcome, context);
  closeGateFor(outcome, results, context);
  return results;
}

/** The store settlement for one row's result. */
export function settlementFor(result: RowResult, now: number): OutboxSettlement {
  const { row } = result;
  if (result.kind === 'delivered') return { id: row.id, status: 'delivered' };
  if (result.kind === 'held') return { id: row.id, status: 'retry', nextAttemptAt: result.until, error: result.error };
  const { decision } = result;
  if (decision.kind === 'dead') return { id: row.id, status: 'dead', reason: decision.reason };
  return { id: row.id, status: 'retry', nextAttemptAt: now + decision.delayMs, error: result.error };
}
