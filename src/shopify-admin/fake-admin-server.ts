import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LineItemNode, OrderNode, RefundNode } from './order-nodes.ts';

/**
 * A local stand-in for one shop's Admin GraphQL API that enforces the rules cartstream depends on, restated from
 * Shopify's docs on purpose (not imported from the client, so a mistake there cannot hide here):
 * - every request needs X-Shopify-Access-Token (else 401 with Shopify's body);
 * - query cost: a leaky bucket of `maximumAvailable` points refilled at `restoreRate` per second; a query runs only
 *   when the bucket holds its requested cost, else it gets `THROTTLED` with the bucket state and no data; after it
 *   runs, requested − actual is refunded; one query may not ask for more than 1,000 points (MAX_COST_EXCEEDED);
 * - `extensions.cost` on every answer; cursor pagination (opaque cursors, `pageInfo`), oldest order first;
 * - orders need the read_orders scope (ACCESS_DENIED otherwise).
 * It answers the operations cartstream sends, recognised by their operation name.
 */

/** An order as the fake holds it: every line item, and its refunds in full. */
export interface FakeOrder {
  node: OrderNode;
  refunds?: RefundNode[];
}

export interface FakeSubscription {
  id: string;
  topic: string;
  uri: string;
}

export interface FakeAdminOptions {
  accessToken: string;
  orders?: FakeOrder[];
  subscriptions?: FakeSubscription[];
  scopes?: readonly string[];
  bucket?: { maximumAvailable: number; restoreRate: number };
  /** Points in the bucket at start (default: full), e.g. 0 when another process of the app just drained it. */
  initiallyAvailable?: number;
  /** Requested points per order of an orders page (Shopify charges connections for every node asked for). */
  orderCost?: number;
  now?: () => number;
}

export interface FakeRequest {
  operation: string;
  variables: Record<string, unknown>;
  /** What the fake answered: 'ok', 'throttled', or an HTTP status of a fault. */
  outcome: 'ok' | 'throttled' | 'denied' | number;
}

export interface FakeAdminServer {
  /** Base URL to use as SHOPIFY_ADMIN_ENDPOINT. */
  url: string;
  requests: FakeRequest[];
  subscriptions: FakeSubscription[];
  /** Answer matching requests with this HTTP status (a 5xx outage) until cleared with null. */
  failWith(rule: ((operation: string) => number | undefined) | null): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
type Executed = { data: Json; actual: number };

const singleQueryLimit = 1000;

function cursorFor(id: string): string {
  return Buffer.from(JSON.stringify({ last_id: id })).toString('base64url');
}

function idFromCursor(cursor: unknown): string | undefined {
  if (typeof cursor !== 'string') return undefined;
  try {
    return (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { last_id?: string }).last_id;
  } catch {
    return undefined;
  }
}

/** The page of `items` after the cursor, with Shopify's pageInfo. */
function page<T>(items: readonly T[], idOf: (item: T) => string, first: number, after: unknown): { nodes: T[]; pageInfo: Json } {
  const afterId = idFromCursor(after);
  const start = afterId === undefined ? 0 : items.findIndex((item) => idOf(item) === afterId) + 1;
  const nodes = items.slice(start, start + first);
  const last = nodes.at(-1);
  return { nodes, pageInfo: { hasNextPage: start + first < items.length, endCursor: last === undefined ? null : cursorFor(idOf(last)) } };
}

/** created_at:>='…' AND created_at:<'…' from a search query. */
function createdFilter(query: unknown): (order: OrderNode) => boolean {
  const text = typeof query === 'string' ? query : '';
  const since = /created_at:>='([^']+)'/.exec(text)?.[1];
  const until = /created_at:<'([^']+)'/.exec(text)?.[1];
  return (order) => {
    const at = Date.parse(order.createdAt);
    return (since === undefined || at >= Date.parse(since)) && (until === undefined || at < Date.parse(until));
  };
}

function numericId(gid: string): bigint {
  return BigInt(/\d+$/.exec(gid)?.[0] ?? '0');
}

function orderedOrders(orders: readonly FakeOrder[]): FakeOrder[] {
  return [...orders].sort((a, b) => Date.parse(a.node.createdAt) - Date.parse(b.node.createdAt) || Number(numericId(a.node.id) - numericId(b.node.id)));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export async function startFakeAdminServer(options: FakeAdminOptions): Promise<FakeAdminServer> {
  const now = options.now ?? Date.now;
  const bucketSize = options.bucket ?? { maximumAvailable: 1000, restoreRate: 100 };
  const orderCost = options.orderCost ?? 100;
  const scopes = new Set(options.scopes ?? ['read_orders']);
  const orders = orderedOrders(options.orders ?? []);
  const subscriptions = [...(options.subscriptions ?? [])];
  const requests: FakeRequest[] = [];
  let fault: ((operation: string) => number | undefined) | null = null;
  let available = options.initiallyAvailable ?? bucketSize.maximumAvailable;
  let lastRefill = now();

  function refill(): void {
    const at = now();
    available = Math.min(bucketSize.maximumAvailable, available + ((at - lastRefill) / 1000) * bucketSize.restoreRate);
    lastRefill = at;
  }

  function throttleStatus(): Json {
    return { maximumAvailable: bucketSize.maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate: bucketSize.restoreRate };
  }

  function orderById(id: unknown): FakeOrder | undefined {
    return orders.find((order) => order.node.id === id);
  }

  function refundById(id: unknown): RefundNode | undefined {
    return orders.flatMap((order) => order.refunds ?? []).find((refund) => refund.id === id);
  }

  /** An order as an orders page shows it: the first 10 line items, refund ids only. */
  function orderInPage(order: FakeOrder): Json {
    const lines = page(order.node.lineItems.nodes, (item) => item.id, 10, null);
    return { ...order.node, lineItems: lines, refunds: (order.refunds ?? []).map((refund) => ({ id: refund.id })) };
  }

  /** Each operation's requested cost (known before it runs, from its arguments) and what running it answers. */
  const operations: Record<string, { requested: (variables: Json) => number; run: (variables: Json) => Executed }> = {
    ShopName: { requested: () => 1, run: () => ({ data: { shop: { name: 'Fake Shop' } }, actual: 1 }) },
    BackfillOrdersCount: {
      requested: () => 1,
      run: (variables) => {
        const count = orders.filter((order) => createdFilter(variables.query)(order.node)).length;
        return { data: { ordersCount: { count, precision: 'EXACT' } }, actual: 1 };
      },
    },
    BackfillOrders: {
      requested: (variables) => 2 + Number(variables.first) * orderCost,
      run: (variables) => {
        const matching = orders.filter((order) => createdFilter(variables.query)(order.node));
        const result = page(matching, (order) => order.node.id, Number(variables.first), variables.after);
        return { data: { orders: { nodes: result.nodes.map(orderInPage), pageInfo: result.pageInfo } }, actual: 2 + result.nodes.length * orderCost };
      },
    },
    BackfillMoreLineItems: {
      requested: () => 703,
      run: (variables) => {
        const order = orderById(variables.id);
        const lines = order === undefined ? undefined : page<LineItemNode>(order.node.lineItems.nodes, (item) => item.id, 100, variables.after);
        return { data: { node: lines === undefined ? null : { lineItems: lines } }, actual: 3 + (lines?.nodes.length ?? 0) * 7 };
      },
    },
    BackfillRefund: { requested: () => 505, run: (variables) => ({ data: { node: refundById(variables.id) ?? null }, actual: 60 }) },
    BackfillMoreRefundLineItems: {
      requested: () => 703,
      run: (variables) => {
        const refund = refundById(variables.id);
        const lines = refund === undefined ? undefined : page(refund.refundLineItems.nodes, (line) => line.lineItem.id, 50, variables.after);
        return { data: { node: lines === undefined ? null : { refundLineItems: lines } }, actual: 50 };
      },
    },
    WebhookSubscriptions: {
      requested: (variables) => 2 + Number(variables.first),
      run: (variables) => ({ data: { webhookSubscriptions: page(subscriptions, (s) => s.id, Number(variables.first), variables.after) }, actual: 2 + subscriptions.length }),
    },
    WebhookSubscriptionCreate: { requested: () => 10, run: (variables) => ({ data: { webhookSubscriptionCreate: createSubscription(variables) }, actual: 10 }) },
  };

  function createSubscription(variables: Json): Json {
    const input = (variables.webhookSubscription ?? {}) as { uri?: unknown };
    const topic = String(variables.topic);
    const uri = String(input.uri ?? '');
    if (subscriptions.some((s) => s.topic === topic && s.uri === uri)) {
      return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'uri'], message: 'Address for this topic has already been taken' }] };
    }
    const created = { id: `gid://shopify/WebhookSubscription/${subscriptions.length + 1}`, topic, uri };
    subscriptions.push(created);
    return { webhookSubscription: created, userErrors: [] };
  }

  const needsReadOrders = new Set(['BackfillOrders', 'BackfillOrdersCount', 'BackfillMoreLineItems', 'BackfillRefund', 'BackfillMoreRefundLineItems']);

  function answer(operation: string, variables: Json, response: ServerResponse): void {
    const run = operations[operation];
    if (run === undefined) return send(response, 200, { errors: [{ message: `fake: unknown operation ${operation}` }] });
    if (needsReadOrders.has(operation) && !scopes.has('read_orders')) {
      requests.push({ operation, variables, outcome: 'denied' });
      return send(response, 200, { errors: [{ message: 'Access denied for orders field. Required access: `read_orders` access scope.', extensions: { code: 'ACCESS_DENIED' } }], data: null });
    }
    const requested = run.requested(variables);
    refill();
    const cost = (actual: number | null) => ({ cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: throttleStatus() } });
    if (requested > singleQueryLimit) {
      return send(response, 200, { errors: [{ message: `Query cost is ${requested}, which exceeds the single query max cost limit (${singleQueryLimit}).`, extensions: { code: 'MAX_COST_EXCEEDED' } }], extensions: cost(null) });
    }
    if (available < requested) {
      requests.push({ operation, variables, outcome: 'throttled' });
      return send(response, 200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }], extensions: cost(null) });
    }
    available -= requested;
    const executed = run.run(variables);
    available += requested - executed.actual;
    requests.push({ operation, variables, outcome: 'ok' });
    send(response, 200, { data: executed.data, extensions: cost(executed.actual) });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST' || !/^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/.test(request.url ?? '')) return send(response, 404, { errors: 'Not Found' });
    if (request.headers['x-shopify-access-token'] !== options.accessToken) {
      return send(response, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    const body = JSON.parse(await readBody(request)) as { query?: string; variables?: Json };
    const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query ?? '')?.[1] ?? 'anonymous';
    const variables = body.variables ?? {};
    const status = fault?.(operation);
    if (status !== undefined) {
      requests.push({ operation, variables, outcome: status });
      return send(response, status, { errors: 'Internal Server Error' });
    }
    answer(operation, variables, response);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { errors: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    subscriptions,
    failWith: (rule) => { fault = rule; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
