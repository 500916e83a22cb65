import { replaySelection } from '../replay/replay-request.ts';
import type { Store } from '../store/store.ts';
import { adminRoute, InvalidInput, type AdminRoute } from './admin-route.ts';
import * as schema from './admin-schemas.ts';
import { reportRouteTable } from './report-routes.ts';

export interface AdminDeps {
  store: Store;
  now: () => number;
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function statusRoute({ store }: AdminDeps): AdminRoute {
  const spec = {
    method: 'GET',
    path: '/status',
    summary: 'Inbox and outbox rows by status, duplicates acknowledged',
  } as const;
  return adminRoute({ ...spec, query: schema.noQuery, response: schema.statusResponse }, async () => ({
    store: store.engine,
    ...(await store.counts()),
  }));
}

function failedRoute({ store }: AdminDeps): AdminRoute {
  const spec = {
    method: 'GET',
    path: '/deliveries/failed',
    summary: 'Deliveries kept because they could not be parsed or mapped, newest first',
  } as const;
  return adminRoute({ ...spec, query: schema.failedQuery, response: schema.failedResponse }, async ({ query }) => {
    const rows = await store.listFailedInbox(query.limit);
    return { deliveries: rows.map((row) => ({ ...row, receivedAt: iso(row.receivedAt) })) };
  });
}

function reprocessRoute({ store, now }: AdminDeps): AdminRoute {
  const spec = {
    method: 'POST',
    path: '/deliveries/reprocess',
    summary: 'Map deliveries again (same messageIds); pending ones are left alone',
  } as const;
  return adminRoute(
    { ...spec, query: schema.noQuery, body: schema.reprocessBody, response: schema.requeuedResponse },
    async ({ body }) => ({ requeued: await store.requeueInbox(body.ids, now()) }),
  );
}

function deadLettersRoute({ store }: AdminDeps): AdminRoute {
  const spec = {
    method: 'GET',
    path: '/dead-letters',
    summary: 'Messages a destination refused for good, with the reason, newest first',
  } as const;
  const route = { ...spec, query: schema.deadLettersQuery, response: schema.deadLettersResponse };
  return adminRoute(route, async ({ query }) => {
    const letters = await store.listDeadLetters(query.destination ?? null, query.limit);
    return { deadLetters: letters.map(({ payload, ...letter }) => (query.payload ? { ...letter, payload } : letter)) };
  });
}

function replayRoute({ store, now }: AdminDeps): AdminRoute {
  const spec = {
    method: 'POST',
    path: '/dead-letters/replay',
    summary: 'Queue dead letters again (same messageIds, so destinations drop repeats)',
  } as const;
  return adminRoute(
    { ...spec, query: schema.noQuery, body: schema.replayBody, response: schema.requeuedResponse },
    async ({ body }) => ({
      requeued: await store.requeueDeadLetters(body.destination, body.ids ?? null, now()),
    }),
  );
}

function messagesReplayRoute({ store, now }: AdminDeps): AdminRoute {
  const spec = {
    method: 'POST',
    path: '/messages/replay',
    summary: 'Send dead letters, or the delivered and dead messages of a period or of orders, again (same messageIds); or count them',
  } as const;
  const route = { ...spec, query: schema.noQuery, body: schema.messagesReplayBody, response: schema.messagesReplayResponse };
  return adminRoute(route, async ({ body: { dryRun, ...request } }) => {
    const plan = replaySelection(request);
    if (!plan.ok) throw new InvalidInput(`${plan.field}: ${plan.problem}`);
    const { count, byEvent } = await store.replayMessages(plan.selection, { dryRun, now: now() });
    return { dryRun, messages: count, byEvent };
  });
}

function eventsRoute({ store }: AdminDeps): AdminRoute {
  const spec = {
    method: 'GET',
    path: '/events',
    summary: 'Search outbox messages by shop, customer, order, event, destination and time, newest webhook first',
  } as const;
  return adminRoute({ ...spec, query: schema.eventsQuery, response: schema.eventsResponse }, async ({ query }) => {
    const { shop, event: eventName, destination, since, until, limit, customer: userId, order: orderId } = query;
    const found = await store.searchMessages({ shop, eventName, destination, since, until, limit, userId, orderId });
    const events = found.map((row) => ({
      ...row,
      receivedAt: iso(row.receivedAt),
      deliveredAt: row.deliveredAt === null ? null : iso(row.deliveredAt),
    }));
    return { events };
  });
}

/** Every admin route but the OpenAPI description itself, which is built from these. */
export function adminRouteTable(deps: AdminDeps): AdminRoute[] {
  const routes = [statusRoute, failedRoute, reprocessRoute, deadLettersRoute, replayRoute, messagesReplayRoute, eventsRoute];
  return [...routes.map((make) => make(deps)), ...reportRouteTable(deps)];
}
