import { describe, expect, it } from 'vitest';
import { catalog, findVariant } from './catalog.ts';
import { currencyCodes } from './money.ts';

describe('catalog', () => {
  const variants = catalog.flatMap((p) => p.variants);

  it('has a dozen products with unique 18-digit ids above 2^53', () => {
    expect(catalog).toHaveLength(12);
    const ids = [...catalog.map((p) => p.id), ...variants.map((v) => v.id)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      expect(String(id)).toHaveLength(18);
    }
  });

  it('prices every variant in every currency as whole minor units', () => {
    for (const variant of variants) {
      for (const currency of currencyCodes) {
        expect(Number.isSafeInteger(variant.prices[currency]) && variant.prices[currency] > 0).toBe(true);
      }
      expect(variant.prices.JPY % 100).toBe(0);
    }
  });

  it('finds a variant’s product by variant id', () => {
    const variant = variants[5];
    expect(findVariant(variant!.id)?.product.id).toBe(variant!.productId);
    expect(findVariant(1n)).toBeUndefined();
  });
});
