import type { SqlRow } from './rows.ts';
import type { OutboxStatus, ReplayCount, ReplaySelection } from './store.ts';

/** True when the selection names an empty list of orders or ids, so nothing can match and no query is needed. */
export function selectsNothing(selection: ReplaySelection): boolean {
  return selection.orderIds?.length === 0 || selection.ids?.length === 0;
}

/** The filters a selection uses, as a key: each engine prepares one statement per key. */
export function replayShapeKey(selection: ReplaySelection, dryRun: boolean): string {
  const used = (['since', 'until', 'orderIds', 'ids'] as const).filter((field) => selection[field] !== undefined);
  return ['replay', dryRun ? 'count' : 'requeue', selection.include, ...used].join(':');
}

function sortedCounts(counts: Map<string, number>): ReplayCount['byEvent'] {
  return [...counts]
    .map(([eventName, count]) => ({ eventName, count }))
    .sort((a, b) => b.count - a.count || (a.eventName < b.eventName ? -1 : a.eventName > b.eventName ? 1 : 0));
}

/** A dry run's `event_name, count` rows (pg returns counts as strings). */
export function replayCountFromGroups(rows: readonly SqlRow[]): ReplayCount {
  const counts = new Map(rows.map((row) => [String(row.event_name), Number(row.count)]));
  return { count: [...counts.values()].reduce((sum, n) => sum + n, 0), byEvent: sortedCounts(counts), ids: [] };
}

/** The `id, event_name` rows a requeue returned. */
export function replayCountFromRequeued(rows: readonly SqlRow[]): ReplayCount {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(String(row.event_name), (counts.get(String(row.event_name)) ?? 0) + 1);
  const ids = rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  return { count: rows.length, byEvent: sortedCounts(counts), ids };
}

export function noneReplayed(): ReplayCount {
  return { count: 0, byEvent: [], ids: [] };
}

/** An `id, status` row of outboxStatuses. */
export function outboxStatusFrom(row: SqlRow): { id: number; status: OutboxStatus } {
  return { id: Number(row.id), status: String(row.status) as OutboxStatus };
}
