import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `work` inside BEGIN IMMEDIATE … COMMIT: the write lock is taken up front, so a second writer waits out
 * busy_timeout instead of failing when it later tries to upgrade a read transaction.
 */
export function inImmediateTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
