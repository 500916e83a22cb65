import type { Destination } from '../destinations/destination.ts';
import type { OutboxRow, Store } from '../store/store.ts';
import { deliverRows, settlementFor, type BatchContext, type RowResult } from './batch-delivery.ts';
import { packBatches, tooLargeReason } from './batcher.ts';
import { defaultRetryPolicy, type RetryDecision, type RetryPolicy } from './retry-decision.ts';

/** The store methods delivery needs. */
export type DeliveryStore = Pick<Store, 'claimOutbox' | 'settleOutbox' | 'expediteRetries'>;

/** A pino logger fits; so does a test double. */
export interface DeliveryLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface DeliveryEngineOptions {
  store: DeliveryStore;
  destination: Destination;
  /** Identifies this process in claims (leases). */
  worker: string;
  clock: { now(): number };
  random: () => number;
  policy?: RetryPolicy;
  logger?: DeliveryLogger;
  /** After rows were settled as delivered, with the time of settling. */
  onDelivered?: (rows: OutboxRow[], now: number) => void;
  /** After a row's send failed, with what was decided (retry, dead letter or pause). */
  onFailed?: (row: OutboxRow, decision: RetryDecision, now: number) => void;
  /** Rows claimed per runOnce (default: two full batches). */
  batchLimit?: number;
  /** Send loops start() runs, so up to this many batches are in flight (default 4). */
  concurrency?: number;
  /** A claim is a lease; a crashed worker's rows are sent again after this (default 2 min). */
  leaseMs?: number;
  /** How long a loop waits when nothing is due (default 200 ms); wake() cuts it short. */
  idleDelayMs?: number;
  /** Upper bound for one send, on top of the destination's own timeout (default 60 s). */
  sendTimeoutMs?: number;
  /** Wait after an unexpected error before trying again (default 1 s). */
  errorDelayMs?: number;
}

export interface DeliveryEngine {
  /** Claims due rows, sends them in batches and settles each row; returns how many rows it claimed. */
  runOnce(): Promise<number>;
  start(): void;
  /** Ends idle waits early (new rows were written to the outbox). */
  wake(): void;
  /** Lets in-flight sends finish and settle, then resolves. */
  stop(): Promise<void>;
  /** Until when the destination is paused (auth failure or rate limit), or null. */
  pausedUntil(): number | null;
}

interface Gate {
  until: number;
  reason: string;
}

function tooLargeResults(options: DeliveryEngineOptions, rows: { row: OutboxRow; bytes: number }[]): RowResult[] {
  const { destination } = options;
  return rows.map(({ row, bytes }) => ({
    row, kind: 'failed', error: 'too large to send',
    decision: { kind: 'dead', reason: tooLargeReason(destination.name, bytes, destination.limits) },
  }));
}

/** Delivers one destination's outbox: batching, retries with backoff, Retry-After, pauses and dead letters. */
export function createDeliveryEngine(options: DeliveryEngineOptions): DeliveryEngine {
  const { store, destination, clock } = options;
  const logger = options.logger;
  const batchLimit = options.batchLimit ?? destination.limits.maxBatchEvents * 2;
  const leaseMs = options.leaseMs ?? 120_000;
  let gate: Gate | null = null;
  // Whether rows may be backing off from an outage (true at start: an earlier process may have left some).
  let outage = true;

  const context: BatchContext = {
    destination, policy: options.policy ?? defaultRetryPolicy, random: options.random,
    now: () => clock.now(), sendTimeoutMs: options.sendTimeoutMs ?? 60_000,
    gate: () => (gate && gate.until > clock.now() ? gate : null),
    closeGate(until, reason) {
      if (gate && gate.until >= until) return;
      gate = { until, reason };
      logger?.warn({ destination: destination.name, reason, pausedForMs: until - clock.now() }, 'destination paused');
    },
  };

  async function settle(results: RowResult[]): Promise<void> {
    if (results.length === 0) return;
    const now = clock.now();
    await store.settleOutbox(results.map((result) => settlementFor(result, now)), now);
    report(results, now);
  }

  function report(results: RowResult[], now: number): void {
    const delivered = results.flatMap((result) => (result.kind === 'delivered' ? [result.row] : []));
    if (delivered.length > 0) options.onDelivered?.(delivered, now);
    const failed = results.flatMap((result) => (result.kind === 'failed' ? [result] : []));
    for (const result of failed) options.onFailed?.(result.row, result.decision, now);
    let dead = 0;
    for (const { row, decision } of failed) {
      if (decision.kind !== 'dead') continue;
      dead += 1;
      logger?.warn({ destination: destination.name, outboxId: row.id, messageId: row.messageId, reason: decision.reason }, 'message dead-lettered');
    }
    const retried = failed.length - dead;
    if (retried > 0) logger?.info({ destination: destination.name, count: retried, error: failed[0]?.error }, 'delivery failed; will retry');
  }

  /**
   * A batch that failed whole (every row to retry) marks an outage; the first batch delivered after it makes the
   * rows backing off due now, so the backlog drains as fast as the destination takes it, not as backoffs expire.
   * Called before the batch is settled, so a row of this very batch that failed keeps its backoff.
   */
  async function afterSend(results: RowResult[]): Promise<void> {
    if (results.length > 0 && results.every((result) => result.kind !== 'delivered' && (result.kind === 'held' || result.decision.kind !== 'dead'))) {
      outage = true;
      return;
    }
    if (!outage || !results.some((result) => result.kind === 'delivered')) return;
    try {
      const count = await store.expediteRetries(destination.name, clock.now());
      outage = false;
      if (count > 0) logger?.info({ destination: destination.name, count }, 'destination answers again: its backlog is retried now');
    } catch (error) {
      // Never in the way of settling what was just sent: the next delivered batch tries again.
      logger?.warn({ err: error, destination: destination.name }, 'could not bring the backlog forward');
    }
  }

  async function runOnce(): Promise<number> {
    const now = clock.now();
    if (context.gate()) return 0;
    const rows = await store.claimOutbox(destination.name, { worker: options.worker, limit: batchLimit, leaseMs, now });
    if (rows.length === 0) return 0;
    const { batches, tooLarge } = packBatches(rows, destination.limits);
    await settle(tooLargeResults(options, tooLarge));
    for (const batch of batches) {
      const results = await deliverRows(batch, context);
      await afterSend(results);
      await settle(results);
    }
    return rows.length;
  }

  return { runOnce, pausedUntil: () => context.gate()?.until ?? null, ...createLoops(options, runOnce, batchLimit) };
}

/** start/wake/stop: `concurrency` loops around runOnce that idle when nothing is due and never throw. */
function createLoops(options: DeliveryEngineOptions, runOnce: () => Promise<number>, batchLimit: number) {
  const wakers = new Set<() => void>();
  let running = false;
  let loops: Promise<void>[] = [];

  function idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); wakers.delete(done); resolve(); };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });
  }

  async function loop(): Promise<void> {
    while (running) {
      try {
        const claimed = await runOnce();
        if (claimed < batchLimit && running) await idle(options.idleDelayMs ?? 200);
      } catch (error) {
        options.logger?.error({ err: error, destination: options.destination.name }, 'delivery run failed; retrying');
        if (running) await idle(options.errorDelayMs ?? 1000);
      }
    }
  }

  const wake = () => [...wakers].forEach((done) => done());
  return {
    wake,
    start() {
      if (running) return;
      running = true;
      loops = Array.from({ length: options.concurrency ?? 4 }, () => loop());
    },
    async stop() {
      running = false;
      wake();
      await Promise.all(loops);
    },
  };
}
