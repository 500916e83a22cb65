import type { Command } from 'commander';
import { createProgressLine } from '../backfill/progress.ts';
import { loadConfig } from '../config/load-config.ts';
import { followReplay, replayProgressLine, type ReplayProgress } from '../replay/follow-replay.ts';
import {
  configuredDestinations,
  dedupNote,
  describeSelection,
  eventCountLines,
  replaySelection,
  unknownDestination,
  type ReplayField,
  type ReplayRequest,
} from '../replay/replay-request.ts';
import { openStore } from '../store/open-store.ts';
import type { ReplayCount, ReplaySelection, Store } from '../store/store.ts';
import { exitOnConfigError } from './process-helpers.ts';

export interface ReplayCliOptions {
  destination: string;
  ids?: string;
  since?: string;
  until?: string;
  orders?: string;
  dryRun?: boolean;
  wait?: boolean;
  config?: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const isoTime = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** "2026-01-31" (UTC midnight) or an ISO time with its zone (Z or ±hh:mm): a time without one would be ambiguous. */
export function parseTime(flag: string, value: string): Parsed<number> {
  const refused = { ok: false, problem: `${flag}: "${value}" is not a date (use 2026-01-31 or 2026-01-31T12:00:00Z)` } as const;
  const match = isoTime.exec(value);
  if (!match) return refused;
  const [, date, time] = match;
  const day = Date.parse(`${date}T00:00:00Z`);
  // Date takes 2026-02-30 for 2 March: a calendar day must read back as written.
  if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== date) return refused;
  const epochMs = time ? Date.parse(value) : day;
  return Number.isNaN(epochMs) ? refused : { ok: true, value: epochMs };
}

/** A comma list whose every item `read` accepts (null: refused); `what` names an item in the error. */
function parseList<T>(flag: string, value: string, what: string, read: (item: string) => T | null): Parsed<T[]> {
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  const values: T[] = [];
  for (const item of items) {
    const parsed = read(item);
    if (parsed === null) return { ok: false, problem: `${flag}: "${item}" is not ${what}` };
    values.push(parsed);
  }
  return { ok: true, value: values };
}

const messageId = (item: string) => (/^\d+$/.test(item) && Number(item) > 0 ? Number(item) : null);
const orderId = (item: string) => (/^\d+$/.test(item) ? item : null);
const orderIdHelp = "an order id (the number in the order's admin URL, e.g. 820982911946154508)";
const flagOf: Record<ReplayField, string> = { until: '--until', orderIds: '--orders', ids: '--ids' };

/** A flag's value parsed, or undefined when the flag was not given. */
function optional<T>(value: string | undefined, parse: (value: string) => Parsed<T>): Parsed<T | undefined> {
  return value === undefined ? { ok: true, value: undefined } : parse(value);
}

/** The flags as a request, or the first mistake in them, naming the flag. */
function replayRequest(options: ReplayCliOptions): Parsed<ReplayRequest> {
  const since = optional(options.since, (v) => parseTime('--since', v));
  if (!since.ok) return since;
  const until = optional(options.until, (v) => parseTime('--until', v));
  if (!until.ok) return until;
  const orderIds = optional(options.orders, (v) => parseList('--orders', v, orderIdHelp, orderId));
  if (!orderIds.ok) return orderIds;
  const ids = optional(options.ids, (v) => parseList('--ids', v, 'a message id (see `npx cartstream dead-letters`)', messageId));
  if (!ids.ok) return ids;
  return { ok: true, value: { destination: options.destination, since: since.value, until: until.value, orderIds: orderIds.value, ids: ids.value } };
}

/** The flags as a store selection, or the first mistake in them, naming the flag. */
export function parseReplayFlags(options: ReplayCliOptions, configured: readonly string[]): Parsed<ReplaySelection> {
  const unknown = unknownDestination(options.destination, configured);
  if (unknown !== null) return { ok: false, problem: `-d: ${unknown}` };
  const request = replayRequest(options);
  if (!request.ok) return request;
  const plan = replaySelection(request.value);
  return plan.ok ? { ok: true, value: plan.selection } : { ok: false, problem: `${flagOf[plan.field]}: ${plan.problem}` };
}

function printCount(selection: ReplaySelection, count: ReplayCount, dryRun: boolean, now: number): void {
  const messages = `${count.count} message${count.count === 1 ? '' : 's'}`;
  if (dryRun) console.log(`dry run: ${messages} would be sent again: ${describeSelection(selection)}; nothing was changed`);
  else console.log(`requeued ${messages}: ${describeSelection(selection)} (same messageIds, so ${selection.destination} drops any it already has)`);
  for (const line of eventCountLines(count)) console.log(line);
  const note = count.count > 0 ? dedupNote(selection, now) : null;
  if (note !== null) console.log(note);
}

/** Shows a progress bar on stderr until every requeued message is delivered or dead; Ctrl-C stops waiting. */
async function waitForDelivery(store: Store, count: ReplayCount): Promise<ReplayProgress | null> {
  console.error('waiting for a running cartstream to deliver them (Ctrl-C stops waiting; the messages stay queued)');
  const line = createProgressLine(process.stderr, 'replay');
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    return await followReplay(store, count.ids, { onProgress: (p) => line.show(replayProgressLine(p)), signal: controller.signal });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    return null;
  } finally {
    process.off('SIGINT', stop);
    line.end();
  }
}

async function replay(options: ReplayCliOptions): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(process.env, options.config));
  const selection = parseReplayFlags(options, configuredDestinations(config));
  if (!selection.ok) {
    console.error(selection.problem);
    process.exit(2);
  }
  const dryRun = options.dryRun === true;
  const store = await openStore(config.db);
  try {
    const now = Date.now();
    const count = await store.replayMessages(selection.value, { dryRun, now });
    printCount(selection.value, count, dryRun, now);
    if (dryRun || count.count === 0) return;
    if (!options.wait) return console.log('a running cartstream delivers them now');
    const done = await waitForDelivery(store, count);
    if (done === null) return console.log('stopped waiting; the messages not yet delivered stay queued');
    console.log(`replay finished: ${done.delivered} delivered, ${done.dead} dead${done.dead > 0 ? ` (see npx cartstream dead-letters -d ${selection.value.destination})` : ''}`);
    if (done.dead > 0) process.exitCode = 1;
  } finally {
    await store.close();
  }
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('send messages again with their messageIds (destinations drop repeats): dead letters by default, or every delivered or dead message of a period or of orders')
    .requiredOption('-d, --destination <name>', 'a configured destination, e.g. segment')
    .option('--ids <ids>', 'comma-separated dead-letter ids (default: all dead letters of the destination)')
    .option('--since <date>', 'messages of webhooks received at or after this (2026-01-31 or an ISO time with zone)')
    .option('--until <date>', 'messages of webhooks received before this')
    .option('--orders <ids>', 'comma-separated Shopify order ids')
    .option('--dry-run', 'count what would be sent again, per event; change nothing')
    .option('--wait', 'show progress until every replayed message is delivered or dead (exits 1 if some are dead)')
    .option('-c, --config <path>', 'config file')
    .action(replay);
}
