/** The soak run's verdict: what the sink and the store hold against what was acknowledged. */
import type { SegmentSink } from '../src/local-sink/segment-sink.ts';
import type { SimulatedWebhook } from '../src/simulator/store-simulator.ts';
import type { StoreCounts } from '../src/store/store.ts';
import { expectedWebOrders, messageIdsByOrder, pendingWork } from '../test/e2e/e2e-harness.ts';

/** One line of the result table; `ok` is undefined for figures that are reported, not checked. */
export interface Finding {
  check: string;
  value: string | number;
  ok?: boolean;
}

export interface VerdictInput {
  hooks: readonly SimulatedWebhook[];
  acknowledged: ReadonlySet<number>;
  sink: SegmentSink;
  counts: StoreCounts;
}

function orderFindings({ hooks, acknowledged, sink }: VerdictInput): Finding[] {
  const expected = expectedWebOrders(hooks);
  const ackedOrders = hooks.flatMap((hook, p) => (hook.expectOrderCompleted && acknowledged.has(p) ? [hook.orderId as string] : []));
  const idsByOrder = messageIdsByOrder(sink.received());
  const lost = ackedOrders.filter((orderId) => !idsByOrder.has(orderId));
  const twoIds = [...idsByOrder.values()].filter((ids) => ids.size > 1).length;
  const unexpected = [...idsByOrder.keys()].filter((orderId) => !expected.has(orderId)).length;
  return [
    { check: 'web orders in the traffic', value: expected.size },
    { check: 'acknowledged web orders', value: ackedOrders.length },
    { check: 'lost (acknowledged, no Order Completed at the sink)', value: lost.length, ok: lost.length === 0 },
    { check: 'orders with more than one messageId', value: twoIds, ok: twoIds === 0 },
    { check: 'Order Completed for orders not in the traffic', value: unexpected, ok: unexpected === 0 },
  ];
}

function sinkFindings({ sink, counts }: VerdictInput): Finding[] {
  const perId = [...sink.countsByMessageId().values()];
  const repeats = perId.reduce((sum, n) => sum + n - 1, 0);
  const stats = sink.stats();
  return [
    { check: 'distinct messageIds at the sink = delivered outbox rows', value: `${perId.length} / ${counts.outbox.delivered}`, ok: perId.length === counts.outbox.delivered },
    { check: 'repeated deliveries at the sink (at-least-once, same messageId)', value: repeats },
    { check: 'events the sink refused (400) or dropped', value: (stats.rejectedByStatus[400] ?? 0) + stats.droppedEvents, ok: (stats.rejectedByStatus[400] ?? 0) + stats.droppedEvents === 0 },
    { check: 'sink requests / answered with a fault', value: `${stats.requests} / ${stats.faults}` },
  ];
}

function storeFindings({ hooks, acknowledged, counts }: VerdictInput): Finding[] {
  return [
    { check: 'deliveries acknowledged in the end', value: `${acknowledged.size} / ${hooks.length}`, ok: acknowledged.size === hooks.length },
    { check: 'queue drained (inbox and outbox pending)', value: pendingWork(counts) === null ? 0 : counts.inbox.pending + counts.outbox.pending, ok: pendingWork(counts) === null },
    { check: 'dead letters (simulated traffic is valid)', value: counts.outbox.dead, ok: counts.outbox.dead === 0 },
    { check: 'inbox rows failed to parse or map', value: counts.inbox.failed, ok: counts.inbox.failed === 0 },
    { check: 'repeated webhook ids acknowledged, not re-processed', value: counts.duplicates },
  ];
}

/** Every check and reported figure of one phase. */
export function verdict(input: VerdictInput): Finding[] {
  return [...storeFindings(input), ...orderFindings(input), ...sinkFindings(input)];
}

/** Events/s the sink accepted from `fromMs` (epoch) to the last accepted event, and how long that took. */
export function drainRate(sink: SegmentSink, fromMs: number): { events: number; seconds: number; perSecond: number } {
  const after = sink.received().filter((event) => event.receivedAt >= fromMs);
  const last = after.at(-1)?.receivedAt ?? fromMs;
  const seconds = Math.max(0.001, (last - fromMs) / 1000);
  return { events: after.length, seconds, perSecond: after.length / seconds };
}

/** The most events the sink accepted within one wall-clock second at or after `fromMs`. */
export function peakSecondRate(sink: SegmentSink, fromMs: number): number {
  const perSecond = new Map<number, number>();
  for (const event of sink.received()) {
    if (event.receivedAt < fromMs) continue;
    const second = Math.floor(event.receivedAt / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  return Math.max(0, ...perSecond.values());
}
