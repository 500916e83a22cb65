import { describe, expect, it } from 'vitest';
import { specEvents } from './event-names.ts';
import { describeChannel, orderChannelDecision, orderChannelRules } from './order-channels.ts';

describe('orderChannelDecision', () => {
  it('makes POS sales POS Order Placed and every other channel’s orders Order Completed', () => {
    expect(orderChannelDecision('web')).toStrictEqual({ kind: 'placed', event: specEvents.orderCompleted });
    expect(orderChannelDecision('pos')).toStrictEqual({ kind: 'placed', event: specEvents.posOrderPlaced });
    expect(orderChannelDecision('shopify_draft_order')).toStrictEqual({ kind: 'placed', event: specEvents.orderCompleted });
    expect(orderChannelDecision('1234567')).toStrictEqual({ kind: 'placed', event: specEvents.orderCompleted });
    const pos = [...orderChannelRules].filter(([, rule]) => rule.event === specEvents.posOrderPlaced);
    expect(pos.map(([name]) => name)).toStrictEqual(['pos']);
  });

  it('says where an order came from, quoting odd names', () => {
    expect(describeChannel('shopify_draft_order')).toBe('source_name shopify_draft_order (a draft order created in the Shopify admin)');
    expect(describeChannel('WEB')).toBe('source_name WEB (another sales channel or app)');
    expect(describeChannel('my app, v2')).toBe('source_name "my app, v2" (another sales channel or app)');
  });

  it('cannot decide without a source_name', () => {
    expect(orderChannelDecision(undefined)).toMatchObject({ kind: 'unmappable' });
    expect(orderChannelDecision('')).toMatchObject({ kind: 'unmappable' });
  });
});
