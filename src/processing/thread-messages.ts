import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { CartstreamConfig } from '../config/config-schema.ts';

/** What the main thread hands the processing thread at start. */
export interface ProcessingThreadData {
  config: CartstreamConfig;
  worker: string;
}

export type ToProcessingThread = { kind: 'wake' } | { kind: 'stop' };

export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

export type FromProcessingThread =
  | { kind: 'started' }
  /** Sent periodically: the thread's metrics, and delivery latencies recorded since the last report. */
  | { kind: 'report'; metrics: MetricsSnapshot; latencies: number[] }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string };
