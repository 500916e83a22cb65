import { describe, expect, it } from 'vitest';
import { compact, isoTimestamp } from './values.ts';

describe('compact', () => {
  it('leaves out null, undefined and empty strings but keeps zero and false', () => {
    expect(compact({ a: null, b: undefined, c: '', d: 0, e: false, f: 'x' })).toStrictEqual({ d: 0, e: false, f: 'x' });
  });
});

describe('isoTimestamp', () => {
  it('normalizes Shopify times to UTC ISO-8601', () => {
    expect(isoTimestamp('2021-12-31T19:00:00-05:00')).toBe('2022-01-01T00:00:00.000Z');
    expect(isoTimestamp('2019-01-01 00:00:00.000Z')).toBe('2019-01-01T00:00:00.000Z');
  });

  it('gives undefined for what is not a time', () => {
    expect(isoTimestamp('example string')).toBeUndefined();
    expect(isoTimestamp('2024-13-01T00:00:00Z')).toBeUndefined();
    expect(isoTimestamp('1700000000')).toBeUndefined();
    expect(isoTimestamp(null)).toBeUndefined();
  });
});
