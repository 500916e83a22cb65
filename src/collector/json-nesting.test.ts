import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './json-nesting.ts';

const nested = (depth: number) => Buffer.from(`{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`);

describe('nestsDeeperThan', () => {
  it('counts objects and arrays together, up to the limit inclusive', () => {
    expect(nestsDeeperThan(nested(64), 64)).toBe(false);
    expect(nestsDeeperThan(nested(65), 64)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = Buffer.from(JSON.stringify({ a: `\\"${'['.repeat(100)}`, b: '{{{{{{' }));
    expect(nestsDeeperThan(text, 1)).toBe(false);
  });

  it('reads multi-byte UTF-8 without decoding it', () => {
    expect(nestsDeeperThan(Buffer.from('{"ü":["€",{"😀":[]}]}'), 3)).toBe(true);
    expect(nestsDeeperThan(Buffer.from('{"ü":["€",{"😀":[]}]}'), 4)).toBe(false);
  });
});
