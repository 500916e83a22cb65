/**
 * The PostgreSQL phase: two `cartstream start` processes (role all) on one fresh schema share the traffic, a flaky
 * sink keeps deliveries in flight, and one process is SIGKILLed mid-run and restarted on the same port.
 */
import { startSegmentSink, type FaultPlan } from '../src/local-sink/segment-sink.ts';
import { createPrng } from '../src/simulator/prng.ts';
import { simulateWebhooks } from '../src/simulator/store-simulator.ts';
import { openStore } from '../src/store/open-store.ts';
import { postgresUnavailableReason, testSchema } from '../src/store/postgres/postgres-test-database.ts';
import type { Store } from '../src/store/store.ts';
import { freePort } from '../test/e2e/cartstream-process.ts';
import { e2eShop, e2eStartTime, e2eWriteKey, missingOrders, pendingWork, tempDir, waitFor } from '../test/e2e/e2e-harness.ts';
import { verdict } from './invariants.ts';
import { restartableCli, type RestartableCli } from './restartable-cli.ts';
import { rssSampler } from './rss-sampler.ts';
import { shopifySender } from './shopify-sender.ts';
import type { PhaseResult } from './sqlite-soak.ts';
import type { SoakOptions } from './soak-options.ts';

/** Slow throughout (20 ms per request), and for the first 15 s a quarter of requests fail with 503. */
function flakySink(seed: number): FaultPlan {
  return {
    random: createPrng(seed).next,
    rules: [{ action: { kind: 'status', status: 503 }, rate: 0.25, untilMs: 15_000 }, { action: { kind: 'hang', ms: 20 } }],
  };
}

/** Runs the phase, or returns why it was skipped. */
export async function postgresSoak(options: SoakOptions): Promise<PhaseResult | { skipped: string }> {
  const unavailable = await postgresUnavailableReason(options.postgresUrl);
  if (unavailable) return { skipped: unavailable };
  const hooks = simulateWebhooks({ shop: e2eShop, seed: options.seed + 1, startTime: e2eStartTime, count: options.postgresWebhooks });
  const schema = testSchema('cartstream_soak', options.postgresUrl);
  const url = new URL(options.postgresUrl);
  url.searchParams.set('schema', schema.name);
  const tmp = tempDir('cartstream-soak-pg-');
  const rss = rssSampler();
  const sink = await startSegmentSink({ writeKey: e2eWriteKey, faults: flakySink(options.seed) });
  const clis: RestartableCli[] = [];
  let store: Store | undefined;
  try {
    for (let i = 0; i < 2; i++) clis.push(await restartableCli({ db: url.toString(), port: await freePort(), sinkUrl: sink.url, cwd: tmp.path, rss }));
    store = await openStore(url.toString());
    const sender = shopifySender(hooks, options.seed);
    // Shopify spreads deliveries over whatever answers: alternate positions to each process.
    const target = (p: number): string => clis[p % 2]!.url;
    const bursts = 5;
    const size = Math.ceil(hooks.length / bursts);
    let pendingAtKill = 0;
    for (let burst = 0; burst < bursts; burst++) {
      const positions = Array.from({ length: Math.min(size, hooks.length - burst * size) }, (_, i) => burst * size + i);
      const sending = sender.send(positions, target, 0.05);
      if (burst === 2) {
        await new Promise((resolve) => setTimeout(resolve, 300)); // mid-burst, deliveries in flight
        pendingAtKill = (await store.counts()).outbox.pending;
        await clis[0]!.killAndRestart();
      }
      await sending;
    }
    for (let round = 0; round < 20 && sender.unacknowledged().length > 0; round++) await sender.send(sender.unacknowledged(), target, 0);
    const acked = hooks.flatMap((hook, p) => (hook.expectOrderCompleted && sender.acknowledged.has(p) ? [hook.orderId as string] : []));
    await waitFor('every acknowledged order at the sink and an empty queue', async () =>
      missingOrders(acked, sink.received()) ?? pendingWork(await store!.counts()), options.drainTimeoutMs, 500)
      .catch((error: Error) => console.error(`soak (postgres): ${error.message}`));
    const counts = await store.counts();
    return {
      findings: [
        { check: 'sink: 503 for a quarter of requests in the first 15 s, every request 20 ms late', value: '' },
        { check: 'webhooks simulated / requests sent (incl. repeats and retries)', value: `${hooks.length} / ${sender.stats().sent}` },
        { check: 'answers to the sender by status', value: JSON.stringify(sender.stats().statuses) },
        { check: `processes (role all) / SIGKILLs (outbox pending at the kill: ${pendingAtKill})`, value: `2 / ${clis[0]!.kills()}`, ok: clis[0]!.kills() === 1 },
        ...verdict({ hooks, acknowledged: sender.acknowledged, sink, counts }),
        { check: 'peak RSS of a cartstream process, MB', value: rss.peakMb().toFixed(0) },
      ],
      log: clis.map((cli) => cli.output()).join('\n'),
    };
  } finally {
    rss.stop();
    await Promise.all(clis.map((cli) => cli.stop()));
    await store?.close();
    await sink.close();
    await schema.drop();
    tmp.remove();
  }
}
