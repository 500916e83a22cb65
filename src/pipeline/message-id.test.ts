import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deterministicUuid, messageIdFor } from './message-id.ts';

const order = { shop: 'demo.myshopify.com', kind: 'order-completed', resource: '820982911946154508' };

describe('messageIdFor', () => {
  it('gives the same id for the same parts, every time', () => {
    expect(messageIdFor(order)).toBe(messageIdFor({ ...order }));
    expect(messageIdFor(order)).toMatch(/^cs-[0-9a-f]{32}$/);
  });

  it('gives a different id when any part differs', () => {
    const ids = new Set([
      messageIdFor(order),
      messageIdFor({ ...order, shop: 'other.myshopify.com' }),
      messageIdFor({ ...order, kind: 'identify' }),
      messageIdFor({ ...order, resource: '820982911946154509' }),
      messageIdFor({ ...order, version: '2024-01-01T00:00:00.000Z' }),
      messageIdFor({ ...order, version: '' }),
    ]);
    expect(ids.size).toBe(6);
  });

  it('cannot be fooled by moving text between parts', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.string(), (a, b, c) => {
        const split = messageIdFor({ shop: a, kind: b, resource: c });
        const moved = messageIdFor({ shop: `${a}${b.slice(0, 1)}`, kind: b.slice(1), resource: c });
        return split !== moved;
      }),
    );
  });
});

describe('deterministicUuid', () => {
  it('is UUID-shaped (version 8, RFC variant) and stable', () => {
    const id = deterministicUuid('demo.myshopify.com', 'cart', 'c1-token');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('demo.myshopify.com', 'cart', 'c1-token')).toBe(id);
  });

  it('differs for different inputs and for the same text split differently', () => {
    expect(deterministicUuid('shop', 'cart', 'a')).not.toBe(deterministicUuid('shop', 'cart', 'b'));
    expect(deterministicUuid('shop', 'cart', 'a')).not.toBe(deterministicUuid('shop', 'checkout', 'a'));
    expect(deterministicUuid('ab', 'c')).not.toBe(deterministicUuid('a', 'bc'));
  });
});
