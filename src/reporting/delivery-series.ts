import type { DeliveryMinute } from '../store/store.ts';

/** One destination's deliveries minute by minute, every minute of the window present (zeros where nothing happened). */
export interface DestinationSeries {
  destination: string;
  delivered: number[];
  retried: number[];
  dead: number[];
  /** Mean and maximum webhook → delivery latency of the minute's deliveries, ms; null in a minute with none. */
  latencyAvgMs: (number | null)[];
  latencyMaxMs: (number | null)[];
}

export interface DeliverySeries {
  /** Start of each minute, epoch ms, oldest first; the arrays of every destination line up with it. */
  minutes: number[];
  destinations: DestinationSeries[];
}

function emptySeries(destination: string, length: number): DestinationSeries {
  const zeros = () => Array.from({ length }, () => 0);
  const nulls = () => Array.from({ length }, (): number | null => null);
  return { destination, delivered: zeros(), retried: zeros(), dead: zeros(), latencyAvgMs: nulls(), latencyMaxMs: nulls() };
}

/** Lays the stored minutes of [firstMinute, firstMinute + count minutes) out as aligned arrays per destination. */
export function deliverySeries(rows: readonly DeliveryMinute[], firstMinute: number, count: number): DeliverySeries {
  const minutes = Array.from({ length: count }, (_, i) => firstMinute + i * 60_000);
  const byDestination = new Map<string, DestinationSeries>();
  for (const row of rows) {
    const index = (row.minute - firstMinute) / 60_000;
    if (!Number.isInteger(index) || index < 0 || index >= count) continue;
    const series = byDestination.get(row.destination) ?? emptySeries(row.destination, count);
    byDestination.set(row.destination, series);
    series.delivered[index] = row.delivered;
    series.retried[index] = row.retried;
    series.dead[index] = row.dead;
    series.latencyAvgMs[index] = row.delivered > 0 ? Math.round(row.latencyMsSum / row.delivered) : null;
    series.latencyMaxMs[index] = row.delivered > 0 ? row.latencyMsMax : null;
  }
  const destinations = [...byDestination.values()].sort((a, b) => a.destination.localeCompare(b.destination));
  return { minutes, destinations };
}
