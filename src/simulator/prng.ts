/** A small seeded PRNG, so a seed always yields the same simulated store traffic (no Math.random anywhere). */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks an entry with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
  /** Lower-case hex digits. */
  hex(length: number): string;
  /** A version-4-shaped UUID. */
  uuid(): string;
  /** Exponentially distributed with the given mean (waiting times between arrivals). */
  exponential(mean: number): number;
}

/** mulberry32: 32-bit state, fast, and good enough for traffic shapes (not for cryptography). */
export function createPrng(seed: number): Prng {
  let state = scrambleSeed(seed);
  const nextU32 = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextU32() / 4294967296;
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (length: number): string => {
    let out = '';
    while (out.length < length) out += nextU32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  };
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => itemAt(items, int(0, items.length - 1)),
    weighted: (entries) => pickWeighted(entries, next()),
    hex,
    uuid: () => uuidFromHex(hex(32), nextU32()),
    exponential: (mean) => -Math.log(1 - next()) * mean,
  };
}

/** splitmix32 finaliser: nearby seeds (1, 2, 3) start far apart. */
function scrambleSeed(seed: number): number {
  let z = (Math.trunc(seed) + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function itemAt<T>(items: readonly T[], index: number): T {
  if (items.length === 0) throw new Error('cannot pick from an empty list');
  return items[index] as T;
}

function pickWeighted<T>(entries: readonly (readonly [T, number])[], unit: number): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let remaining = unit * total;
  for (const [value, weight] of entries) {
    remaining -= weight;
    if (remaining < 0) return value;
  }
  return itemAt(entries, entries.length - 1)[0];
}

function uuidFromHex(hex: string, extra: number): string {
  const variant = (8 + (extra & 3)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
