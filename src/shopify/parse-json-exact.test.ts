import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidJsonError, parseJsonExact } from './parse-json-exact.ts';

const sampleText = readFileSync(new URL('../../../shared/fixtures/shopify/samples/orders_create.json', import.meta.url), 'utf8');

describe('parseJsonExact', () => {
  it('keeps 18-digit ids exact as strings', () => {
    expect(parseJsonExact('{"id": 820982911946154508, "n": 1}')).toStrictEqual({ id: '820982911946154508', n: 1 });
    expect(parseJsonExact('[-9007199254740993, 9007199254740992]')).toStrictEqual([
      '-9007199254740993',
      '9007199254740992',
    ]);
  });

  it('leaves safe integers, decimals and strings as JSON.parse does', () => {
    const text = '{"a": 9007199254740991, "b": 19.99, "c": "820982911946154508", "d": 1e300, "e": [1.5e20, null, true]}';
    expect(parseJsonExact(text)).toStrictEqual(JSON.parse(text));
    expect(parseJsonExact('{"big": 12345678901234567890, "x": 1e300}')).toStrictEqual({
      big: '12345678901234567890',
      x: 1e300,
    });
  });

  it('accepts a Buffer body and parses the real sample like JSON.parse apart from unsafe ids', () => {
    const exact = parseJsonExact(Buffer.from(sampleText)) as { response: { id: unknown; total_price: unknown } };
    expect(exact.response.id).toBe('820982911946154500');
    expect(exact.response.total_price).toBe('404.95');
  });

  it('equals JSON.parse on any JSON without unsafe integers', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const hasUnsafe = /\d{16}/.test(text);
        fc.pre(!hasUnsafe);
        expect(parseJsonExact(text)).toStrictEqual(JSON.parse(text));
      }),
    );
  });

  it('throws a clear InvalidJsonError on a body that is not JSON', () => {
    expect(() => parseJsonExact('{"id": 1')).toThrow(InvalidJsonError);
    expect(() => parseJsonExact('')).toThrow(/^body is not valid JSON: /);
    expect(() => parseJsonExact(Buffer.from('id=1'))).toThrow(InvalidJsonError);
  });
});

describe('parseJsonExact pairing of long integers with their literals', () => {
  it('restores every unsafe id in nested objects and arrays, in any order of nesting', () => {
    const text = '{"a":{"x":900719925474099312,"y":[1,123456789012345678,{"z":-987654321098765432}]},"b":820982911946154508,"c":1000000000000000}';
    expect(parseJsonExact(text)).toStrictEqual({
      a: { x: '900719925474099312', y: [1, '123456789012345678', { z: '-987654321098765432' }] },
      b: '820982911946154508',
      c: 1000000000000000,
    });
  });

  it('is not fooled by digit runs inside strings', () => {
    const text = '{"note":"call 123456789012345678, ok","id":820982911946154508,"gid":"gid://shopify/Order/820982911946154508"}';
    expect(parseJsonExact(text)).toStrictEqual({
      note: 'call 123456789012345678, ok', id: '820982911946154508', gid: 'gid://shopify/Order/820982911946154508',
    });
  });

  it('handles exponent and fractional spellings of large numbers', () => {
    expect(parseJsonExact('{"a":1e20,"b":820982911946154508,"c":12345678901234567.5}')).toStrictEqual({
      a: 1e20, b: '820982911946154508', c: 12345678901234568,
    });
  });
});

describe('parseJsonExact errors', () => {
  it.each([
    ['anna@x.io'],
    ['{"email":"anna@x.io", "name": "Anna Smith"'],
    ['{"email":"anna@x.io" "name":"Anna Smith"}'],
    ['Anna Smith lives at 1 Main St'],
  ])('say where the body breaks without quoting it (%s)', (text) => {
    let message = '';
    try {
      parseJsonExact(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^body is not valid JSON: /);
    expect(message).not.toMatch(/anna|Anna|Smith|Main/);
  });
});
