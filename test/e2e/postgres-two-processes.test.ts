import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSegmentSink, type SegmentSink } from '../../src/local-sink/segment-sink.ts';
import { sendWebhooks } from '../../src/simulator/send-webhooks.ts';
import { simulateWebhooks } from '../../src/simulator/store-simulator.ts';
import { openStore } from '../../src/store/open-store.ts';
import { postgresUnavailableReason, skipWithoutPostgres, testPostgresUrl, testSchema } from '../../src/store/postgres/postgres-test-database.ts';
import type { Store } from '../../src/store/store.ts';
import { freePort, startCliProcess, type CliProcess } from './cartstream-process.ts';
import { e2eSecret, e2eShop, e2eStartTime, e2eWriteKey, expectedWebOrders, orderCompletedCounts, tempDir, waitFor, waitForDrain } from './e2e-harness.ts';

const unavailable = await postgresUnavailableReason();
const hooks = simulateWebhooks({ shop: e2eShop, seed: 2024, startTime: e2eStartTime, count: 1_200 });
const webOrders = expectedWebOrders(hooks);

/** cartstream_messages_delivered_total of one process, read from its /metrics. */
async function deliveredBy(cli: CliProcess): Promise<number> {
  const text = await (await fetch(`${cli.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('cartstream_messages_delivered_total{destination="segment"}'));
  return Number(line?.split(' ').at(-1) ?? 0);
}

describe.skipIf(skipWithoutPostgres(unavailable, 'two cartstream processes on one PostgreSQL'))('two cartstream processes on one PostgreSQL', () => {
  const tmp = tempDir('cartstream-two-');
  const schema = testSchema('cartstream_two');
  const url = new URL(testPostgresUrl);
  url.searchParams.set('schema', schema.name);
  const processes: CliProcess[] = [];
  let sink: SegmentSink;
  let store: Store;

  beforeAll(async () => {
    // A slow sink keeps both processes' deliveries in flight at the same time.
    sink = await startSegmentSink({ writeKey: e2eWriteKey, faults: { rules: [{ action: { kind: 'hang', ms: 20 } }] } });
    for (let i = 0; i < 2; i++) {
      processes.push(await startCliProcess({ db: url.toString(), port: await freePort(), sinkUrl: sink.url, cwd: tmp.path }));
    }
    store = await openStore(url.toString());
    // Shopify spreads deliveries over whatever answers: half to each process.
    await Promise.all(processes.map((cli, i) => sendWebhooks(new URL('/webhooks/shopify', cli.url), hooks.filter((_, n) => n % 2 === i), {
      shop: e2eShop, secret: e2eSecret, concurrency: 8,
    })));
    await waitForDrain(store, 60_000);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(processes.map((cli) => cli.kill()));
    await store?.close();
    await sink?.close();
    await schema.drop();
    tmp.remove();
  });

  it('delivers every message exactly once between them, and both did part of the work', async () => {
    const counts = [...sink.countsByMessageId().values()];
    expect(counts.length).toBe((await store.counts()).outbox.delivered);
    expect(counts.every((n) => n === 1)).toBe(true);
    // Each process's processing thread reports its metrics every 500 ms.
    let shares: number[] = [];
    await waitFor('both processes to report their deliveries', async () => {
      shares = await Promise.all(processes.map(deliveredBy));
      return shares[0]! + shares[1]! === counts.length ? null : `${shares.join(' + ')} of ${counts.length}`;
    }, 5_000);
    expect(shares.every((n) => n > 0)).toBe(true);
  });

  it('logs no error in either process: overlapping work waits, never deadlocks or stalls on a lease', () => {
    for (const cli of processes) expect(cli.output()).not.toMatch(/"level":(50|60)|deadlock/);
  });

  it('sends each web order once, whichever process received it', () => {
    const orders = orderCompletedCounts(sink.received());
    expect(orders.size).toBe(webOrders.size);
    expect([...orders.values()].every((n) => n === 1)).toBe(true);
  });
});
