import { describe, expect, it } from 'vitest';
import { eventTableProblem, identifierFor, quoteIdentifier, snakeCase } from './identifiers.ts';

describe('Segment\'s naming rule', () => {
  // The cases go-snakecase (the package Segment names for its warehouse schemas) is tested with.
  it.each([
    ['sample text', 'sample_text'], ['sample-text', 'sample_text'], ['sample___text', 'sample_text'], ['sampleText', 'sample_text'],
    ['inviteYourCustomersAddInvites', 'invite_your_customers_add_invites'], ['sample 2 Text', 'sample_2_text'],
    ['   $#$sample   2    Text   ', 'sample_2_text'], ['SAMPLE 2 TEXT', 'sample_2_text'], ['___$$Base64Encode', 'base64_encode'],
    ['FOO:BAR$BAZ', 'foo_bar_baz'], ['something.com', 'something_com'], ['$something%', 'something'], ['•¶§ƒ˚foo˙∆˚¬', 'foo'],
    ['Order Completed', 'order_completed'], ['Checkout Step Viewed', 'checkout_step_viewed'], ['POS Order Placed', 'pos_order_placed'],
  ])('%j → %j', (name, expected) => {
    expect(snakeCase(name)).toBe(expected);
  });

  it('cuts identifiers to 63 characters without a trailing underscore, and leaves nothing of symbols', () => {
    expect(identifierFor(`${'a'.repeat(62)} b`)).toBe('a'.repeat(62));
    expect(identifierFor('"; --')).toBe('');
  });

  it('refuses event tables that are empty, Segment\'s own, or SQLite\'s', () => {
    expect(eventTableProblem('order_completed')).toBeNull();
    expect(eventTableProblem('')).toMatch(/no letters or digits/);
    expect(eventTableProblem('tracks')).toBe('table tracks is the warehouse\'s table for all track calls');
    expect(eventTableProblem('users')).toBe('table users is the warehouse\'s table for users calls');
    expect(eventTableProblem('sqlite_sequence')).toMatch(/SQLite reserves/);
  });

  it('quotes names so reserved words work as columns', () => {
    expect(quoteIdentifier('timestamp')).toBe('"timestamp"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
});
