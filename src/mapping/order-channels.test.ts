import { describe, expect, it } from 'vitest';
import { specEvents } from './event-names.ts';
import { orderChannelDecision, orderChannelRules } from './order-channels.ts';

describe('orderChannelDecision', () => {
  it('makes web orders Order Completed and POS sales POS Order Placed, and nothing else placed', () => {
    expect(orderChannelDecision('web')).toStrictEqual({ kind: 'placed', event: specEvents.orderCompleted });
    expect(orderChannelDecision('pos')).toStrictEqual({ kind: 'placed', event: specEvents.posOrderPlaced });
    const placed = [...orderChannelRules].filter(([, rule]) => rule.kind === 'placed');
    expect(placed.map(([name]) => name)).toStrictEqual(['web', 'pos']);
  });

  it('says which channel an ignored order came from, quoting odd names', () => {
    expect(orderChannelDecision('shopify_draft_order')).toStrictEqual({
      kind: 'ignored',
      reason: 'source_name shopify_draft_order is not a web or POS order (a draft order created in the Shopify admin)',
    });
    expect(orderChannelDecision('WEB')).toStrictEqual({
      kind: 'ignored',
      reason: 'source_name WEB is not a web or POS order (another sales channel or app)',
    });
    expect(orderChannelDecision('my app, v2')).toStrictEqual({
      kind: 'ignored',
      reason: 'source_name "my app, v2" is not a web or POS order (another sales channel or app)',
    });
  });

  it('cannot decide without a source_name', () => {
    expect(orderChannelDecision(undefined)).toMatchObject({ kind: 'unmappable' });
    expect(orderChannelDecision('')).toMatchObject({ kind: 'unmappable' });
  });
});
