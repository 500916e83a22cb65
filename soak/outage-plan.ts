/**
 * The sink's flash-sale outage: three equal stretches — 500s, 429s with Retry-After, and hangs that never answer (the
 * Segment client times out) — each preceded by a healthy gap, then healthy for good.
 */
import type { FaultPlan, FaultRule } from '../src/local-sink/segment-sink.ts';

export interface OutagePlan {
  plan: FaultPlan;
  /** Windows in ms since the plan was set. */
  stretches: { kind: string; fromMs: number; untilMs: number }[];
  /** When the last stretch ends (ms since the plan was set). */
  endMs: number;
  totalOutageMs: number;
}

/** A stretch of `stretchMs` per fault kind, each after `gapMs` of healthy answers. */
export function outagePlan(totalOutageMs: number, gapMs: number, retryAfterSeconds = 5): OutagePlan {
  const stretchMs = Math.round(totalOutageMs / 3);
  const kinds: { kind: string; rule: FaultRule['action'] }[] = [
    { kind: '500', rule: { kind: 'status', status: 500 } },
    { kind: `429 Retry-After ${retryAfterSeconds}s`, rule: { kind: 'status', status: 429, retryAfter: String(retryAfterSeconds) } },
    { kind: 'hang (client timeout)', rule: { kind: 'hang' } },
  ];
  const stretches = kinds.map(({ kind }, i) => ({ kind, fromMs: gapMs * (i + 1) + stretchMs * i, untilMs: (gapMs + stretchMs) * (i + 1) }));
  const rules = kinds.map(({ rule }, i) => ({ action: rule, fromMs: stretches[i]!.fromMs, untilMs: stretches[i]!.untilMs }));
  const endMs = stretches.at(-1)!.untilMs;
  return { plan: { rules }, stretches, endMs, totalOutageMs: stretchMs * 3 };
}
