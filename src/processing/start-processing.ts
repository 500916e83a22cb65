import type { CartstreamConfig } from '../config/config-schema.ts';
import type { Destination } from '../destinations/destination.ts';
import { createSegmentRegulationsDestination } from '../destinations/segment-regulations/index.ts';
import { createSegmentDestination } from '../destinations/segment/index.ts';
import { createTikTokDestination } from '../destinations/tiktok/index.ts';
import { createWarehouseDestination } from '../destinations/warehouse/index.ts';
import { createDeliveryEngine } from '../delivery/delivery-engine.ts';
import type { LatencyWindow } from '../observability/latency-window.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createPipelineWorker } from '../pipeline/pipeline-worker.ts';
import type { Store } from '../store/store.ts';

export interface ProcessingDependencies {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  /** Receives webhook → delivery latencies (ms) of delivered messages. */
  deliveryLatency: Pick<LatencyWindow, 'record'>;
  worker: string;
  now: () => number;
  random: () => number;
  fetch?: typeof fetch;
}

export interface Processing {
  /** New inbox rows were stored: look now instead of at the next poll. */
  wake(): void;
  /** Finishes the batches in hand and stops. */
  stop(): Promise<void>;
}

/** The destinations a config names, built once per process or thread. */
export function buildDestinations(config: CartstreamConfig, fetchImpl?: typeof fetch): Destination[] {
  const destinations: Destination[] = [];
  const http = fetchImpl ? { fetch: fetchImpl } : undefined;
  const { segment, tiktok, warehouse } = config.destinations;
  if (segment) destinations.push(createSegmentDestination(segment, http));
  if (tiktok) destinations.push(createTikTokDestination(tiktok, http));
  if (warehouse) destinations.push(createWarehouseDestination({ ...warehouse, db: warehouse.db ?? config.db }));
  return destinations;
}

function deliveryEngineFor(destination: Destination, deps: ProcessingDependencies) {
  const { store, logger, metrics, worker } = deps;
  const labels = { destination: destination.name };
  return createDeliveryEngine({
    store, destination, worker, logger, clock: { now: deps.now }, random: deps.random,
    onFailed: (row, decision) => {
      if (decision.kind === 'dead') metrics.messagesDeadLettered.inc(labels);
      else metrics.messagesFailed.inc(labels);
      if (decision.kind !== 'retry') logger.warn({ ...labels, outboxId: row.id, messageId: row.messageId, decision }, 'delivery not retried');
    },
    onDelivered: (rows, at) => {
      metrics.messagesDelivered.inc(labels, rows.length);
      for (const row of rows) {
        deps.deliveryLatency.record(at - row.receivedAt);
        metrics.deliveryLatency.observe(labels, (at - row.receivedAt) / 1000);
      }
    },
  });
}

/** Starts the pipeline (inbox → outbox) and one delivery engine per destination. */
export function startProcessing(config: CartstreamConfig, deps: ProcessingDependencies): Processing {
  const destinations = buildDestinations(config, deps.fetch);
  const regulations = config.privacy.segmentPublicApi
    ? createSegmentRegulationsDestination(config.privacy.segmentPublicApi, deps.fetch ? { fetch: deps.fetch } : undefined)
    : undefined;
  // The regulations destination takes privacy requests only: it gets a delivery engine but no mapped events.
  const engines = [...destinations, ...(regulations ? [regulations] : [])].map((destination) => deliveryEngineFor(destination, deps));
  const pipeline = createPipelineWorker({
    store: deps.store, destinations, worker: deps.worker, now: deps.now, logger: deps.logger, metrics: deps.metrics,
    ...config.pipeline,
    identityWaitMs: config.pipeline.identityWaitMs ?? (config.collector ? 10_000 : 0),
    privacy: { exportDir: config.privacy.exportDir, regulationsDestination: regulations?.name },
    onOutbox: () => engines.forEach((engine) => engine.wake()),
  });
  pipeline.start();
  engines.forEach((engine) => engine.start());
  return {
    wake: () => pipeline.wake(),
    async stop() {
      await pipeline.stop();
      await Promise.all(engines.map((engine) => engine.stop()));
      // Only once no send is in flight: e.g. the warehouse's database connection.
      await Promise.all([...destinations, regulations].map((destination) => destination?.close?.()));
    },
  };
}
