import { text, type SqlRow } from './rows.ts';
import type { ResourceKind, ResourceState, ScheduledJob } from './store.ts';

/** Columns a job claim returns, in both engines. */
export const jobClaimColumns = 'id, shop, kind, job_key, due_at, inbox_id, received_at, attempts, payload';

/** SQLite keeps JSON as text, PostgreSQL's jsonb arrives parsed. */
function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

export function resourceStateFrom(row: SqlRow): ResourceState {
  return {
    shop: text(row.shop),
    kind: text(row.kind) as ResourceKind,
    id: text(row.resource_id),
    version: Number(row.version),
    state: json(row.state),
  };
}

export function scheduledJobFrom(row: SqlRow): ScheduledJob {
  return {
    id: Number(row.id),
    shop: text(row.shop),
    kind: text(row.kind),
    key: text(row.job_key),
    dueAt: Number(row.due_at),
    inboxId: Number(row.inbox_id),
    receivedAt: Number(row.received_at),
    attempts: Number(row.attempts),
    payload: json(row.payload),
  };
}

/** Claims come back in due order (UPDATE … RETURNING does not keep the subquery's order). */
export function inDueOrder(jobs: ScheduledJob[]): ScheduledJob[] {
  return jobs.sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
}
