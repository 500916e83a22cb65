/**
 * A worker process for two-process-claims.test.ts: claims and settles inbox rows, then delivers the outbox
 * messages they produced, and prints the ids it handled as one JSON line.
 * Usage: node claim-worker.fixture.ts <postgres url> <schema> <worker name>
 * It prints "ready" once connected and starts when a line arrives on stdin, so both workers start together.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../store.ts';
import { openPostgresStore } from './postgres-store.ts';

const [url, schema, worker] = process.argv.slice(2);
if (url === undefined || schema === undefined || worker === undefined) {
  throw new Error('usage: claim-worker.fixture.ts <url> <schema> <worker>');
}
const batch = { worker, limit: 10, leaseMs: 600_000 };
// A short pause per batch keeps one fast worker from draining everything before the other gets going.
const pauseMs = 1;

async function handleInbox(store: Store): Promise<number[]> {
  const handled: number[] = [];
  for (;;) {
    const rows = await store.claimInbox({ ...batch, now: Date.now() });
    if (rows.length === 0) return handled;
    const settlements = rows.map((row) => ({
      id: row.id,
      outcome: {
        status: 'done' as const,
        messages: [
          {
            destination: 'segment',
            messageId: `message-${row.webhookId}`,
            shop: row.shop,
            inboxId: row.id,
            eventName: 'Order Completed',
            payload: JSON.stringify({ worker, inboxId: row.id }),
            receivedAt: row.receivedAt,
          },
        ],
      },
    }));
    await store.settleInbox(settlements, Date.now());
    handled.push(...rows.map((row) => row.id));
    await sleep(pauseMs);
  }
}

async function handleOutbox(store: Store): Promise<number[]> {
  const handled: number[] = [];
  for (;;) {
    const rows = await store.claimOutbox('segment', { ...batch, now: Date.now() });
    if (rows.length === 0) return handled;
    await store.settleOutbox(rows.map((row) => ({ id: row.id, status: 'delivered' as const })), Date.now());
    handled.push(...rows.map((row) => row.id));
    await sleep(pauseMs);
  }
}

const store = await openPostgresStore(url, { schema, poolSize: 2 });
try {
  if (!(await store.ping())) throw new Error(`no PostgreSQL at ${url}`);
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  const inbox = await handleInbox(store);
  const outbox = await handleOutbox(store);
  process.stdout.write(`${JSON.stringify({ worker, inbox, outbox })}\n`);
} finally {
  await store.close();
}
