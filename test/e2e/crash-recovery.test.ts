/**
 * The crash test: the real CLI process is SIGKILLed twice — mid-burst while webhooks are being acknowledged, and
 * again while batches are in flight to a slow, flaky Segment — restarted on the same SQLite file each time, and
 * sent again every delivery that did not get a 200, as Shopify does. Nothing acknowledged may be lost, and no
 * order may reach Segment under two different messageIds.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSegmentSink, type FaultPlan, type SegmentSink } from '../../src/local-sink/segment-sink.ts';
import { sendWebhooks, type SendResult } from '../../src/simulator/send-webhooks.ts';
import { createPrng } from '../../src/simulator/prng.ts';
import { simulateWebhooks, type SimulatedWebhook } from '../../src/simulator/store-simulator.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import { freePort, startCliProcess, type CliProcess } from './cartstream-process.ts';
import {
  e2eSecret,
  e2eShop,
  e2eStartTime,
  expectedWebOrders,
  messageIdsByOrder,
  missingOrders,
  pendingWork,
  tempDir,
  waitFor,
} from './e2e-harness.ts';

const webhookCount = 1_500;
/** Acknowledged webhooks after which the first process is killed. */
const killAfterAcks = 400;
/** Sink requests the second process must have in flight before it is killed. */
const killAfterRequests = 3;

const hooks = simulateWebhooks({ shop: e2eShop, seed: 4242, startTime: e2eStartTime, count: webhookCount });
const webOrders = expectedWebOrders(hooks);

/** Slow and flaky: every request waits `hangMs`, a seeded share of them then fails with 503. */
function slowFlakySegment(hangMs: number, failShare: number, seed: number, untilMs?: number): FaultPlan {
  const window = untilMs === undefined ? {} : { untilMs };
  return {
    random: createPrng(seed).next,
    rules: [
      { action: { kind: 'status', status: 503 }, rate: failShare, ...window },
      { action: { kind: 'hang', ms: hangMs }, ...window },
    ],
  };
}

describe('crash recovery of the cartstream process (SQLite)', () => {
  const tmp = tempDir('cartstream-crash-');
  const db = join(tmp.path, 'cartstream.db');
  const started: CliProcess[] = [];
  let sink: SegmentSink | undefined;
  let store: Store | undefined;

  afterAll(async () => {
    await Promise.all(started.map((cli) => cli.kill()));
    await store?.close();
    await sink?.close();
    tmp.remove();
  });

  /** Input positions of the webhooks that got a 200 at least once, over every send. */
  const acknowledged = new Set<number>();

  // A restart takes over the killed process's claimed rows at once (their owner is gone), with the real clock.
  async function start(port: number): Promise<CliProcess> {
    const cli = await startCliProcess({ db, port, sinkUrl: sink!.url, cwd: tmp.path });
    started.push(cli);
    return cli;
  }

  /** Shopify's retry: every delivery that has no 200 yet, same webhook id and bytes; returns how many were sent. */
  async function resendUnacknowledged(cli: CliProcess): Promise<{ sent: number; statuses: Record<string, number> }> {
    const positions = hooks.map((_, index) => index).filter((index) => !acknowledged.has(index));
    const retry: SimulatedWebhook[] = positions.map((index) => hooks[index]!);
    const summary = await sendWebhooks(new URL('/webhooks/shopify', cli.url), retry, {
      shop: e2eShop, secret: e2eSecret, concurrency: 32, timeoutMs: 5_000,
      onResult: (result) => {
        if (result.status === 200) acknowledged.add(positions[result.index]!);
      },
    });
    return { sent: retry.length, statuses: summary.statusCounts };
  }

  it('loses no acknowledged order and never gives one order two messageIds, across two SIGKILLs', async () => {
    sink = await startSegmentSink({ writeKey: 'e2e-write-key', faults: slowFlakySegment(150, 0.25, 1) });
    const port = await freePort();

    // 1. A burst at high concurrency; SIGKILL once some hundreds were acknowledged.
    const first = await start(port);
    let killedFirst: Promise<void> | null = null;
    const onBurstResult = (result: SendResult): void => {
      if (result.status !== 200) return;
      acknowledged.add(result.index);
      if (acknowledged.size >= killAfterAcks && killedFirst === null) killedFirst = first.kill();
    };
    const burst = await sendWebhooks(new URL('/webhooks/shopify', first.url), hooks, {
      shop: e2eShop, secret: e2eSecret, concurrency: 64, duplicateShare: 0.05, seed: 9, timeoutMs: 5_000, onResult: onBurstResult,
    });
    await killedFirst;
    const acknowledgedInBurst = acknowledged.size;
    expect(first.exited()).toBe(true);
    expect(acknowledgedInBurst, 'killed mid-burst, not after it').toBeLessThan(webhookCount);

    // 2. Restart, re-send what had no 200, SIGKILL again while batches hang at the slow sink.
    store = await openStore(db);
    const second = await start(port);
    sink.setFaults(slowFlakySegment(400, 0.2, 2));
    const requestsBeforeSecond = sink.stats().requests;
    const resentAfterFirstKill = await resendUnacknowledged(second);
    await waitFor('the restarted process to have deliveries in flight',
      () => (sink!.stats().requests >= requestsBeforeSecond + killAfterRequests ? null : `${killAfterRequests} sink requests`), 10_000);
    await second.kill();
    const pendingAtSecondKill = (await store.counts()).outbox.pending;

    // 3. Restart again; Segment recovers after a flaky second and a half; wait for the queue to drain.
    const third = await start(port);
    sink.setFaults(slowFlakySegment(0, 0.3, 3, 1_500));
    const resentAfterSecondKill = await resendUnacknowledged(third);
    await waitFor('every order at the sink and an empty queue', async () =>
      missingOrders(webOrders.keys(), sink!.received()) ?? pendingWork(await store!.counts()), 12_000)
      .catch((error: Error) => Promise.reject(new Error(`${error.message}\nlog of the restarted process:\n${third.output()}`)));
    await third.stop();

    const counts = await store.counts();
    const sinkCounts = sink.countsByMessageId();
    const repeatedAtSink = [...sinkCounts.values()].reduce((sum, n) => sum + n - 1, 0);
    console.log(
      `crash recovery: ${burst.sent} sent in the burst (${burst.duplicates} repeats), ${acknowledgedInBurst} acknowledged before SIGKILL #1; ` +
      `${resentAfterFirstKill.sent} re-sent after it ${JSON.stringify(resentAfterFirstKill.statuses)}; ` +
      `SIGKILL #2 with ${pendingAtSecondKill} outbox rows pending; ${resentAfterSecondKill.sent} re-sent after it; ` +
      `${webOrders.size} web orders; ${counts.outbox.delivered} messages delivered, ${sinkCounts.size} distinct messageIds at the sink, ` +
      `${repeatedAtSink} repeated deliveries at the sink (at-least-once); sink: ${JSON.stringify(sink.stats())}`,
    );

    expect(acknowledged.size, 'every delivery acknowledged in the end').toBe(webhookCount);
    expect(pendingAtSecondKill, 'the second kill landed while deliveries were outstanding').toBeGreaterThan(0);
    const idsPerOrder = new Map([...messageIdsByOrder(sink.received())].map(([orderId, ids]) => [orderId, ids.size]));
    expect(idsPerOrder).toStrictEqual(new Map([...webOrders.keys()].map((orderId) => [orderId, 1])));
    expect(counts).toMatchObject({
      inbox: { pending: 0, done: webhookCount, failed: 0 },
      outbox: { pending: 0, dead: 0, delivered: sinkCounts.size },
    });
  });
});
