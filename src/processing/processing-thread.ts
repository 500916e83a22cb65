// Entry point of the processing thread: the pipeline and the deliveries run here, on the second core, while the
// main thread answers webhooks.
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { openStore } from '../store/open-store.ts';
import { startProcessing } from './start-processing.ts';
import type { FromProcessingThread, ProcessingThreadData, ToProcessingThread } from './thread-messages.ts';

const reportEveryMs = 500;
const port = parentPort!;
const data = workerData as ProcessingThreadData;
const post = (message: FromProcessingThread) => port.postMessage(message);

async function main(): Promise<void> {
  const logger = createLogger(data.config.logLevel).child({ thread: 'processing' });
  const metrics = createMetrics();
  // Only the webhook-answering connection needs an fsync per commit; see SqliteStoreOptions.synchronous.
  const store = await openStore(data.config.db, { synchronous: 'normal' });
  let latencies: number[] = [];
  const processing = startProcessing(data.config, {
    store, logger, metrics, worker: data.worker, now: Date.now, random: Math.random,
    deliveryLatency: { record: (ms) => void latencies.push(ms) },
  });
  const report = async () => {
    post({ kind: 'report', metrics: await metrics.registry.getMetricsAsJSON(), latencies });
    latencies = [];
  };
  const timer = setInterval(() => void report(), reportEveryMs);
  port.on('message', (message: ToProcessingThread) => {
    if (message.kind === 'wake') processing.wake();
    if (message.kind === 'stop') {
      clearInterval(timer);
      void processing.stop().then(report).then(() => store.close()).then(() => post({ kind: 'stopped' }));
    }
  });
  post({ kind: 'started' });
}

main().catch((error: unknown) => post({ kind: 'failed', message: (error as Error).stack ?? String(error) }));
