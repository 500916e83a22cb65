import type { z } from 'zod';
import { AdminApiError } from './admin-errors.ts';
import { queryCostOf, waitForPoints, type ThrottleStatus } from './throttle.ts';

/** What the client needs to reach one shop's Admin GraphQL API. */
export interface AdminClientOptions {
  shop: string;
  /** Sent as X-Shopify-Access-Token; never logged, never put in an error message. */
  accessToken: string;
  apiVersion: string;
  /** Replaces `https://{shop}` (a local fake in tests). */
  endpoint?: string | undefined;
  fetch?: typeof fetch;
  /** Injected so tests run the throttle's waits on a fake clock. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Tries for a 5xx or network error before giving up (default 5). */
  maxAttempts?: number;
  /** First backoff after a 5xx or network error; doubles each try (default 500 ms). */
  backoffMs?: number;
  timeoutMs?: number;
}

export interface AdminClient {
  readonly url: string;
  /**
   * Runs one GraphQL operation and validates `data` with `schema`. Waits for the query cost throttle before and
   * after a THROTTLED answer (never surfaced), retries 5xx and network errors with backoff, and throws an
   * AdminApiError saying what to fix for everything else.
   */
  request<T>(query: string, variables: Record<string, unknown>, schema: z.ZodType<T>): Promise<T>;
}

type Sent = { kind: 'answer'; status: number; text: string } | { kind: 'network'; reason: string };

interface GraphqlError {
  message?: unknown;
  extensions?: { code?: unknown } | null;
}

interface GraphqlAnswer {
  data?: unknown;
  errors?: unknown;
  extensions?: unknown;
}

/** How many THROTTLED answers in a row are waited out before giving up (each wait is what Shopify says it needs). */
const maxThrottledInARow = 20;

export function adminGraphqlUrl(shop: string, apiVersion: string, endpoint?: string): string {
  const base = (endpoint ?? `https://${shop}`).replace(/\/+$/, '');
  return `${base}/admin/api/${apiVersion}/graphql.json`;
}

function operationName(query: string): string {
  return /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
}

function graphqlErrors(answer: GraphqlAnswer): GraphqlError[] {
  return Array.isArray(answer.errors) ? (answer.errors as GraphqlError[]) : [];
}

function errorText(errors: GraphqlError[]): string {
  return errors.map((error) => String(error.message ?? 'unknown error')).join('; ');
}

/** A non-JSON or non-object answer body, shortened for an error message. */
function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

/** Who a failure is about, for its message (never the token). */
interface Target {
  shop: string;
  url: string;
  apiVersion: string;
}

/** A non-200 answer as the error that says what to fix. */
function failureFor(target: Target, status: number, text: string): AdminApiError {
  if (status === 401) {
    return new AdminApiError('unauthorized', `Shopify refused the Admin API access token for ${target.shop} (401): check SHOPIFY_ADMIN_ACCESS_TOKEN or shops[].adminAccessToken — it must be the Admin API access token of an app installed on this shop (shpat_…), not the API key or secret`);
  }
  if (status === 403) {
    return new AdminApiError('forbidden', `Shopify answered 403 Forbidden for ${target.shop}: the app lacks a required access scope or was uninstalled (${snippet(text)})`);
  }
  if (status === 404) {
    return new AdminApiError('not-found', `no Admin API at ${target.url} (404): check the shop domain and that API version ${target.apiVersion} is still supported`);
  }
  if (status === 402 || status === 423) {
    return new AdminApiError('shop-unavailable', `${target.shop} is ${status === 402 ? 'frozen (unpaid: 402 Payment Required)' : 'locked (423)'}: the Admin API serves it again once the merchant resolves it`);
  }
  return new AdminApiError('graphql', `Shopify answered ${status} for ${target.shop}: ${snippet(text)}`);
}

function tryParse(text: string): GraphqlAnswer {
  try {
    return parseAnswer(text);
  } catch {
    return {};
  }
}

function parseAnswer(text: string): GraphqlAnswer {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as GraphqlAnswer;
  } catch {
    // reported below
  }
  throw new AdminApiError('bad-response', `the Admin API answered something that is not a GraphQL response: ${snippet(text)}`);
}

function isThrottled(status: number, errors: GraphqlError[]): boolean {
  return status === 429 || errors.some((error) => error.extensions?.code === 'THROTTLED');
}

/** GraphQL errors other than THROTTLED, as the error to throw. */
function checkErrors(target: Target, errors: GraphqlError[]): void {
  if (errors.length === 0) return;
  const denied = errors.some((error) => error.extensions?.code === 'ACCESS_DENIED');
  if (denied) throw new AdminApiError('forbidden', `the access token for ${target.shop} lacks a scope: ${errorText(errors)} — add the scope to the app and reinstall or re-authorize it`);
  throw new AdminApiError('graphql', `the Admin API refused the query: ${errorText(errors)}`);
}

function dataOf<T>(answer: GraphqlAnswer, schema: z.ZodType<T>, operation: string): T {
  const parsed = schema.safeParse(answer.data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined ? '' : ` (${issue.path.map(String).join('.')}: ${issue.message})`;
  throw new AdminApiError('bad-response', `unexpected answer to ${operation}${where}`);
}

export function createAdminClient(options: AdminClientOptions): AdminClient {
  const url = adminGraphqlUrl(options.shop, options.apiVersion, options.endpoint);
  const target: Target = { shop: options.shop, url, apiVersion: options.apiVersion };
  const fetchFn = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoffMs = options.backoffMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 30_000;
  /** The bucket as last reported, and the cost each operation last asked for: enough to wait before sending. */
  let bucket: { status: ThrottleStatus; seenAt: number } | undefined;
  const lastCost = new Map<string, number>();

  async function send(query: string, variables: Record<string, unknown>): Promise<Sent> {
    try {
      const response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': options.accessToken },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { kind: 'answer', status: response.status, text: await response.text() };
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      return { kind: 'network', reason: String(cause?.code ?? (error as Error).message) };
    }
  }

  async function waitForBudget(operation: string): Promise<void> {
    const cost = lastCost.get(operation);
    if (bucket === undefined || cost === undefined) return;
    const wait = waitForPoints(bucket.status, bucket.seenAt, now(), cost);
    if (wait > 0) await sleep(wait);
  }

  function remember(operation: string, answer: GraphqlAnswer): { requested?: number } {
    const cost = queryCostOf(answer.extensions);
    if (cost === undefined) return {};
    bucket = { status: cost.throttleStatus, seenAt: now() };
    if (cost.requestedQueryCost != null) lastCost.set(operation, cost.requestedQueryCost);
    return cost.requestedQueryCost == null ? {} : { requested: cost.requestedQueryCost };
  }

  /** The wait a THROTTLED answer asks for: until the bucket holds the requested cost again. */
  function throttledWait(requested: number | undefined): number {
    if (bucket === undefined) return 1_000;
    return Math.max(waitForPoints(bucket.status, bucket.seenAt, now(), requested ?? bucket.status.maximumAvailable / 2), 1);
  }

  async function request<T>(query: string, variables: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    const operation = operationName(query);
    let failures = 0;
    let throttled = 0;
    for (;;) {
      await waitForBudget(operation);
      const sent = await send(query, variables);
      if (sent.kind === 'network' || sent.status >= 500) {
        failures += 1;
        if (failures >= maxAttempts) {
          const what = sent.kind === 'network' ? sent.reason : `HTTP ${sent.status}`;
          throw new AdminApiError('unavailable', `the Admin API at ${url} did not answer after ${failures} tries (last: ${what})`);
        }
        await sleep(backoffMs * 2 ** (failures - 1));
        continue;
      }
      if (sent.status !== 200 && sent.status !== 429) throw failureFor(target, sent.status, sent.text);
      // A 429 need not carry a GraphQL body; its cost report is used when it does.
      const answer = sent.status === 429 ? tryParse(sent.text) : parseAnswer(sent.text);
      const { requested } = remember(operation, answer);
      const errors = graphqlErrors(answer);
      if (isThrottled(sent.status, errors)) {
        throttled += 1;
        if (throttled > maxThrottledInARow) throw new AdminApiError('throttled', `the Admin API kept throttling ${operation} after ${maxThrottledInARow} waits`);
        await sleep(throttledWait(requested));
        continue;
      }
      checkErrors(target, errors);
      return dataOf(answer, schema, operation);
    }
  }

  return { url, request };
}
