import type { Destination } from '../destinations/destination.ts';
import { jobMappers } from '../mapping/job-mappers.ts';
import type { MapResult } from '../mapping/mapper.ts';
import { resourceKeyText } from '../store/settlement-rows.ts';
import type { JobSettlement, ResourceKey, ScheduledJob } from '../store/store.ts';
import { loadStates, type FindStates, type KnownStates } from './batch-states.ts';
import { outboxMessagesFor, type InvalidMessage, type ProcessedKind } from './process-delivery.ts';

export interface ProcessedJob {
  job: ScheduledJob;
  kind: ProcessedKind;
  settlement: JobSettlement;
  /** Messages held for breaking the spec (for the metric), as for inbox rows. */
  invalid?: InvalidMessage[];
}

function resourceOf(job: ScheduledJob): ResourceKey | undefined {
  const mapper = jobMappers.get(job.kind);
  const id = mapper?.resourceOf(job.payload);
  return mapper === undefined || id === undefined ? undefined : { shop: job.shop, kind: mapper.kind, id };
}

function runJob(job: ScheduledJob, known: KnownStates): MapResult {
  const mapper = jobMappers.get(job.kind);
  if (mapper === undefined) return { kind: 'unmappable', reason: `no mapper for job kind ${job.kind}` };
  const key = resourceOf(job);
  try {
    return mapper.map(job, key === undefined ? undefined : known.get(resourceKeyText(key)));
  } catch (error) {
    return { kind: 'unmappable', reason: `job mapper error: ${(error as Error).message}` };
  }
}

function settled(job: ScheduledJob, result: MapResult, destinations: readonly Destination[]): ProcessedJob {
  const failed = (reason: string): ProcessedJob => ({ job, kind: 'failed', settlement: { id: job.id, outcome: { status: 'failed', reason } } });
  if (result.kind === 'unmappable') return failed(result.reason);
  if (result.kind === 'ignored') return { job, kind: 'ignored', settlement: { id: job.id, outcome: { status: 'done', messages: [], note: result.reason } } };
  // The message comes into being when the job is due: its latency (and its place among received messages) counts
  // from then, not from the delivery that scheduled it 10 s or an hour earlier.
  const outbox = outboxMessagesFor({ shop: job.shop, id: job.inboxId, receivedAt: job.dueAt }, result.messages, destinations);
  if (!outbox.ok) return failed(outbox.reason);
  return { job, kind: 'mapped', settlement: { id: job.id, outcome: { status: 'done', messages: outbox.messages } }, invalid: outbox.invalid };
}

/**
 * Runs due jobs (the Product Added debounce, Checkout Abandoned) against their resources' states as stored now,
 * read in one lookup for the batch. Their messages are filed under the inbox row that scheduled them.
 */
export async function processJobs(jobs: readonly ScheduledJob[], destinations: readonly Destination[], findStates: FindStates): Promise<ProcessedJob[]> {
  const keys = jobs.map(resourceOf).map((key) => (key === undefined ? undefined : { key }));
  const known = await loadStates(keys, findStates);
  return jobs.map((job) => settled(job, runJob(job, known), destinations));
}
