import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPrng } from './prng.ts';

describe('createPrng', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const draw = (seed: number): number[] => {
      const prng = createPrng(seed);
      return Array.from({ length: 20 }, () => prng.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps int() within its inclusive bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (seed, min, span) => {
        const prng = createPrng(seed);
        for (let i = 0; i < 50; i++) {
          const value = prng.int(min, min + span);
          if (value < min || value > min + span || !Number.isInteger(value)) return false;
        }
        return true;
      }),
    );
  });

  it('makes version-4-shaped UUIDs', () => {
    const prng = createPrng(1);
    for (let i = 0; i < 100; i++) {
      expect(prng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('picks weighted entries in proportion to their weights', () => {
    const prng = createPrng(9);
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 10_000; i++) counts[prng.weighted([['a', 3], ['b', 1], ['never', 0]] as const)] += 1;
    expect(counts.never).toBe(0);
    expect(counts.a / counts.b).toBeGreaterThan(2.6);
    expect(counts.a / counts.b).toBeLessThan(3.4);
  });
});
