/**
 * Sends simulated webhooks as Shopify does: in bursts, some delivered twice, and every delivery without a 200 sent
 * again (same webhook id and bytes) until it gets one. Remembers which input positions were acknowledged.
 */
import { sendWebhooks } from '../src/simulator/send-webhooks.ts';
import type { SimulatedWebhook } from '../src/simulator/store-simulator.ts';
import { e2eSecret, e2eShop } from '../test/e2e/e2e-harness.ts';

export interface ShopifySender {
  /** Positions of the webhooks that got a 200 at least once. */
  acknowledged: Set<number>;
  /** Sends `positions` of the traffic to `url` (the process each position goes to); returns the status counts. */
  send(positions: number[], url: (position: number) => string, duplicateShare: number): Promise<Record<string, number>>;
  /** Positions still without a 200. */
  unacknowledged(): number[];
  stats(): { sent: number; repeats: number; statuses: Record<string, number> };
}

export function shopifySender(hooks: readonly SimulatedWebhook[], seed: number): ShopifySender {
  const acknowledged = new Set<number>();
  const statuses: Record<string, number> = {};
  let sent = 0;
  let repeats = 0;
  let round = 0;

  async function sendTo(target: string, positions: number[], duplicateShare: number): Promise<void> {
    const summary = await sendWebhooks(new URL('/webhooks/shopify', target), positions.map((p) => hooks[p]!), {
      shop: e2eShop, secret: e2eSecret, concurrency: 64, duplicateShare, seed: seed + round++, timeoutMs: 5_000,
      onResult: (result) => {
        if (result.status === 200) acknowledged.add(positions[result.index]!);
      },
    });
    sent += summary.sent;
    repeats += summary.duplicates;
    for (const [status, n] of Object.entries(summary.statusCounts)) statuses[status] = (statuses[status] ?? 0) + n;
  }

  return {
    acknowledged,
    async send(positions, url, duplicateShare) {
      const byTarget = new Map<string, number[]>();
      for (const p of positions) {
        const group = byTarget.get(url(p)) ?? [];
        group.push(p);
        byTarget.set(url(p), group);
      }
      const before = { ...statuses };
      await Promise.all([...byTarget].map(([target, group]) => sendTo(target, group, duplicateShare)));
      return Object.fromEntries(Object.entries(statuses).map(([k, n]) => [k, n - (before[k] ?? 0)]));
    },
    unacknowledged: () => hooks.map((_, p) => p).filter((p) => !acknowledged.has(p)),
    stats: () => ({ sent, repeats, statuses: { ...statuses } }),
  };
}
