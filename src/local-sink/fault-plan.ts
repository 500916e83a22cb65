/** What the sink does instead of answering normally. */
export type FaultAction =
  /** Answer with this status (e.g. 500, 503, 429 with a Retry-After of seconds or an HTTP date). */
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  /** Answer late: wait `ms`, then handle the request normally; without `ms`, never answer (a timeout). */
  | { kind: 'hang'; ms?: number };

export interface FaultRule {
  action: FaultAction;
  /** Fraction of requests (0–1) the rule hits while it applies; default 1. */
  rate?: number;
  /** The rule hits at most this many requests, then is spent. */
  times?: number;
  /** Window in ms since the plan was set: the rule applies from `fromMs` (default 0) until `untilMs`. */
  fromMs?: number;
  untilMs?: number;
}

export interface FaultPlan {
  /** Checked in order; the first rule that hits decides. */
  rules: FaultRule[];
  /** For fractions; pass a seeded one for repeatable runs. Default Math.random. */
  random?: () => number;
}

/** A plan with its spend counters, as one sink keeps it. */
export interface ActiveFaults {
  /** The fault for the next request, or null to answer normally. Counts the hit. */
  next(now: number): FaultAction | null;
}

function applies(rule: FaultRule, elapsed: number, used: number): boolean {
  if (rule.times !== undefined && used >= rule.times) return false;
  if (elapsed < (rule.fromMs ?? 0)) return false;
  return rule.untilMs === undefined || elapsed < rule.untilMs;
}

/** Starts a plan at `startedAt`; `null` means no faults. */
export function activateFaults(plan: FaultPlan | null, startedAt: number): ActiveFaults {
  const rules = plan?.rules ?? [];
  const used = rules.map(() => 0);
  const random = plan?.random ?? Math.random;
  return {
    next(now) {
      for (const [index, rule] of rules.entries()) {
        if (!applies(rule, now - startedAt, used[index] ?? 0)) continue;
        if (rule.rate !== undefined && rule.rate < 1 && random() >= rule.rate) continue;
        used[index] = (used[index] ?? 0) + 1;
        return rule.action;
      }
      return null;
    },
  };
}
