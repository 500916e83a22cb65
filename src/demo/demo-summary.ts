import type { StoreCounts } from '../store/store.ts';

export interface DemoSnapshot {
  counts: StoreCounts;
  sent: number;
  sinkEvents: number;
  p50: number | null;
  p99: number | null;
}

const n = (value: number) => value.toLocaleString('en-US');
const ms = (value: number | null) => (value === null ? '–' : `${Math.round(value).toLocaleString('en-US')} ms`);

/** The live summary lines the demo prints (pure, so it is tested without a terminal). */
export function formatDemoSummary(snapshot: DemoSnapshot): string[] {
  const { inbox, outbox, duplicates } = snapshot.counts;
  const received = inbox.pending + inbox.done + inbox.failed;
  return [
    `webhooks   sent ${n(snapshot.sent)} · received ${n(received)} · deduplicated ${n(duplicates)} · waiting ${n(inbox.pending)} · kept unmappable ${n(inbox.failed)}`,
    `segment    delivered ${n(outbox.delivered)} · retrying/queued ${n(outbox.pending)} · failed (dead letters) ${n(outbox.dead)} · skipped ${n(outbox.skipped)} · sink has ${n(snapshot.sinkEvents)} events`,
    `latency    webhook → delivery p50 ${ms(snapshot.p50)} · p99 ${ms(snapshot.p99)}`,
  ];
}

/** What to look at next, printed once at the start. */
export function demoGuide(url: string, db: string, sinkUrl: string): string[] {
  return [
    'cartstream demo — a simulated store is sending signed webhooks; a local Segment-compatible sink receives the events.',
    `  service       ${url}   (POST /webhooks/shopify, GET /healthz, /readyz, /metrics)`,
    `  database      ${db}`,
    `  local sink    ${sinkUrl}/v1/batch`,
    '  look next     curl ' + url + '/metrics | grep cartstream_   ·   npx cartstream status   ·   npx cartstream failed',
    '  go live       set SHOPIFY_SHOP_DOMAIN, SHOPIFY_WEBHOOK_SECRET and SEGMENT_WRITE_KEY (see README) and run npm start again',
    '  stop          Ctrl-C',
    '',
  ];
}
