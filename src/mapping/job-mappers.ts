import type { ResourceKind } from '../store/store.ts';
import type { MapResult, PreviousState } from './mapper.ts';
import { checkoutAbandonedMapper } from './checkout-abandoned.ts';
import { productAddedMapper } from './product-added.ts';

/** A scheduled job that is due, as its mapper sees it. */
export interface DueJob {
  shop: string;
  key: string;
  payload: unknown;
  dueAt: number;
}

/** What runs when a job is due: pure, from the job and its resource's state as stored now. */
export interface JobMapper {
  kind: ResourceKind;
  resourceOf(payload: unknown): string | undefined;
  map(job: DueJob, state: PreviousState | undefined): MapResult;
}

/** Job kind → its mapper, in one place (the jobs are scheduled by the topics in topic-mappers.ts). */
export const jobMappers: ReadonlyMap<string, JobMapper> = new Map<string, JobMapper>([
  ['product-added', productAddedMapper],
  ['checkout-abandoned', checkoutAbandonedMapper],
]);
