import { describe, expect, it } from 'vitest';
import { coerce, mergeTypes, normalizedTimestamp, typeOf, type ColumnType, type ColumnValue } from './column-types.ts';

describe('column types', () => {
  it.each<[ColumnValue, ColumnType]>([
    ['hello', 'text'], ['42', 'text'], ['2024-05-01', 'text'], ['2024-05-01T10:00:00.000Z', 'timestamp'],
    [42, 'bigint'], [0, 'bigint'], [19.99, 'double'], [2 ** 60, 'double'], [true, 'boolean'],
  ])('%j is typed %s', (value, type) => {
    expect(typeOf(value)).toBe(type);
  });

  it('reads ISO-8601 date-times with a zone into UTC, and nothing else', () => {
    expect(normalizedTimestamp('2024-05-01T12:00:00+02:00')).toBe('2024-05-01T10:00:00.000Z');
    expect(normalizedTimestamp('2024-05-01T12:00:00.123456Z')).toBe('2024-05-01T12:00:00.123Z');
    expect(normalizedTimestamp('2024-05-01T12:00:00')).toBeUndefined(); // no zone: which time would it be?
    expect(normalizedTimestamp('May 1, 2024')).toBeUndefined();
  });

  it('merges a new column\'s types within a batch: numbers widen to double, other mixes become text', () => {
    expect(mergeTypes('bigint', 'double')).toBe('double');
    expect(mergeTypes('bigint', 'bigint')).toBe('bigint');
    expect(mergeTypes('boolean', 'bigint')).toBe('text');
    expect(mergeTypes('timestamp', 'text')).toBe('text');
  });

  it.each<[ColumnValue, ColumnType, ColumnValue | null]>([
    [19.99, 'text', '19.99'], [true, 'text', 'true'], ['2024-05-01T10:00:00.000Z', 'text', '2024-05-01T10:00:00.000Z'],
    ['19.99', 'double', 19.99], [' 7 ', 'double', 7], [true, 'double', 1], ['n/a', 'double', null], ['', 'double', null],
    ['20', 'bigint', 20], ['20.5', 'bigint', null], [false, 'bigint', 0],
    [1, 'boolean', true], ['false', 'boolean', false], ['yes', 'boolean', null], [2, 'boolean', null],
    ['2024-05-01T12:00:00+02:00', 'timestamp', '2024-05-01T10:00:00.000Z'], ['soon', 'timestamp', null], [1714557600, 'timestamp', null],
  ])('%j into a %s column → %j', (value, column, expected) => {
    expect(coerce(value, column)).toStrictEqual(expected);
  });
});
