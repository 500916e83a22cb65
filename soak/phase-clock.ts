/** Waiting helpers for a timeline measured from one start. */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Resolves once `offsetMs` has passed since `startedAt` (epoch ms). */
export function until(startedAt: number, offsetMs: number): Promise<void> {
  return sleep(startedAt + offsetMs - Date.now());
}

/** `count` seeded moments in [fromMs, toMs], sorted, at least `minGapMs` apart where the span allows. */
export function killMoments(random: () => number, count: number, fromMs: number, toMs: number, minGapMs: number): number[] {
  const span = Math.max(0, toMs - fromMs - minGapMs * count);
  const raw = Array.from({ length: count }, () => random() * span).sort((a, b) => a - b);
  return raw.map((offset, i) => Math.round(fromMs + offset + minGapMs * i));
}
