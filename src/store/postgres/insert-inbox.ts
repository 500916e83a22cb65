import type { Pool, PoolClient } from 'pg';
import type { InboxDelivery, InsertResult } from '../store.ts';
import { inTransaction } from './pg-transaction.ts';
import { insertInboxSql } from './postgres-statements.ts';

/** Rows per INSERT statement: 11 parameters each keeps us far under PostgreSQL's 65,535 parameters. */
const rowsPerStatement = 1_000;

interface UniqueDelivery {
  row: InboxDelivery;
  /** How many more times the same (shop, webhookId) appears later in the same batch. */
  repeats: number;
}

const keyOf = (row: InboxDelivery): string => JSON.stringify([row.shop, row.webhookId]);

/** Stores a batch in one transaction; results follow the input order. */
export async function insertInboxRows(pool: Pool, rows: InboxDelivery[]): Promise<InsertResult[]> {
  if (rows.length === 0) return [];
  const unique = firstOccurrences(rows);
  const chunks = chunked([...unique.values()], rowsPerStatement);
  const stored = new Set<string>();
  const insertAll = async (client: Pool | PoolClient): Promise<void> => {
    for (const chunk of chunks) for (const key of await insertChunk(client, chunk)) stored.add(key);
  };
  // A single statement is its own transaction; only several need BEGIN … COMMIT around them.
  await (chunks.length === 1 ? insertAll(pool) : inTransaction(pool, insertAll));
  const seen = new Set<string>();
  return rows.map((row) => {
    const key = keyOf(row);
    const first = !seen.has(key);
    seen.add(key);
    return first && stored.has(key) ? 'stored' : 'duplicate';
  });
}

/** Repeats within the batch collapse onto their first occurrence; the INSERT counts them as duplicates. */
function firstOccurrences(rows: InboxDelivery[]): Map<string, UniqueDelivery> {
  const unique = new Map<string, UniqueDelivery>();
  for (const row of rows) {
    const existing = unique.get(keyOf(row));
    if (existing === undefined) unique.set(keyOf(row), { row, repeats: 0 });
    else existing.repeats += 1;
  }
  return unique;
}

/** Inserts one chunk; returns the keys of the rows it stored (the others were duplicates of existing rows). */
async function insertChunk(client: Pool | PoolClient, chunk: UniqueDelivery[]): Promise<string[]> {
  const values = chunk.flatMap(({ row, repeats }) => [
    row.shop, row.webhookId, row.source, row.topic, row.eventId, row.triggeredAt, row.apiVersion, row.receivedAt,
    repeats, JSON.stringify(row.headers), row.body,
  ]);
  const repeatsByKey = new Map(chunk.map(({ row, repeats }) => [keyOf(row), repeats]));
  const { rows } = await client.query<{ shop: string; webhook_id: string; duplicates: number }>(
    insertInboxSql(chunk.length),
    values,
  );
  return rows
    .map((returned) => ({ key: JSON.stringify([returned.shop, returned.webhook_id]), duplicates: returned.duplicates }))
    .filter(({ key, duplicates }) => repeatsByKey.get(key) === Number(duplicates))
    .map(({ key }) => key);
}

function chunked<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
