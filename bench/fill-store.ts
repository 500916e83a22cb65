// Pre-fills a SQLite store with delivered history for the scaling section: copies of one template order (an inbox
// row that cartstream itself received, mapped and delivered, with its payload and outbox rows) made by SQL inside
// SQLite — a recursive CTE, 20,000 copies per transaction — never through HTTP. Each copy gets its own webhook id,
// messageIds, order id (in the body, the payloads and the order_id column), customer and browser id (one of 10,000) and times
// spread evenly over the 30 days before `historyEnd`, so a 24-hour report sees about 1/30 of them.
import { DatabaseSync } from 'node:sqlite';

export interface FillResult { rows: number; seconds: number; rowsPerSecond: number }

const chunkRows = 20_000;
const day = 86_400_000;
const history = 30 * day;

function columns(db: DatabaseSync, table: string): string[] {
  return db.prepare(`PRAGMA table_info(${table})`).all().map((row) => String(row.name));
}

/** `INSERT INTO table (…) SELECT …` copying every column of `t`, some replaced by expressions over `n.i`. */
function copySql(db: DatabaseSync, table: string, where: string, overrides: Record<string, string>, skip: string[] = []): string {
  const names = columns(db, table).filter((name) => !skip.includes(name));
  const values = names.map((name) => overrides[name] ?? `t.${name}`);
  // CAST: node:sqlite binds JS numbers as REAL, and 9e17 + a REAL loses the last digits of the order ids.
  return `WITH RECURSIVE n(i) AS (SELECT CAST(:from AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i < :to)
    INSERT INTO ${table} (${names.join(', ')}) SELECT ${values.join(', ')} FROM n, ${table} t WHERE ${where}`;
}

interface Template { inboxId: number; orderId: string }

function template(db: DatabaseSync): Template {
  const row = db.prepare(`SELECT inbox_id, order_id FROM outbox WHERE order_id IS NOT NULL AND status = 'delivered' ORDER BY id LIMIT 1`).get();
  if (!row) throw new Error('the store holds no delivered order to copy');
  return { inboxId: Number(row.inbox_id), orderId: String(row.order_id) };
}

/** The statements copying inbox rows, payloads and outbox rows number :from…:to of the template. */
function copyStatements(db: DatabaseSync, { orderId }: Template) {
  // The golden-ratio sequence: any prefix of it is spread almost evenly, so every level covers the 30 days alike.
  const receivedAt = ':start + CAST((n.i * 0.6180339887498949 - CAST(n.i * 0.6180339887498949 AS INTEGER)) * :history AS INTEGER)';
  const newOrderId = "CAST(900000000000000000 + n.i AS TEXT)";
  const inbox = copySql(db, 'inbox', 't.id = :template', {
    id: ':base + n.i', webhook_id: "'fill-' || n.i", event_id: "'fill-event-' || n.i",
    received_at: receivedAt, processed_at: `${receivedAt} + 500`,
  });
  const payload = copySql(db, 'inbox_payload', 't.inbox_id = :template', {
    inbox_id: ':base + n.i', body: `CAST(replace(CAST(t.body AS TEXT), '${orderId}', ${newOrderId}) AS BLOB)`,
  });
  const outbox = copySql(db, 'outbox', 't.inbox_id = :template', {
    inbox_id: ':base + n.i', message_id: "t.message_id || ':fill-' || n.i", payload: `replace(t.payload, '${orderId}', ${newOrderId})`,
    order_id: `CASE WHEN t.order_id IS NULL THEN NULL ELSE ${newOrderId} END`,
    user_id: "CASE WHEN t.user_id IS NULL THEN NULL ELSE t.user_id || '-' || (n.i % 10000) END",
    anonymous_id: "CASE WHEN t.anonymous_id IS NULL THEN NULL ELSE t.anonymous_id || '-' || (n.i % 10000) END",
    received_at: receivedAt, created_at: `${receivedAt} + 500`, delivered_at: `${receivedAt} + 1000`,
  }, ['id']);
  return [inbox, payload, outbox].map((sql) => {
    const statement = db.prepare(sql);
    statement.setAllowUnknownNamedParameters(true); // one parameter object for all three
    return statement;
  });
}

/** Per-minute delivery counts of the copies, as the delivery engine would have recorded them. */
function recordDeliveryMinutes(db: DatabaseSync, fromOutboxId: number): void {
  db.prepare(`INSERT INTO delivery_minutes (minute, destination, delivered, latency_ms_sum, latency_ms_max)
      SELECT delivered_at - delivered_at % 60000, destination, COUNT(*), SUM(delivered_at - received_at), MAX(delivered_at - received_at)
        FROM outbox WHERE id > ? AND status = 'delivered' GROUP BY 1, 2
      ON CONFLICT (minute, destination) DO UPDATE SET delivered = delivered + excluded.delivered,
        latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum, latency_ms_max = MAX(latency_ms_max, excluded.latency_ms_max)`).run(fromOutboxId);
}

function copiesSoFar(db: DatabaseSync): number {
  return Number(db.prepare("SELECT COUNT(*) AS n FROM inbox WHERE webhook_id LIKE 'fill-%'").get()?.n ?? 0);
}

/**
 * Adds copies until the store holds `target` of them (all delivered), in transactions of 20,000 with a WAL checkpoint
 * after each. `synchronous=OFF` for this connection only: the fill is set-up, not a measured path.
 */
export function fillDeliveredHistory(file: string, target: number, historyEnd = Date.now()): FillResult {
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA synchronous = OFF; PRAGMA cache_size = -262144'); // and a 256 MB page cache for the indexes
    const from = copiesSoFar(db);
    const statements = copyStatements(db, template(db));
    const firstOutboxId = Number(db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM outbox').get()?.id ?? 0);
    const started = performance.now();
    // Copy i gets inbox id base + i: above every row so far, whatever the measured runs between fills added.
    const base = Number(db.prepare('SELECT MAX(id) AS id FROM inbox').get()?.id ?? 0) + 1 - from;
    const params = { template: template(db).inboxId, base, start: historyEnd - history, history };
    for (let at = from; at < target; at += chunkRows) {
      db.exec('BEGIN');
      for (const statement of statements) statement.run({ ...params, from: at, to: Math.min(target, at + chunkRows) - 1 });
      db.exec('COMMIT');
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    }
    recordDeliveryMinutes(db, firstOutboxId);
    const seconds = (performance.now() - started) / 1000;
    return { rows: target - from, seconds, rowsPerSecond: (target - from) / Math.max(seconds, 0.001) };
  } finally {
    db.close();
  }
}

/** A customer of the copies (each has 1/10,000 of them), or the template's own before any fill. */
export function probeCustomer(file: string): string {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const pick = (where: string) => db.prepare(`SELECT user_id FROM outbox WHERE user_id IS NOT NULL AND ${where} LIMIT 1`).get()?.user_id;
    const user = pick("user_id GLOB '*-[0-9]*'") ?? pick('1 = 1');
    if (user === undefined || user === null) throw new Error('no message with a userId in the store');
    return String(user);
  } finally {
    db.close();
  }
}
