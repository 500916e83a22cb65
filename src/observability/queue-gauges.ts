import type { Store } from '../store/store.ts';
import type { Metrics } from './metrics.ts';

/**
 * Sets the queue gauges from the store just before a scrape: rows waiting per queue (the inbox, each destination's
 * outbox) and the age of the oldest. Read from the store, not counted in memory, because the rows may have been
 * written or taken by other processes. A store that does not answer leaves the gauges out rather than failing the
 * scrape (the counters still say what this process did).
 */
export async function refreshQueueGauges(store: Pick<Store, 'queueHealth'>, metrics: Metrics, now: number): Promise<void> {
  metrics.queueDepth.reset();
  metrics.oldestWaitingAge.reset();
  let health;
  try {
    health = await store.queueHealth();
  } catch {
    return;
  }
  const set = (queue: string, pending: number, oldest: number | null): void => {
    metrics.queueDepth.set({ queue }, pending);
    metrics.oldestWaitingAge.set({ queue }, oldest === null ? 0 : Math.max(0, (now - oldest) / 1000));
  };
  set('inbox', health.inbox.pending, health.inbox.oldestReceivedAt);
  for (const destination of health.destinations) set(destination.destination, destination.pending, destination.oldestReceivedAt);
}
