/**
 * The SQLite flash sale: one real `cartstream start` process on one SQLite file, webhooks in bursts with repeats,
 * SIGKILLs at seeded random moments (restarted on the same file and port), a sink that is down for stretches, and
 * Shopify's retry of every delivery without a 200. Returns the findings table.
 */
import { join } from 'node:path';
import { startSegmentSink, type SegmentSink } from '../src/local-sink/segment-sink.ts';
import { createPrng } from '../src/simulator/prng.ts';
import { simulateWebhooks, type SimulatedWebhook } from '../src/simulator/store-simulator.ts';
import { openStore } from '../src/store/open-store.ts';
import type { Store } from '../src/store/store.ts';
import { freePort } from '../test/e2e/cartstream-process.ts';
import { e2eShop, e2eStartTime, e2eWriteKey, missingOrders, pendingWork, tempDir, waitFor } from '../test/e2e/e2e-harness.ts';
import { drainRate, peakSecondRate, verdict, type Finding } from './invariants.ts';
import { outagePlan, type OutagePlan } from './outage-plan.ts';
import { killMoments, sleep, until } from './phase-clock.ts';
import { restartableCli, type RestartableCli } from './restartable-cli.ts';
import { rssSampler, type RssSampler } from './rss-sampler.ts';
import { shopifySender, type ShopifySender } from './shopify-sender.ts';
import type { SoakOptions } from './soak-options.ts';

export interface PhaseResult {
  findings: Finding[];
  log: string;
}

interface Run {
  options: SoakOptions;
  hooks: SimulatedWebhook[];
  sink: SegmentSink;
  outage: OutagePlan;
  startedAt: number;
  cli: RestartableCli;
  sender: ShopifySender;
  store: Store;
}

/** Bursts spread evenly over the outage timeline, so webhooks keep arriving while Segment is down. */
async function sendBursts(run: Run): Promise<void> {
  const { hooks, options, outage } = run;
  const size = Math.ceil(hooks.length / options.bursts);
  for (let burst = 0; burst < options.bursts; burst++) {
    await until(run.startedAt, (outage.endMs * burst) / options.bursts);
    const positions = Array.from({ length: Math.min(size, hooks.length - burst * size) }, (_, i) => burst * size + i);
    await run.sender.send(positions, () => run.cli.url, 0.05);
  }
}

/** SIGKILLs at seeded moments between the first seconds and shortly after the last outage. */
async function killAtRandom(run: Run): Promise<number[]> {
  const moments = killMoments(createPrng(run.options.seed).next, run.options.kills, 2_000, run.outage.endMs + 10_000, 2_000);
  const pendingAtKill: number[] = [];
  for (const moment of moments) {
    await until(run.startedAt, moment);
    pendingAtKill.push((await run.store.counts()).outbox.pending);
    await run.cli.killAndRestart();
  }
  return pendingAtKill;
}

/** Shopify's retry: re-sends everything without a 200 until all have one (bounded rounds). */
async function resendUntilAcknowledged(run: Run): Promise<number> {
  let rounds = 0;
  for (; rounds < 20 && run.sender.unacknowledged().length > 0; rounds++) {
    await run.sender.send(run.sender.unacknowledged(), () => run.cli.url, 0);
    if (run.sender.unacknowledged().length > 0) await sleep(1_000);
  }
  return rounds;
}

async function waitForDrain(run: Run, acked: () => Iterable<string>): Promise<void> {
  await waitFor('every acknowledged order at the sink and an empty queue', async () =>
    missingOrders(acked(), run.sink.received()) ?? pendingWork(await run.store.counts()), run.options.drainTimeoutMs, 500)
    .catch((error: Error) => console.error(`soak: ${error.message}`));
}

function ackedOrderIds(run: Run): string[] {
  return run.hooks.flatMap((hook, p) => (hook.expectOrderCompleted && run.sender.acknowledged.has(p) ? [hook.orderId as string] : []));
}

async function measure(run: Run, rss: RssSampler): Promise<Finding[]> {
  const backlogAtOutageEnd = until(run.startedAt, run.outage.endMs).then(() => run.store.counts());
  const killsDone = killAtRandom(run);
  await sendBursts(run);
  const pendingAtKill = await killsDone;
  const resendRounds = await resendUntilAcknowledged(run);
  const outageEndedAt = run.startedAt + run.outage.endMs;
  const backlog = await backlogAtOutageEnd;
  await waitForDrain(run, () => ackedOrderIds(run));
  const drain = drainRate(run.sink, outageEndedAt);
  const counts = await run.store.counts();
  return [
    { check: 'webhooks simulated / requests sent (incl. repeats and retries)', value: `${run.hooks.length} / ${run.sender.stats().sent}` },
    { check: 'answers to the sender by status', value: JSON.stringify(run.sender.stats().statuses) },
    { check: `SIGKILLs (outbox pending at each: ${pendingAtKill.join(', ')})`, value: run.cli.kills(), ok: run.cli.kills() >= run.options.kills },
    { check: 'Shopify retry rounds after the bursts', value: resendRounds },
    { check: `sink outage, total s (${run.outage.stretches.map((s) => s.kind).join(', ')})`, value: run.outage.totalOutageMs / 1000 },
    { check: 'backlog when the outage ended (outbox + inbox pending)', value: backlog.outbox.pending + backlog.inbox.pending },
    { check: 'drain after the outage: events / seconds to the last', value: `${drain.events} / ${drain.seconds.toFixed(1)}` },
    { check: 'drain rate after the outage, events/s (peak 1 s)', value: `${drain.perSecond.toFixed(0)} (${peakSecondRate(run.sink, outageEndedAt)})` },
    ...verdict({ hooks: run.hooks, acknowledged: run.sender.acknowledged, sink: run.sink, counts }),
    { check: 'peak RSS of a cartstream process, MB', value: rss.peakMb().toFixed(0) },
  ];
}

/** Runs the SQLite phase end to end; cleans up its processes, sink and files. */
export async function sqliteSoak(options: SoakOptions): Promise<PhaseResult> {
  const hooks = simulateWebhooks({ shop: e2eShop, seed: options.seed, startTime: e2eStartTime, count: options.webhooks });
  const stretchMs = (options.outageMinutes * 60_000) / 3;
  const outage = outagePlan(options.outageMinutes * 60_000, Math.max(5_000, stretchMs / 3));
  const tmp = tempDir('cartstream-soak-');
  const rss = rssSampler();
  const sink = await startSegmentSink({ writeKey: e2eWriteKey });
  let cli: RestartableCli | undefined;
  let store: Store | undefined;
  try {
    const db = join(tmp.path, 'cartstream.db');
    cli = await restartableCli({ db, port: await freePort(), sinkUrl: sink.url, cwd: tmp.path, rss });
    store = await openStore(db);
    sink.setFaults(outage.plan);
    const run: Run = { options, hooks, sink, outage, startedAt: Date.now(), cli, sender: shopifySender(hooks, options.seed), store };
    return { findings: await measure(run, rss), log: cli.output() };
  } finally {
    rss.stop();
    await cli?.stop();
    await store?.close();
    await sink.close();
    tmp.remove();
  }
}
