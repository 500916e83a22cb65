import { setTimeout as sleep } from 'node:timers/promises';
import { progressBar } from '../backfill/progress.ts';
import type { Store } from '../store/store.ts';

/** Where the messages of one replay stand. */
export interface ReplayProgress {
  total: number;
  delivered: number;
  dead: number;
  /** Skipped since (a privacy redaction) or deleted (shop/redact): settled without being sent. */
  dropped: number;
}

export function settledCount(progress: ReplayProgress): number {
  return progress.delivered + progress.dead + progress.dropped;
}

/** "[###···]  50% 6/12 settled: 5 delivered, 1 dead" */
export function replayProgressLine(progress: ReplayProgress, width = 30): string {
  const settled = settledCount(progress);
  const dropped = progress.dropped > 0 ? `, ${progress.dropped} skipped or deleted` : '';
  const counts = `${settled}/${progress.total} settled: ${progress.delivered} delivered, ${progress.dead} dead${dropped}`;
  return progress.total === 0 ? counts : `${progressBar(settled, progress.total, width)} ${counts}`;
}

export interface FollowOptions {
  /** Called with the first reading and again whenever the counts change. */
  onProgress: (progress: ReplayProgress) => void;
  /** Time between readings (default 500 ms). */
  pollMs?: number;
  /** Ids per query, so each reading of a large replay is a few short statements (default 1,000). */
  chunk?: number;
  /** Stops following (the messages stay queued); the promise then rejects with an AbortError. */
  signal?: AbortSignal;
}

/** Reads the statuses of `ids`, `chunk` at a time, counts the settled ones into `progress`; returns those still pending. */
async function tally(store: Pick<Store, 'outboxStatuses'>, ids: readonly number[], chunk: number, progress: ReplayProgress): Promise<number[]> {
  const pending: number[] = [];
  for (let start = 0; start < ids.length; start += chunk) {
    const part = ids.slice(start, start + chunk);
    const statuses = new Map((await store.outboxStatuses(part)).map((row) => [row.id, row.status]));
    for (const id of part) {
      const status = statuses.get(id);
      if (status === 'pending') pending.push(id);
      else if (status === 'delivered' || status === 'dead') progress[status] += 1;
      else progress.dropped += 1;
    }
  }
  return pending;
}

/**
 * Reads the store until none of the replayed rows is pending any more. Only the rows still pending are read again,
 * so a large replay's readings shrink as it progresses.
 */
export async function followReplay(store: Pick<Store, 'outboxStatuses'>, ids: readonly number[], options: FollowOptions): Promise<ReplayProgress> {
  const progress: ReplayProgress = { total: ids.length, delivered: 0, dead: 0, dropped: 0 };
  let pending: readonly number[] = ids;
  let shown = '';
  for (let first = true; ; first = false) {
    if (!first) await sleep(options.pollMs ?? 500, undefined, { signal: options.signal });
    pending = await tally(store, pending, options.chunk ?? 1_000, progress);
    const reading = JSON.stringify(progress);
    if (reading !== shown) options.onProgress({ ...progress });
    shown = reading;
    if (pending.length === 0) return progress;
  }
}
