import { describe, expect, it } from 'vitest';
import { messageIdFor } from '../pipeline/message-id.ts';
import { collectorTopicMappers, mapCollectorEvent } from './collector-events.ts';
import { mapCheckoutUpdated } from './checkout-updated.ts';
import { mapCheckoutStarted } from './checkout-started.ts';
import type { MapContext } from './mapper.ts';
import { contextFor, mappedMessages, sampleBody, testShop } from './samples-for-tests.ts';

/** Calls as the collector stores them (enriched with context.ip and receivedAt), for the collector mapper's tests. */
const collectorEvents = {
  track: {
    type: 'track', event: 'Product Viewed', messageId: 'ajs-next-1', userId: null, anonymousId: 'anon-1',
    timestamp: '2026-01-02T03:04:05.000Z', sentAt: '2026-01-02T03:04:05.400Z', receivedAt: '2026-01-02T03:04:06.000Z',
    properties: { product_id: 'p1', price: 19.99 }, integrations: {},
    context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', page: { url: 'https://shop.example/products/hat' } },
  },
  page: {
    type: 'page', name: 'Hat', category: 'Products', messageId: 'ajs-next-2', anonymousId: 'anon-1',
    receivedAt: '2026-01-02T03:04:06.000Z', properties: { path: '/products/hat' },
    context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', page: { url: 'https://shop.example/products/hat' } },
  },
  identify: {
    type: 'identify', messageId: 'node-3', userId: 42, anonymousId: 'anon-1', timestamp: '2026-01-02T04:04:05+01:00',
    receivedAt: '2026-01-02T03:04:06.000Z', traits: { email: 'bob@example.com' }, context: { ip: '198.51.100.1' },
  },
  alias: {
    type: 'alias', messageId: 'node-4', userId: '42', previousId: 'anon-1', timestamp: '2026-01-02T03:04:05.000Z',
    receivedAt: '2026-01-02T03:04:06.000Z', context: { ip: '198.51.100.1' },
  },
} as const;

function contextForCollector(type: string, shop = 'demo.myshopify.com'): MapContext {
  return { shop, topic: `collector/${type}`, webhookId: `collector:${type}`, apiVersion: null, triggeredAt: null };
}

const shop = 'demo.myshopify.com';
const idFor = (messageId: string, forShop = shop) => messageIdFor({ shop: forShop, kind: 'collector', resource: messageId });
const browserContext = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', page: { url: 'https://shop.example/products/hat' } };

describe('mapCollectorEvent: golden outputs', () => {
  it('turns a stored track call back into the same Track, with a shop-namespaced messageId', () => {
    expect(mapCollectorEvent(collectorEvents.track, contextForCollector('track'))).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'track', messageId: idFor('ajs-next-1'), timestamp: '2026-01-02T03:04:05.000Z', anonymousId: 'anon-1',
        event: 'Product Viewed', properties: { product_id: 'p1', price: 19.99 }, context: browserContext, integrations: {},
      }],
    });
  });

  it('moves a page name and category into properties, and falls back to receivedAt for the time', () => {
    expect(mapCollectorEvent(collectorEvents.page, contextForCollector('page'))).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'page', messageId: idFor('ajs-next-2'), timestamp: '2026-01-02T03:04:06.000Z', anonymousId: 'anon-1',
        properties: { name: 'Hat', category: 'Products', path: '/products/hat' }, context: browserContext,
      }],
    });
  });

  it('keeps identify traits and a numeric userId as a string', () => {
    expect(mapCollectorEvent(collectorEvents.identify, contextForCollector('identify'))).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'identify', messageId: idFor('node-3'), timestamp: '2026-01-02T03:04:05.000Z', userId: '42', anonymousId: 'anon-1',
        traits: { email: 'bob@example.com' }, context: { ip: '198.51.100.1' },
      }],
    });
  });

  it('keeps an alias previousId', () => {
    expect(mapCollectorEvent(collectorEvents.alias, contextForCollector('alias'))).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'alias', messageId: idFor('node-4'), timestamp: '2026-01-02T03:04:05.000Z', userId: '42', previousId: 'anon-1',
        context: { ip: '198.51.100.1' },
      }],
    });
  });

  it('gives the same browser messageId different ids in two shops, and a stable id on every run', () => {
    const one = mapCollectorEvent(collectorEvents.track, contextForCollector('track'));
    const other = mapCollectorEvent(collectorEvents.track, contextForCollector('track', 'other.myshopify.com'));
    const idOf = (result: typeof one) => (result.kind === 'mapped' ? result.messages[0]?.messageId : undefined);
    expect(idOf(one)).toBe('cs-6e8396342ae5b575073320b34d73fe92');
    expect(idOf(other)).toBe(idFor('ajs-next-1', 'other.myshopify.com'));
    expect(idOf(other)).not.toBe(idOf(one));
  });
});

describe('mapCollectorEvent: invalid calls are unmappable with the reason', () => {
  const base = collectorEvents.track as Record<string, unknown>;
  it.each([
    ['no userId or anonymousId', { ...base, anonymousId: null }, 'invalid collector event: userId: userId or anonymousId is required'],
    ['a track without an event name', { ...base, event: '' }, 'invalid collector event: event: Too small: expected string to have >=1 characters'],
    ['an alias without previousId', { ...collectorEvents.alias, type: 'alias', previousId: undefined }, 'invalid collector event: previousId: Invalid input'],
    ['an unknown type', { ...base, type: 'purchase' }, "invalid collector event: type: Invalid discriminator value. Expected 'track' | 'page' | 'identify' | 'alias'"],
    ['no messageId', { ...base, messageId: undefined }, 'invalid collector event: messageId: Invalid input: expected string, received undefined'],
    ['a timestamp that is not a time', { ...base, timestamp: 'soon' }, 'invalid collector event: timestamp: must be a date-time'],
    ['properties that are not an object', { ...base, properties: [1] }, 'invalid collector event: properties: Invalid input: expected record, received array'],
    ['a body that is not an object', 'track', 'invalid collector event: event: Invalid input: expected object, received string'],
  ])('%s', (_name, payload, reason) => {
    expect(mapCollectorEvent(payload, contextForCollector('track'))).toStrictEqual({ kind: 'unmappable', reason });
  });

  it('refuses a call stored under another type\'s topic', () => {
    expect(mapCollectorEvent(collectorEvents.track, contextForCollector('page'))).toStrictEqual({
      kind: 'unmappable', reason: 'a track call stored under topic collector/page',
    });
  });
});

describe('collectorTopicMappers', () => {
  it('routes the four Segment calls cartstream maps to the collector mapper', () => {
    expect(collectorTopicMappers.map(([topic, entry]) => [topic, entry.mapper === mapCollectorEvent, entry.events])).toStrictEqual([
      ['collector/track', true, []], ['collector/page', true, []], ['collector/identify', true, []], ['collector/alias', true, []],
    ]);
  });
});

describe('browser events that the checkout webhooks also report', () => {
  const checkout = sampleBody('checkouts_create.json');
  const serverStarted = mappedMessages(mapCheckoutStarted(checkout, contextFor('checkouts/create')))
    .find((message) => message.event === 'Checkout Started')!;

  it("gives the pixel's Checkout Started the server's messageId for that checkout, so destinations get it once", () => {
    const browser = { ...collectorEvents.track, event: 'Checkout Started', properties: { checkout_id: checkout.token, total: 10 } };
    const [message] = mappedMessages(mapCollectorEvent(browser, contextForCollector('track', testShop)));
    expect(message!.messageId).toBe(serverStarted.messageId);
  });

  it.each([1, 2, 3])("gives the pixel's Checkout Step Completed the server's messageId for step %i of that checkout", (step) => {
    const reached = { ...checkout, email: 'a@example.com', shipping_lines: [{ title: 'Standard', price: '5.00' }], gateway: 'visa' };
    const server = mappedMessages(mapCheckoutUpdated(reached, contextFor('checkouts/update')))
      .find((message) => message.event === 'Checkout Step Completed' && message.properties?.step === step)!;
    const browser = { ...collectorEvents.track, event: 'Checkout Step Completed', properties: { checkout_id: checkout.token, step } };
    const [message] = mappedMessages(mapCollectorEvent(browser, contextForCollector('track', testShop)));
    expect(message!.messageId).toBe(server.messageId);
  });

  it('keeps the browser id for a step event without a known step number', () => {
    const browser = { ...collectorEvents.track, event: 'Checkout Step Completed', properties: { checkout_id: checkout.token, step: 7 } };
    const [message] = mappedMessages(mapCollectorEvent(browser, contextForCollector('track', testShop)));
    expect(message!.messageId).toBe(messageIdFor({ shop: testShop, kind: 'collector', resource: 'ajs-next-1' }));
  });

  it('keeps the browser id for a checkout event without a checkout token, and for other events', () => {
    const withoutToken = { ...collectorEvents.track, event: 'Checkout Started', properties: {} };
    const [message] = mappedMessages(mapCollectorEvent(withoutToken, contextForCollector('track', testShop)));
    expect(message!.messageId).toBe(messageIdFor({ shop: testShop, kind: 'collector', resource: 'ajs-next-1' }));
  });
});
