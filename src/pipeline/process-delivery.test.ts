import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Destination } from '../destinations/destination.ts';
import type { InboxRow } from '../store/store.ts';
import { processDelivery } from './process-delivery.ts';

const sample = readFileSync(new URL('../../../shared/fixtures/shopify/samples/orders_create.json', import.meta.url), 'utf8');
const order = JSON.parse(sample).response as Record<string, unknown>;

function row(body: string | Buffer, topic = 'orders/create'): InboxRow {
  return {
    id: 7, attempts: 1, shop: 'shop.myshopify.com', source: 'shopify', topic, webhookId: 'w', eventId: null,
    triggeredAt: null, apiVersion: '2026-04', headers: {}, body: Buffer.from(body), receivedAt: 1_000,
  };
}

function destination(transform: Destination['transform'], maxEventBytes = 32 * 1024): Destination {
  return {
    name: 'test', limits: { maxBatchEvents: 100, maxBatchBytes: 500_000, maxEventBytes }, transform,
    send: async () => ({ scope: 'batch', outcome: { kind: 'delivered' } }),
  };
}

const passThrough = destination((message) => ({ kind: 'event', json: JSON.stringify(message) }));

describe('processing one delivery', () => {
  it('turns a web order into outbox rows for every destination, carrying the webhook receipt time', () => {
    const result = processDelivery(row(JSON.stringify(order)), [passThrough]);
    expect(result.kind).toBe('mapped');
    if (result.outcome.status !== 'done') throw new Error('expected done');
    expect(result.outcome.messages.map((m) => m.eventName)).toStrictEqual(['identify', 'Order Completed']);
    expect(result.outcome.messages.every((m) => m.inboxId === 7 && m.receivedAt === 1_000 && m.destination === 'test')).toBe(true);
  });

  it('dead-letters an event over the destination limit at once, with the size in the reason', () => {
    const result = processDelivery(row(JSON.stringify(order)), [destination((m) => ({ kind: 'event', json: JSON.stringify(m) }), 500)]);
    if (result.outcome.status !== 'done') throw new Error('expected done');
    const completed = result.outcome.messages.find((m) => m.eventName === 'Order Completed');
    expect(completed?.initial?.status).toBe('dead');
    expect(completed?.initial?.reason).toMatch(/^event is \d+ bytes, over test's 500-byte limit per event$/);
  });

  it('records what a destination skips, and why', () => {
    const skipping = destination(() => ({ kind: 'skip', reason: 'not a standard event' }));
    const result = processDelivery(row(JSON.stringify(order)), [skipping]);
    if (result.outcome.status !== 'done') throw new Error('expected done');
    expect(result.outcome.messages.map((m) => m.initial)).toStrictEqual([
      { status: 'skipped', reason: 'not a standard event' }, { status: 'skipped', reason: 'not a standard event' },
    ]);
  });

  it('skips every message of a draft order for a destination whose options leave draft orders out, with the rule', () => {
    const result = processDelivery(row(JSON.stringify({ ...order, source_name: 'shopify_draft_order' })), [passThrough]);
    if (result.outcome.status !== 'done') throw new Error('expected done');
    const reason = 'excluded by option orders.channels (web): source_name shopify_draft_order (a draft order created in the Shopify admin)';
    expect(result.outcome.messages.map((m) => [m.eventName, m.initial])).toStrictEqual([
      ['identify', { status: 'skipped', reason }], ['Order Completed', { status: 'skipped', reason }],
    ]);
  });

  it('notes topics without a mapping instead of failing them', () => {
    const result = processDelivery(row('{"id":1}', 'app/uninstalled'), [passThrough]);
    expect(result.outcome).toStrictEqual({ status: 'done', messages: [], note: 'no mapping for topic app/uninstalled' });
  });

  it.each([
    ['a body that is not JSON', '{"id": 1,', /not valid JSON/],
    ['money that is not a number', JSON.stringify({ ...order, total_price: 'example string' }), /total_price/],
  ])('fails %s with a reason and never throws', (_name, body, reason) => {
    const result = processDelivery(row(body), [passThrough]);
    expect(result.kind).toBe('failed');
    expect(result.outcome.status === 'failed' && result.outcome.reason).toMatch(reason);
  });

  it('contains a destination that throws, failing only this delivery', () => {
    const broken = destination(() => { throw new Error('boom'); });
    expect(processDelivery(row(JSON.stringify(order)), [broken]).outcome).toStrictEqual({
      status: 'failed', reason: 'destination transform error: boom',
    });
  });
});
