import { describe, expect, it } from 'vitest';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { messageFacts } from './message-facts.ts';

const base = { messageId: 'cs-1', timestamp: '2025-06-15T15:00:00.000Z' };

describe('messageFacts', () => {
  it('reads who, which order and the total in exact minor units of the currency', () => {
    const completed: SegmentMessage = {
      ...base, type: 'track', event: 'Order Completed', userId: '7390', anonymousId: 'anon-1',
      properties: { order_id: '820982911946154508', total: 1234.56, revenue: 1000, currency: 'USD' },
    };
    expect(messageFacts(completed)).toStrictEqual({
      userId: '7390', anonymousId: 'anon-1', orderId: '820982911946154508', money: { currency: 'USD', minor: 123456 },
    });
  });

  it.each([
    [0.3, 'USD', 30],
    [1500, 'JPY', 1500],
    [12.345, 'KWD', 12345],
    [0.1 + 0.2, 'USD', undefined],
  ])('turns total %s %s into %s minor units, refusing what is not an exact amount', (total, currency, minor) => {
    const facts = messageFacts({ ...base, type: 'track', event: 'Order Refunded', anonymousId: 'a', properties: { total, currency } });
    expect(facts.money).toStrictEqual(minor === undefined ? undefined : { currency, minor });
  });

  it("takes an alias's previousId as the browser id it joins to the customer", () => {
    expect(messageFacts({ ...base, type: 'alias', userId: '7390', previousId: 'browser-1' })).toStrictEqual({
      userId: '7390', anonymousId: 'browser-1',
    });
  });

  it('leaves out what the message does not carry', () => {
    const viewed: SegmentMessage = { ...base, type: 'track', event: 'Product Viewed', anonymousId: 'a', properties: { price: 5, currency: 'EUR' } };
    expect(messageFacts(viewed)).toStrictEqual({ anonymousId: 'a' });
    expect(messageFacts({ ...base, type: 'identify', userId: '', anonymousId: 'a', traits: {} })).toStrictEqual({ anonymousId: 'a' });
  });
});
