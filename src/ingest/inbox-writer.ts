import { isStoreBusy, type InboxDelivery, type InsertResult, type Store } from '../store/store.ts';

interface Pending {
  delivery: InboxDelivery;
  resolve: (result: InsertResult) => void;
  reject: (error: unknown) => void;
}

export interface InboxWriter {
  /** Resolves once the delivery is durably stored (or found to be a duplicate). */
  write(delivery: InboxDelivery): Promise<InsertResult>;
  /** Waits for every queued write to finish. */
  drain(): Promise<void>;
}

export interface InboxWriterOptions {
  maxBatch?: number;
  /** How long a batch keeps retrying while another connection holds the store's write lock. */
  busyRetryForMs?: number;
}

const busyRetryDelayMs = 1;

/**
 * Group commit: deliveries that arrive while a transaction is being written wait and go into the next one, so a
 * burst of webhooks costs one commit (one fsync) per batch instead of one per request — each request is still
 * answered only after its own row is durable. When the processing thread holds SQLite's write lock, the batch is
 * retried a millisecond later instead of blocking the event loop, and grows meanwhile.
 */
export function createInboxWriter(store: Store, options: InboxWriterOptions = {}): InboxWriter {
  const maxBatch = options.maxBatch ?? 500;
  const busyRetryForMs = options.busyRetryForMs ?? 5_000;
  let queue: Pending[] = [];
  let flushing: Promise<void> | null = null;

  async function insertRetryingWhileBusy(batch: Pending[]): Promise<InsertResult[]> {
    const giveUpAt = performance.now() + busyRetryForMs;
    for (;;) {
      try {
        return await store.insertInbox(batch.map((p) => p.delivery));
      } catch (error) {
        if (!isStoreBusy(error) || performance.now() > giveUpAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, busyRetryDelayMs));
      }
    }
  }

  async function flushLoop(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await insertRetryingWhileBusy(batch);
        batch.forEach((p, i) => p.resolve(results[i] ?? 'stored'));
      } catch (error) {
        batch.forEach((p) => p.reject(error));
      }
    }
    flushing = null;
  }

  function write(delivery: InboxDelivery): Promise<InsertResult> {
    return new Promise((resolve, reject) => {
      queue.push({ delivery, resolve, reject });
      // Wait one macrotask so requests parsed in the same turn of the event loop share the commit.
      flushing ??= new Promise((done) => setImmediate(done)).then(flushLoop);
    });
  }

  return { write, drain: async () => void (await flushing) };
}
