import fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { activateFaults, type ActiveFaults, type FaultAction, type FaultPlan } from './fault-plan.ts';
import { answerFault, listenOnLoopback } from './sink-server.ts';

export type { FaultAction, FaultPlan, FaultRule } from './fault-plan.ts';

/**
 * The rules this sink enforces, restated from TikTok's docs on purpose (not imported from the destination, so a
 * mistake there cannot hide here): Events API 2.0 /event/track/ takes at most 1,000 events and rejects the whole
 * request over that; email, phone and external_id must be SHA-256 hashes; event_time is Unix seconds.
 */
export const tiktokSinkRules = {
  path: '/open_api/v1.3/event/track/',
  maxEvents: 1000,
  eventSources: ['web', 'app', 'offline', 'crm'],
  hashedUserFields: ['email', 'phone', 'external_id'],
} as const;

/** TikTok return codes the sink answers with (docs: "Return codes"). */
export const tiktokSinkCodes = { ok: 0, noPermission: 40001, parameterError: 40002, tokenEmpty: 40104, tokenInvalid: 40105 } as const;

/** One event the sink accepted, with when it arrived. */
export interface TikTokSinkEvent {
  event: string;
  eventId: string | undefined;
  testEventCode: string | undefined;
  receivedAt: number;
  body: Record<string, unknown>;
}

export interface TikTokSinkStats {
  requests: number;
  acceptedRequests: number;
  acceptedEvents: number;
  /** Requests answered HTTP 200 with a non-zero TikTok code, by code (code faults included). */
  rejectedByCode: Record<number, number>;
  /** Requests answered with an HTTP error status (status faults). */
  rejectedByStatus: Record<number, number>;
  /** Requests a fault plan answered (code, status or hang). */
  faults: number;
}

export interface TikTokSinkOptions {
  /** Requests must carry it in the Access-Token header. */
  accessToken: string;
  /** The only event_source_id (pixel code) the sink accepts. */
  pixelCode: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  faults?: FaultPlan;
  now?: () => number;
}

export interface TikTokSink {
  /** Base URL, e.g. http://127.0.0.1:53211 (use as the TikTok destination's endpoint). */
  url: string;
  received(): TikTokSinkEvent[];
  countsByEventId(): Map<string, number>;
  stats(): TikTokSinkStats;
  setFaults(plan: FaultPlan | null): void;
  close(): Promise<void>;
}

interface Rejection {
  code: number;
  message: string;
}

type Handled = { ok: true; events: Record<string, unknown>[]; testEventCode: string | undefined } | { ok: false; rejection: Rejection };

type Body = Record<string, unknown>;

function rejected(code: number, message: string): Handled {
  return { ok: false, rejection: { code, message } };
}

/** A fault answering HTTP 200 with this TikTok code, as TikTok answers errors (e.g. 40100 for a rate limit). */
export function tiktokCodeFault(code: number, message = `injected code ${code}`): FaultAction {
  return { kind: 'status', status: 200, body: JSON.stringify({ code, message, request_id: 'fault', data: {} }) };
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const sha256Hex = /^[0-9a-f]{64}$/;

function hashedFieldRejection(user: Body, where: string): string | null {
  for (const field of tiktokSinkRules.hashedUserFields) {
    const value = user[field];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((item) => typeof item === 'string' && sha256Hex.test(item))) {
      return `${where}.user.${field}: must be SHA-256 hashed (64 lowercase hex digits)`;
    }
  }
  return null;
}

function propertiesRejection(properties: unknown, where: string): string | null {
  if (properties === undefined) return null;
  if (!isObject(properties)) return `${where}.properties: must be an object`;
  if (properties.value !== undefined && typeof properties.value !== 'number') return `${where}.properties.value: must be a number`;
  if (properties.contents !== undefined && !Array.isArray(properties.contents)) return `${where}.properties.contents: must be an array`;
  return null;
}

/** Why TikTok would refuse this event, or null. Seconds, not milliseconds: 1e11 s is the year 5138. */
function eventRejection(event: unknown, index: number): string | null {
  const where = `data[${index}]`;
  if (!isObject(event)) return `${where}: must be an object`;
  if (typeof event.event !== 'string' || event.event === '') return `${where}.event: is required`;
  const time = event.event_time;
  if (typeof time !== 'number' || !Number.isInteger(time) || time <= 0 || time >= 1e11) {
    return `${where}.event_time: must be a Unix time in seconds`;
  }
  if (event.event_id !== undefined && typeof event.event_id !== 'string') return `${where}.event_id: must be a string`;
  if (event.user !== undefined && !isObject(event.user)) return `${where}.user: must be an object`;
  return (isObject(event.user) ? hashedFieldRejection(event.user, where) : null) ?? propertiesRejection(event.properties, where);
}

function envelopeRejection(body: Body, pixelCode: string): Handled | null {
  const source = body.event_source;
  if (typeof source !== 'string' || !(tiktokSinkRules.eventSources as readonly string[]).includes(source)) {
    return rejected(tiktokSinkCodes.parameterError, `event_source: must be one of ${tiktokSinkRules.eventSources.join(', ')}`);
  }
  if (source !== 'web') return rejected(tiktokSinkCodes.parameterError, `event_source: this sink takes web events only`);
  if (body.event_source_id !== pixelCode) {
    return rejected(tiktokSinkCodes.noPermission, `No permission to operate pixel_code ${JSON.stringify(body.event_source_id)}.`);
  }
  if (body.test_event_code !== undefined && typeof body.test_event_code !== 'string') {
    return rejected(tiktokSinkCodes.parameterError, 'test_event_code: must be a string');
  }
  return null;
}

function dataRejection(data: unknown): Handled | null {
  if (!Array.isArray(data) || data.length === 0) return rejected(tiktokSinkCodes.parameterError, 'data: must be a non-empty array');
  if (data.length > tiktokSinkRules.maxEvents) {
    return rejected(tiktokSinkCodes.parameterError, `data: at most ${tiktokSinkRules.maxEvents} events per request, got ${data.length}`);
  }
  for (const [index, event] of data.entries()) {
    const rejection = eventRejection(event, index);
    if (rejection) return rejected(tiktokSinkCodes.parameterError, rejection);
  }
  return null;
}

function parseBody(raw: Buffer): Body | null {
  try {
    const body: unknown = JSON.parse(raw.toString('utf8'));
    return isObject(body) ? body : null;
  } catch {
    return null;
  }
}

function authRejection(header: string | string[] | undefined, accessToken: string): Handled | null {
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) return rejected(tiktokSinkCodes.tokenEmpty, 'Access token is null, you should set it in http header with key Access-Token.');
  if (token !== accessToken) return rejected(tiktokSinkCodes.tokenInvalid, 'Access token is incorrect or has been revoked.');
  return null;
}

/** Validates one request as TikTok would; the whole request is accepted or refused. Never throws. */
function handle(raw: Buffer, tokenHeader: string | string[] | undefined, options: TikTokSinkOptions): Handled {
  const auth = authRejection(tokenHeader, options.accessToken);
  if (auth) return auth;
  const body = parseBody(raw);
  if (body === null) return rejected(tiktokSinkCodes.parameterError, 'request body must be a JSON object');
  const refusal = envelopeRejection(body, options.pixelCode) ?? dataRejection(body.data);
  if (refusal) return refusal;
  const testEventCode = typeof body.test_event_code === 'string' ? body.test_event_code : undefined;
  return { ok: true, events: body.data as Body[], testEventCode };
}

interface SinkState {
  events: TikTokSinkEvent[];
  counts: Map<string, number>;
  stats: TikTokSinkStats;
  faults: ActiveFaults;
  requestCount: number;
}

function bump(counter: Record<number, number>, key: number): void {
  counter[key] = (counter[key] ?? 0) + 1;
}

function record(state: SinkState, handled: Handled, receivedAt: number): void {
  if (!handled.ok) {
    bump(state.stats.rejectedByCode, handled.rejection.code);
    return;
  }
  state.stats.acceptedRequests += 1;
  state.stats.acceptedEvents += handled.events.length;
  for (const body of handled.events) {
    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
    state.events.push({ event: body.event as string, eventId, testEventCode: handled.testEventCode, receivedAt, body });
    if (eventId !== undefined) state.counts.set(eventId, (state.counts.get(eventId) ?? 0) + 1);
  }
}

function countFault(state: SinkState, action: FaultAction): void {
  state.stats.faults += 1;
  if (action.kind !== 'status') return;
  if (action.status !== 200) return bump(state.stats.rejectedByStatus, action.status);
  const code = (parseBody(Buffer.from(action.body ?? '')) ?? {}).code;
  if (typeof code === 'number' && code !== 0) bump(state.stats.rejectedByCode, code);
}

const tiktokFaultBody = (status: number) => JSON.stringify({ message: `injected ${status}` });

function newState(plan: FaultPlan | null, now: number): SinkState {
  const stats: TikTokSinkStats = { requests: 0, acceptedRequests: 0, acceptedEvents: 0, rejectedByCode: {}, rejectedByStatus: {}, faults: 0 };
  return { events: [], counts: new Map(), stats, faults: activateFaults(plan, now), requestCount: 0 };
}

/**
 * A local stand-in for TikTok's Events API 2.0 (/open_api/v1.3/event/track/) that enforces its documented rules
 * and answers as TikTok does: HTTP 200 with `{ code, message, request_id, data }`, code 0 on success. Can inject
 * faults (TikTok codes with tiktokCodeFault, HTTP statuses, hangs). Listens on 127.0.0.1.
 */
export async function startTikTokSink(options: TikTokSinkOptions): Promise<TikTokSink> {
  const now = options.now ?? Date.now;
  const state = newState(options.faults ?? null, now());
  const app = fastify({ logger: false, forceCloseConnections: true, bodyLimit: 16 * 1024 * 1024 });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  async function route(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    state.stats.requests += 1;
    const fault = state.faults.next(now());
    if (fault) countFault(state, fault);
    if (fault && (await answerFault(fault, reply, tiktokFaultBody))) return;
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const handled = handle(raw, request.headers['access-token'], options);
    record(state, handled, now());
    state.requestCount += 1;
    const head = handled.ok ? { code: tiktokSinkCodes.ok, message: 'OK' } : handled.rejection;
    await reply.code(200).send({ ...head, request_id: `sink-${state.requestCount}`, data: {} });
  }

  app.post(tiktokSinkRules.path, route);
  const url = await listenOnLoopback(app, options);

  return {
    url,
    received: () => state.events.slice(),
    countsByEventId: () => new Map(state.counts),
    stats: () => ({ ...state.stats, rejectedByCode: { ...state.stats.rejectedByCode }, rejectedByStatus: { ...state.stats.rejectedByStatus } }),
    setFaults(plan) {
      state.faults = activateFaults(plan, now());
    },
    close: () => app.close(),
  };
}
