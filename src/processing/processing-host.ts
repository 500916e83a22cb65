import { Worker } from 'node:worker_threads';
import { AggregatorRegistry } from 'prom-client';
import type { CartstreamConfig } from '../config/config-schema.ts';
import type { LatencyWindow } from '../observability/latency-window.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Processing } from './start-processing.ts';
import type { FromProcessingThread, MetricsSnapshot, ProcessingThreadData, ToProcessingThread } from './thread-messages.ts';

/**
 * Bounds the thread's heap: a batch in hand is a few MB, and without limits V8 grows the heap with the allocation
 * rate (hundreds of MB under a flash sale) instead of collecting.
 */
const threadHeapLimits = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 24 };

export interface ProcessingHost extends Processing {
  /** Prometheus text of this thread's metrics and the processing thread's latest report together. */
  metricsText(): Promise<string>;
}

/**
 * Runs the pipeline and deliveries in a worker thread so they use the second core, and webhook answers never
 * wait behind a mapping batch. Wakes are coalesced: one message per turn of the event loop, however many
 * webhooks arrived in it.
 */
export async function startProcessingThread(
  config: CartstreamConfig,
  deps: { worker: string; logger: Logger; metrics: Metrics; deliveryLatency: LatencyWindow },
): Promise<ProcessingHost> {
  const data: ProcessingThreadData = { config, worker: deps.worker };
  let snapshot: MetricsSnapshot = [];
  let wakePending = false;
  let stopping = false;
  let stopped: (() => void) | null = null;

  function spawn(): Promise<Worker> {
    const thread = new Worker(new URL('./processing-thread.ts', import.meta.url), { workerData: data, resourceLimits: threadHeapLimits });
    return new Promise((resolve, reject) => {
      thread.on('message', (message: FromProcessingThread) => {
        if (message.kind === 'started') resolve(thread);
        if (message.kind === 'failed') reject(new Error(`processing thread failed to start: ${message.message}`));
        if (message.kind === 'report') {
          snapshot = message.metrics;
          message.latencies.forEach((ms) => deps.deliveryLatency.record(ms));
        }
        if (message.kind === 'stopped') stopped?.();
      });
      thread.on('error', (error) => deps.logger.error({ err: error }, 'processing thread crashed'));
      thread.on('exit', (code) => {
        if (stopping) return;
        // Its claimed rows are leased, not lost: a new thread takes them over when the leases expire.
        deps.logger.error({ code }, 'processing thread exited; starting a new one');
        setTimeout(() => void spawn().then((next) => (current = next), (error: unknown) => deps.logger.fatal({ err: error }, 'processing thread restart failed')), 1_000);
      });
    });
  }

  let current = await spawn();
  return {
    wake() {
      if (wakePending) return;
      wakePending = true;
      setImmediate(() => {
        wakePending = false;
        current.postMessage({ kind: 'wake' } satisfies ToProcessingThread);
      });
    },
    async stop() {
      stopping = true;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      current.postMessage({ kind: 'stop' } satisfies ToProcessingThread);
      await done;
      await current.terminate();
    },
    async metricsText() {
      const own = await deps.metrics.registry.getMetricsAsJSON();
      return AggregatorRegistry.aggregate([own, snapshot]).metrics();
    },
  };
}
