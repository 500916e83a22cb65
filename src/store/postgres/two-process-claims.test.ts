import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxDelivery, Store } from '../store.ts';
import { openPostgresStore } from './postgres-store.ts';
import {
  postgresUnavailableReason,
  skipWithoutPostgres,
  testPostgresUrl,
  testSchema,
} from './postgres-test-database.ts';

const workerScript = fileURLToPath(new URL('./claim-worker.fixture.ts', import.meta.url));
const unavailable = await postgresUnavailableReason();
const schema = testSchema('cartstream_claims_test');
const rowCount = 2_000;

interface WorkerReport {
  worker: string;
  inbox: number[];
  outbox: number[];
}

interface RunningWorker {
  child: ChildProcessWithoutNullStreams;
  stdout: string[];
  stderr: string[];
}

/** Starts a worker process and resolves once it has connected and waits for the go signal. */
async function startWorker(name: string): Promise<RunningWorker> {
  const args = ['--disable-warning=ExperimentalWarning', workerScript, testPostgresUrl, schema.name, name];
  const worker: RunningWorker = { child: spawn(process.execPath, args), stdout: [], stderr: [] };
  worker.child.stderr.on('data', (chunk: Buffer) => worker.stderr.push(chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: worker.child.stdout }).on('line', (line) => {
      if (line === 'ready') resolve();
      else worker.stdout.push(line);
    });
    worker.child.on('close', (code) => reject(new Error(`${name} exited (${code}): ${worker.stderr.join('')}`)));
  });
  return worker;
}

/** Waits for the worker to finish ('close': its output has been read in full) and parses its report. */
async function reportOf({ child, stdout, stderr }: RunningWorker): Promise<WorkerReport> {
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`worker exited with ${code}: ${stderr.join('')}`);
  return JSON.parse(stdout.at(-1) ?? 'null') as WorkerReport;
}

function delivery(index: number): InboxDelivery {
  return {
    shop: 'alpha.myshopify.com',
    source: 'shopify',
    topic: 'orders/create',
    webhookId: `w${index}`,
    eventId: null,
    triggeredAt: null,
    apiVersion: '2025-04',
    headers: {},
    body: Buffer.from(JSON.stringify({ id: index })),
    receivedAt: 1_750_000_000_000,
  };
}

const skip = skipWithoutPostgres(unavailable, 'the two-process claim test');

describe.skipIf(skip)('two processes sharing one PostgreSQL store', () => {
  let store: Store;

  beforeAll(async () => {
    if (unavailable !== null) throw new Error(`CI requires PostgreSQL: ${unavailable}`);
    store = await openPostgresStore(testPostgresUrl, { schema: schema.name, poolSize: 2 });
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    if (unavailable === null) await schema.drop();
  });

  it('handles every inbox row and every outbox message exactly once between them', async () => {
    await store.insertInbox(Array.from({ length: rowCount }, (_, i) => delivery(i)));
    const workers = await Promise.all([startWorker('worker-a'), startWorker('worker-b')]);
    for (const { child } of workers) child.stdin.end('go\n');
    const [a, b] = await Promise.all(workers.map(reportOf));

    expect(a!.inbox.length).toBeGreaterThan(0);
    expect(b!.inbox.length).toBeGreaterThan(0);
    expect(a!.outbox.length).toBeGreaterThan(0);
    expect(b!.outbox.length).toBeGreaterThan(0);
    for (const handled of ['inbox', 'outbox'] as const) {
      const both = [...a![handled], ...b![handled]];
      expect(new Set(both).size, `${handled} ids handled twice`).toBe(both.length);
      expect(both).toHaveLength(rowCount);
    }
    expect(await store.counts()).toMatchObject({ inbox: { done: rowCount }, outbox: { delivered: rowCount } });
    expect(await attemptsPerRow()).toEqual({ inbox: [1], outbox: [1] });
  });
});

/** The distinct attempt counts in each table: [1] means no row was claimed twice. */
async function attemptsPerRow(): Promise<{ inbox: number[]; outbox: number[] }> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    const distinct = async (table: string): Promise<number[]> => {
      const { rows } = await client.query(`SELECT DISTINCT attempts FROM ${schema.name}.${table} ORDER BY 1`);
      return rows.map((row) => Number(row.attempts));
    };
    return { inbox: await distinct('inbox'), outbox: await distinct('outbox') };
  } finally {
    await client.end();
  }
}
