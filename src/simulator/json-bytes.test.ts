import { describe, expect, it } from 'vitest';
import { exactId, jsonNumber, parseJsonExact, toJsonBytes } from './json-bytes.ts';

describe('exact ids in JSON', () => {
  it('writes ids above 2^53 with every digit, as numbers', () => {
    const bytes = toJsonBytes({ id: exactId(820982911946154508n), subtotal: jsonNumber('89.9') });
    expect(bytes.toString()).toBe('{"id":820982911946154508,"subtotal":89.9}');
  });

  it('reads them back exactly as bigints, leaving ordinary numbers alone', () => {
    const parsed = parseJsonExact('{"id":820982911946154508,"small":42,"price":19.99,"list":[9007199254740993]}');
    expect(parsed).toEqual({ id: 820982911946154508n, small: 42, price: 19.99, list: [9007199254740993n] });
  });

  it('fails loudly when a bigint is left unwrapped', () => {
    expect(() => toJsonBytes({ id: 1n })).toThrow();
  });
});
