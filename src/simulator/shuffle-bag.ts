import type { Prng } from './prng.ts';

/**
 * Draws without replacement from a bag holding each value `count` times, refilled when empty: the mix shows up
 * evenly even in short runs (every currency and channel within a few hundred webhooks), yet the order is random.
 */
export function createShuffleBag<T>(prng: Prng, entries: readonly (readonly [T, number])[]): () => T {
  const full = entries.flatMap(([value, count]) => Array.from({ length: count }, () => value));
  if (full.length === 0) throw new Error('a shuffle bag needs at least one value');
  let bag: T[] = [];
  return () => {
    if (bag.length === 0) bag = [...full];
    const index = prng.int(0, bag.length - 1);
    const [value] = bag.splice(index, 1);
    return value as T;
  };
}

/** Whole-number counts (out of about `size`) for weights, keeping every positive weight at least once. */
export function weightsToCounts<T>(entries: readonly (readonly [T, number])[], size: number): [T, number][] {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  return entries
    .filter(([, weight]) => weight > 0)
    .map(([value, weight]) => [value, Math.max(1, Math.round((weight / total) * size))]);
}
