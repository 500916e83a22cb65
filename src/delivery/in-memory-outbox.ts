import type { ClaimOptions, OutboxMessage, OutboxRow, OutboxSettlement, OutboxStatus } from '../store/store.ts';

/** One row as the in-memory outbox keeps it, with what a test wants to look at. */
export interface InMemoryOutboxRow extends OutboxRow {
  status: OutboxStatus;
  nextAttemptAt: number;
  leaseUntil: number;
  lastError: string | null;
  reason: string | null;
}

export interface InMemoryOutbox {
  claimOutbox(destination: string, options: ClaimOptions): Promise<OutboxRow[]>;
  settleOutbox(settlements: OutboxSettlement[], now: number): Promise<void>;
  expediteRetries(destination: string, now: number): Promise<number>;
  /** Adds messages as pending (or settled, with `initial`); a repeated (destination, messageId) is refused. */
  add(messages: OutboxMessage[], now: number): ('stored' | 'duplicate')[];
  rows(): readonly InMemoryOutboxRow[];
  withStatus(status: OutboxStatus): InMemoryOutboxRow[];
}

/**
 * The outbox methods the delivery engine uses, in memory, with the store's semantics: claims are leases,
 * only due rows are claimed, oldest first, and each claim counts as an attempt.
 */
export function createInMemoryOutbox(): InMemoryOutbox {
  const rows: InMemoryOutboxRow[] = [];
  const byId = new Map<number, InMemoryOutboxRow>();
  const keys = new Set<string>();

  function add(messages: OutboxMessage[], now: number): ('stored' | 'duplicate')[] {
    return messages.map((message) => {
      const key = `${message.destination}\u0000${message.messageId}`;
      if (keys.has(key)) return 'duplicate';
      keys.add(key);
      const { initial, ...fields } = message;
      const row: InMemoryOutboxRow = {
        ...fields, id: rows.length + 1, attempts: 0, status: initial?.status ?? 'pending',
        nextAttemptAt: now, leaseUntil: 0, lastError: null, reason: initial?.reason ?? null,
      };
      rows.push(row);
      byId.set(row.id, row);
      return 'stored';
    });
  }

  async function claimOutbox(destination: string, options: ClaimOptions): Promise<OutboxRow[]> {
    const due = rows.filter((row) => row.destination === destination && row.status === 'pending'
      && row.nextAttemptAt <= options.now && row.leaseUntil <= options.now).slice(0, options.limit);
    for (const row of due) {
      row.leaseUntil = options.now + options.leaseMs;
    }
    return due.map(({ status, nextAttemptAt, leaseUntil, lastError, reason, ...row }) => ({ ...row }));
  }

  async function settleOutbox(settlements: OutboxSettlement[]): Promise<void> {
    for (const settlement of settlements) {
      const row = byId.get(settlement.id);
      if (!row) throw new Error(`no outbox row ${settlement.id}`);
      row.leaseUntil = 0;
      row.attempts += 1; // like the real stores: every settled send counts
      if (settlement.status === 'delivered') row.status = 'delivered';
      if (settlement.status === 'dead') Object.assign(row, { status: 'dead', reason: settlement.reason });
      if (settlement.status === 'retry') {
        Object.assign(row, { status: 'pending', nextAttemptAt: settlement.nextAttemptAt, lastError: settlement.error });
      }
    }
  }

  async function expediteRetries(destination: string, now: number): Promise<number> {
    const waiting = rows.filter((row) => row.destination === destination && row.status === 'pending' && row.nextAttemptAt > now && row.attempts > 0);
    for (const row of waiting) row.nextAttemptAt = now;
    return waiting.length;
  }

  return { claimOutbox, settleOutbox, expediteRetries, add, rows: () => rows, withStatus: (status) => rows.filter((row) => row.status === status) };
}
