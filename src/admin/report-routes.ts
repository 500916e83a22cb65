import { customerJourney } from '../reporting/customer-journey.ts';
import { profileSummary } from '../reporting/profile-summary.ts';
import { deliverySeries } from '../reporting/delivery-series.ts';
import { loadAccuracyReport } from '../reporting/load-accuracy-report.ts';
import { minuteOf } from '../store/report-rows.ts';
import type { Store } from '../store/store.ts';
import { adminRoute, InvalidInput, type AdminRoute } from './admin-route.ts';
import { noQuery } from './admin-schemas.ts';
import * as schema from './report-schemas.ts';

export interface ReportDeps {
  store: Store;
  now: () => number;
}

const day = 86_400_000;

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function nullableIso(epochMs: number | null): string | null {
  return epochMs === null ? null : iso(epochMs);
}

/** The report's window: defaults to the 24 hours before `until`, which defaults to now; at most 31 days. */
function accuracyWindow(query: { since?: number | undefined; until?: number | undefined }, now: number): { since: number; until: number } {
  const until = query.until ?? now;
  const since = query.since ?? until - day;
  if (since >= until) throw new InvalidInput('until: must be later than since');
  if (until - since > schema.maxAccuracyDays * day) throw new InvalidInput(`since: the period can be at most ${schema.maxAccuracyDays} days`);
  return { since, until };
}

function accuracyRoute({ store, now }: ReportDeps): AdminRoute {
  const spec = {
    method: 'GET',
    path: '/accuracy',
    summary: 'What Shopify sent against what each destination got: orders, exclusions, revenue net of refunds',
  } as const;
  return adminRoute({ ...spec, query: schema.accuracyQuery, response: schema.accuracyResponse }, async ({ query }) => {
    const { since, until } = accuracyWindow(query, now());
    const report = await loadAccuracyReport(store, since, until);
    return { period: { since: iso(since), until: iso(until) }, ...report };
  });
}

function journeyRoute({ store }: ReportDeps): AdminRoute {
  const spec = {
    method: 'GET',
    path: '/customers/:id/journey',
    summary: 'A customer’s messages and those of the browser ids joined to them, oldest first',
  } as const;
  const route = { ...spec, params: schema.journeyParams, query: schema.journeyQuery, response: schema.journeyResponse };
  return adminRoute(route, async ({ params, query }) => {
    const journey = customerJourney(await store.customerJourney(params.id, query.limit));
    const steps = journey.steps.map((step) => ({
      ...step,
      receivedAt: iso(step.receivedAt),
      destinations: step.destinations.map((d) => ({ ...d, deliveredAt: nullableIso(d.deliveredAt) })),
    }));
    return { userId: params.id, anonymousIds: journey.anonymousIds, steps };
  });
}

function profileRoute({ store }: ReportDeps): AdminRoute {
  const spec = {
    method: 'GET',
    path: '/customers/:id/profile',
    summary: 'A customer’s profile: traits, lifetime value net of refunds, orders, joined browser ids; with their journey link',
  } as const;
  const route = { ...spec, params: schema.journeyParams, query: noQuery, response: schema.profileResponse };
  return adminRoute(route, async ({ params }) => {
    const records = await store.customerProfile(params.id);
    const shops = [...new Set([...records.traits, ...records.orders, ...records.anonymousIds].map((r) => r.shop))].sort();
    const journey = `/api/customers/${encodeURIComponent(params.id)}/journey`;
    return { customerId: params.id, journey, profiles: shops.map((shop) => profileSummary(records, { shop, customerId: params.id })) };
  });
}

function timeseriesRoute({ store, now }: ReportDeps): AdminRoute {
  const spec = {
    method: 'GET',
    path: '/timeseries',
    summary: 'Per destination and minute: delivered, retried, dead and webhook → delivery latency',
  } as const;
  return adminRoute({ ...spec, query: schema.timeseriesQuery, response: schema.timeseriesResponse }, async ({ query }) => {
    // The current minute is included, so the chart's right edge is live.
    const first = minuteOf(now()) - (query.minutes - 1) * 60_000;
    const rows = await store.deliveryMinutes(first, first + query.minutes * 60_000);
    const series = deliverySeries(rows, first, query.minutes);
    return { minutes: series.minutes.map(iso), destinations: series.destinations };
  });
}

function queuesRoute({ store, now }: ReportDeps): AdminRoute {
  const spec = { method: 'GET', path: '/queues', summary: 'Rows waiting in the inbox and per destination, and how long the oldest has waited' } as const;
  return adminRoute({ ...spec, query: noQuery, response: schema.queuesResponse }, async () => {
    const at = now();
    const health = await store.queueHealth();
    const age = (oldest: number | null) => ({
      oldestReceivedAt: nullableIso(oldest),
      oldestAgeSeconds: oldest === null ? null : Math.max(0, Math.round((at - oldest) / 1000)),
    });
    return {
      inbox: { pending: health.inbox.pending, ...age(health.inbox.oldestReceivedAt) },
      destinations: health.destinations.map(({ oldestReceivedAt, ...rest }) => ({ ...rest, ...age(oldestReceivedAt) })),
    };
  });
}

/** The routes the web console's views read (besides status, events, dead letters and failed deliveries). */
export function reportRouteTable(deps: ReportDeps): AdminRoute[] {
  return [accuracyRoute, journeyRoute, profileRoute, timeseriesRoute, queuesRoute].map((make) => make(deps));
}
