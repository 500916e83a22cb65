import fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { activateFaults, type ActiveFaults, type FaultAction, type FaultPlan } from './fault-plan.ts';
import { answerFault, listenOnLoopback } from './sink-server.ts';
import { eventRejection, sinkLimits, type CallType, type Rejection } from './validate-event.ts';

export type { FaultAction, FaultPlan, FaultRule } from './fault-plan.ts';

/** One event the sink accepted, with when it arrived. */
export interface SinkEvent {
  type: CallType;
  messageId: string;
  receivedAt: number;
  event: Record<string, unknown>;
}

export interface SinkStats {
  requests: number;
  acceptedRequests: number;
  acceptedEvents: number;
  /** Requests answered with an error, by status (faults included). */
  rejectedByStatus: Record<number, number>;
  /** Requests a fault plan answered (status or hang). */
  faults: number;
  /** Events in batches over 2,500 events, which Segment answers 200 and drops. */
  droppedEvents: number;
}

export interface SegmentSinkOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** When given, requests must carry it (Basic auth `writeKey:` or a `writeKey` body field), else 401. */
  writeKey?: string;
  faults?: FaultPlan;
  now?: () => number;
}

export interface SegmentSink {
  /** Base URL, e.g. http://127.0.0.1:53211 (use as the Segment destination's endpoint). */
  url: string;
  received(): SinkEvent[];
  countsByMessageId(): Map<string, number>;
  stats(): SinkStats;
  setFaults(plan: FaultPlan | null): void;
  close(): Promise<void>;
}

type Handled = { status: 200; events: Record<string, unknown>[]; dropped: number } | { status: 400 | 401; rejection: Rejection };

interface SinkState {
  events: SinkEvent[];
  counts: Map<string, number>;
  stats: SinkStats;
  faults: ActiveFaults;
}

const batchPath = '/v1/batch';
const singlePaths: Record<string, CallType> = { '/v1/track': 'track', '/v1/identify': 'identify', '/v1/page': 'page', '/v1/alias': 'alias' };

function newStats(): SinkStats {
  return { requests: 0, acceptedRequests: 0, acceptedEvents: 0, rejectedByStatus: {}, faults: 0, droppedEvents: 0 };
}

/** The write key in a Basic auth header (`base64(writeKey:)`; the colon-less legacy form is accepted too). */
function basicAuthKey(header: string | undefined): string | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? decoded : decoded.slice(0, colon);
}

function authorized(writeKey: string | undefined, header: string | undefined, body: Record<string, unknown>): boolean {
  if (writeKey === undefined) return true;
  return basicAuthKey(header) === writeKey || body.writeKey === writeKey;
}

type Parsed = { ok: true; body: Record<string, unknown> } | { ok: false; rejection: Rejection };

/** The body's one and only parse. */
function parseBody(raw: Buffer, maxBytes: number): Parsed {
  if (raw.length > maxBytes) {
    return { ok: false, rejection: { code: 'payload_too_large', message: `request is ${raw.length} bytes; the limit is ${maxBytes / 1024} KB` } };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, rejection: { code: 'invalid_json', message: 'request body is not valid JSON' } };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, rejection: { code: 'invalid_json', message: 'request body must be a JSON object' } };
  }
  return { ok: true, body: body as Record<string, unknown> };
}

function handleBatch(body: Record<string, unknown>, bodyBytes: number): Handled {
  const { batch } = body;
  if (!Array.isArray(batch)) return { status: 400, rejection: { code: 'invalid_batch', message: 'batch must be an array of events' } };
  const checkSize = bodyBytes > sinkLimits.maxEventBytes;
  for (const [index, event] of batch.entries()) {
    const rejection = eventRejection(event, index, checkSize);
    if (rejection) return { status: 400, rejection };
  }
  // Documented: over 2,500 events Segment still answers 200 but rejects the events.
  if (batch.length > sinkLimits.maxBatchEvents) return { status: 200, events: [], dropped: batch.length };
  return { status: 200, events: batch as Record<string, unknown>[], dropped: 0 };
}

function handleSingle(type: CallType, body: Record<string, unknown>): Handled {
  const { writeKey: _writeKey, ...fields } = body;
  const event = { ...fields, type };
  const rejection = eventRejection(event, null, false);
  return rejection ? { status: 400, rejection } : { status: 200, events: [event], dropped: 0 };
}

/** Validates and answers one request as Segment would; never throws. */
function handle(path: string, raw: Buffer, authorization: string | undefined, writeKey: string | undefined): Handled {
  const single = singlePaths[path];
  const parsed = parseBody(raw, single ? sinkLimits.maxEventBytes : sinkLimits.maxBatchBytes);
  if (!parsed.ok) return { status: 400, rejection: parsed.rejection };
  if (!authorized(writeKey, authorization, parsed.body)) return { status: 401, rejection: { code: 'invalid_write_key', message: 'Invalid write key' } };
  return single ? handleSingle(single, parsed.body) : handleBatch(parsed.body, raw.length);
}

function record(state: SinkState, handled: Handled, receivedAt: number): void {
  if (handled.status !== 200) {
    state.stats.rejectedByStatus[handled.status] = (state.stats.rejectedByStatus[handled.status] ?? 0) + 1;
    return;
  }
  state.stats.acceptedRequests += 1;
  state.stats.droppedEvents += handled.dropped;
  for (const event of handled.events) {
    const messageId = event.messageId as string;
    state.events.push({ type: event.type as CallType, messageId, receivedAt, event });
    state.counts.set(messageId, (state.counts.get(messageId) ?? 0) + 1);
  }
  state.stats.acceptedEvents += handled.events.length;
}

function countFault(state: SinkState, action: FaultAction): void {
  state.stats.faults += 1;
  if (action.kind === 'status') state.stats.rejectedByStatus[action.status] = (state.stats.rejectedByStatus[action.status] ?? 0) + 1;
}

const segmentFaultBody = (status: number) => JSON.stringify({ success: false, message: `injected ${status}` });

/**
 * A local stand-in for Segment's HTTP Tracking API that enforces its documented rules (auth, 500 KB per batch,
 * 32 KB per event, 2,500 events, required fields, 400 for bad JSON) and can inject faults. Listens on 127.0.0.1.
 */
export async function startSegmentSink(options: SegmentSinkOptions = {}): Promise<SegmentSink> {
  const now = options.now ?? Date.now;
  const state: SinkState = { events: [], counts: new Map(), stats: newStats(), faults: activateFaults(options.faults ?? null, now()) };
  const app = fastify({ logger: false, forceCloseConnections: true, bodyLimit: 8 * 1024 * 1024 });
  // analytics.js posts text/plain to avoid CORS preflights; Segment accepts both.
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  async function route(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    state.stats.requests += 1;
    const fault = state.faults.next(now());
    if (fault) countFault(state, fault);
    if (fault && (await answerFault(fault, reply, segmentFaultBody))) return;
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const handled = handle(request.url, raw, request.headers.authorization, options.writeKey);
    record(state, handled, now());
    const payload = handled.status === 200 ? { success: true } : { success: false, ...handled.rejection };
    await reply.code(handled.status).send(payload);
  }

  for (const path of [batchPath, ...Object.keys(singlePaths)]) app.post(path, route);
  const url = await listenOnLoopback(app, options);

  return {
    url,
    received: () => state.events.slice(),
    countsByMessageId: () => new Map(state.counts),
    stats: () => ({ ...state.stats, rejectedByStatus: { ...state.stats.rejectedByStatus } }),
    setFaults(plan) {
      state.faults = activateFaults(plan, now());
    },
    close: () => app.close(),
  };
}
