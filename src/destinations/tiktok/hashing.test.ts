import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { e164, hashEmail, hashExternalId, hashPhone } from './hashing.ts';

/** Computed here, independently of the module under test. */
const sha = (value: string) => createHash('sha256').update(value).digest('hex');

describe('TikTok hashing: the examples in TikTok\'s Events API 2.0 docs', () => {
  it.each([
    ['email', hashEmail(' ALICE_abc@gmail.com '), '848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f'],
    ['phone', hashPhone('(+1)2133734253'), '9f7ec22d72092cd3c0b58726ed9c2d91b92e51a3f29837508fb2948bb22dd2fd'],
    ['external_id', hashExternalId('user_123'), '80fba0ae1c48e3978e43e4efc365e14e12ea0c830ba8ba5b9a2dafc7e3f2ab8b'],
  ])('%s gives the documented hash', (_field, actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('email normalisation', () => {
  it.each([
    ['John@Example.com', 'john@example.com'],
    ['  jon@example.com\n', 'jon@example.com'],
    ['ÄRGER@example.de', 'ärger@example.de'],
  ])('%j is hashed as %j', (input, normalised) => {
    expect(hashEmail(input)).toBe(sha(normalised));
  });

  it('passes an already hashed value through, lowercased, instead of hashing it twice', () => {
    const hashed = sha('a@b.c');
    expect(hashEmail(hashed.toUpperCase())).toBe(hashed);
  });

  it('leaves out an empty email', () => {
    expect(hashEmail('   ')).toBeUndefined();
  });
});

describe('phone normalisation to E.164', () => {
  it.each([
    ['+1 (213) 373-4253', '+12133734253'],
    ['(+1)2133734253', '+12133734253'],
    ['+44 (0)20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['+49-30-901820', '+4930901820'],
    ['16135551111', '+16135551111'],
  ])('%j → %j', (input, expected) => {
    expect(e164(input)).toBe(expected);
    expect(hashPhone(input)).toBe(sha(expected));
  });

  it.each([
    ['a national number without its country code', '020 7946 0958'],
    ['too few digits', '+1 234'],
    ['more than 15 digits', '+1234567890123456'],
    ['no digits', 'n/a'],
  ])('leaves out %s rather than hash a wrong number', (_case, input) => {
    expect(e164(input)).toBeUndefined();
    expect(hashPhone(input)).toBeUndefined();
  });

  it('passes an already hashed phone through', () => {
    expect(hashPhone(` ${sha('+12133734253')} `)).toBe(sha('+12133734253'));
  });
});

describe('external_id', () => {
  it.each([
    ['7001', sha('7001')],
    [' 115310627314723954 ', sha('115310627314723954')],
    ['CaseSensitive-Id', sha('CaseSensitive-Id')],
  ])('%j → SHA-256 of the trimmed id, case kept', (input, expected) => {
    expect(hashExternalId(input)).toBe(expected);
  });
});
