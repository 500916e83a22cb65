import type { Destination } from '../destinations/destination.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { LtvTiers } from '../profiles/ltv-tier.ts';
import { defaultEventWindows, type EventWindows } from '../mapping/mapper.ts';
import { isStoreBusy, type InboxRow, type InboxSettlement, type ProfileQuery, type ResourceKey, type Store } from '../store/store.ts';
import { carryOutPrivacyRequest, type PrivacyDeps } from '../privacy/carry-out-privacy-request.ts';
import { isPrivacyTopic } from '../privacy/privacy-requests.ts';
import { processBatch } from './process-batch.ts';
import { processJobs } from './process-jobs.ts';

export interface PipelineWorkerOptions {
  store: Store;
  destinations: readonly Destination[];
  worker: string;
  batchSize: number;
  leaseMs: number;
  idleDelayMs: number;
  now: () => number;
  logger: Logger;
  metrics: Metrics;
  /** How long an order from the storefront waits for the browser event naming its cart (see process-batch.ts). */
  identityWaitMs?: number;
  /** Lifetime value tier thresholds for the Identify trait ltvTier (see profiles/ltv-tier.ts). */
  ltvTiers?: LtvTiers;
  /** Product Added debounce and Checkout Abandoned window (config `pipeline`); defaults in mapping/mapper.ts. */
  productAddedAfterMs?: number;
  checkoutAbandonedAfterMs?: number;
  /** Where data requests are exported and which destination files Segment regulations (see privacy/). */
  privacy?: Pick<PrivacyDeps, 'exportDir' | 'regulationsDestination'>;
  /** Called after a batch produced outbox rows, so delivery can start without waiting for its poll. */
  onOutbox?: () => void;
}

export interface PipelineWorker {
  /** Claims, maps and settles one batch; returns how many inbox rows it handled. */
  runOnce(): Promise<number>;
  start(): void;
  /** Wakes an idle worker (new rows were stored). */
  wake(): void;
  /** Finishes the batch in hand, then stops. */
  stop(): Promise<void>;
}

const settleAttempts = 5;

/** How long a delivery waits for a companion delivery's state (an orders/edited for its orders/updated). */
const retryMs = 60_000;

/** Moves stored deliveries from the inbox to the destinations' outboxes, one transaction per batch. */
export function createPipelineWorker(options: PipelineWorkerOptions): PipelineWorker {
  const { store, destinations, logger, metrics } = options;
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  const findStates = (keys: readonly ResourceKey[]) => store.findResourceStates(keys);
  const windows: EventWindows = {
    productAddedMs: options.productAddedAfterMs ?? defaultEventWindows.productAddedMs,
    checkoutAbandonedMs: options.checkoutAbandonedAfterMs ?? defaultEventWindows.checkoutAbandonedMs,
  };

  async function runOnce(): Promise<number> {
    const now = options.now();
    const rows = await store.claimInbox({ worker: options.worker, limit: options.batchSize, leaseMs: options.leaseMs, now });
    if (rows.length > 0) await processInbox(rows, now);
    // After the deliveries in hand: a cart update received just before a Product Added job is due counts for it.
    return rows.length + (await runJobs(now));
  }

  /** Maps and settles claimed inbox rows (privacy requests after the events beside them). */
  async function processInbox(rows: InboxRow[], now: number): Promise<void> {
    const events = rows.filter((row) => !isPrivacyTopic(row.topic));
    const wait = { ms: options.identityWaitMs ?? 0, now };
    const profiles = { find: (query: ProfileQuery) => store.findProfiles(query), ltvTiers: options.ltvTiers };
    const { processed, deferred } = await processBatch(events, destinations, (keys) => store.findIdentityLinks(keys), {
      wait, findStates, windows, profiles, retryMs,
    });
    await settle(processed.map(({ row, result }) => ({ id: row.id, outcome: result.outcome })));
    // Each waits under its own lease, until its wait is over (a later batch may have brought its browser link).
    for (const { row, until } of deferred) await store.deferInbox([row.id], options.worker, until);
    if (deferred.length > 0) metrics.inboxProcessed.inc({ outcome: 'deferred' }, deferred.length);
    // Compliance requests run after the events beside them are written, so a redaction also covers those.
    // Carrying one out twice (a crash before its settle) is harmless.
    for (const row of rows.filter((r) => isPrivacyTopic(r.topic))) {
      const privacy = { exportDir: './data/exports', regulationsDestination: undefined, ...options.privacy };
      const result = await carryOutPrivacyRequest(row, { store, now: options.now, destinations, ...privacy });
      await settle([{ id: row.id, outcome: result.outcome }]);
      processed.push({ row, result });
    }
    for (const { row, result } of processed) {
      metrics.inboxProcessed.inc({ outcome: result.kind });
      for (const { destination, event, reason } of result.invalid ?? []) {
        metrics.messagesInvalid.inc({ destination, event });
        logger.warn({ inboxId: row.id, shop: row.shop, topic: row.topic, destination, reason }, 'message held: it breaks the event spec');
      }
      if (result.outcome.status === 'failed') {
        logger.warn({ inboxId: row.id, shop: row.shop, topic: row.topic, reason: result.outcome.reason }, 'delivery kept as failed');
      }
    }
    if (processed.some(({ result }) => result.kind === 'mapped')) options.onOutbox?.();
  }

  /** Runs the scheduled jobs that are due (Product Added, Checkout Abandoned); returns how many. */
  async function runJobs(now: number): Promise<number> {
    const jobs = await store.claimJobs({ worker: options.worker, limit: options.batchSize, leaseMs: options.leaseMs, now });
    if (jobs.length === 0) return 0;
    const processed = await processJobs(jobs, destinations, findStates);
    await settleWith(() => store.settleJobs(processed.map((p) => p.settlement), options.now()));
    for (const { job, settlement, invalid } of processed) {
      for (const { destination, event, reason } of invalid ?? []) {
        metrics.messagesInvalid.inc({ destination, event });
        logger.warn({ jobId: job.id, shop: job.shop, kind: job.kind, destination, reason }, 'message held: it breaks the event spec');
      }
      if (settlement.outcome.status === 'failed') {
        logger.warn({ jobId: job.id, shop: job.shop, kind: job.kind, reason: settlement.outcome.reason }, 'scheduled job kept as failed');
      }
    }
    if (processed.some((p) => p.kind === 'mapped')) options.onOutbox?.();
    return jobs.length;
  }

  /**
   * The rows stay leased to this worker until settled, so a settle lost to concurrent work (a PostgreSQL deadlock,
   * SQLite's lock) is tried again at once rather than leaving the batch to wait out its lease.
   */
  async function settle(settlements: InboxSettlement[]): Promise<void> {
    await settleWith(() => store.settleInbox(settlements, options.now()));
  }

  async function settleWith(write: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        if (!isStoreBusy(error) || attempt >= settleAttempts) throw error;
        logger.warn({ err: error, attempt }, 'settling a batch met concurrent work; trying again');
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
      }
    }
  }

  function idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, options.idleDelayMs);
      wakeUp = () => { clearTimeout(timer); resolve(); };
    });
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        const handled = await runOnce();
        if (handled < options.batchSize && running) await idle();
        // An embedded store answers synchronously, so without this the loop would never let timers and sockets
        // (the deliveries sharing this thread) run while a backlog lasts.
        else await new Promise((resolve) => setImmediate(resolve));
      } catch (error) {
        logger.error({ err: error }, 'pipeline batch failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  return {
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      wakeUp?.();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
