import { describe, expect, it } from 'vitest';
import type { InboxStatus, OrderMessage, OutboxStatus, ReceivedDelivery } from '../store/store.ts';
import { accuracyReport, type AccuracyReport } from './accuracy-report.ts';
import { shopifyFact } from './shopify-side.ts';

const shop = 'alpha.myshopify.com';
const t0 = Date.parse('2025-06-15T15:00:00Z');
let nextId = 1;

function received(topic: string, body: string, status: InboxStatus = 'done', reason: string | null = null): ReceivedDelivery {
  const id = nextId++;
  return { id, shop, topic, webhookId: `w${id}`, status, reason, receivedAt: t0, body: Buffer.from(body) };
}

/** An orders/create body with an 18-digit id written as a bare JSON number, as Shopify sends it. */
function order(id: string, sourceName: string, total: string, currency: string, status?: InboxStatus, reason?: string): ReceivedDelivery {
  const body = `{"id":${id},"admin_graphql_api_id":"gid://shopify/Order/${id}","source_name":"${sourceName}","total_price":"${total}","currency":"${currency}","line_items":[]}`;
  return received('orders/create', body, status, reason ?? null);
}

function refund(refundId: string, orderId: string, amount: string, currency: string): ReceivedDelivery {
  const transactions = [
    { kind: 'refund', status: 'success', amount, currency },
    { kind: 'refund', status: 'failure', amount: '999.00', currency },
  ];
  const body = `{"id":${refundId},"order_id":${orderId},"created_at":"2025-06-15T15:10:00Z","refund_line_items":[],"transactions":${JSON.stringify(transactions)}}`;
  return received('refunds/create', body);
}

function sent(destination: string, eventName: string, orderId: string, amountMinor: number | null, currency: string, status: OutboxStatus, lastError: string | null = null): OrderMessage {
  const id = nextId++;
  return { id, destination, messageId: `m${id}`, shop, eventName, status, lastError, receivedAt: t0, orderId, currency, amountMinor };
}

const ids = {
  a: '820982911946154508', b: '820982911946154509', c: '820982911946154510', d: '820982911946154511',
  e: '820982911946154512', draft: '820982911946154513', pos: '820982911946154514', broken: '820982911946154515',
  waiting: '820982911946154516', stray: '820982911946154517',
};

/**
 * Four currencies' worth of orders: web orders that became Order Completed (one dead at Segment, one with a refund
 * TikTok skips), a draft order and a POS sale left out by rule, one that failed to map, one not processed yet, one
 * delivered twice by Shopify, and an Order Completed with no orders/create in the period.
 */
function scenario(): AccuracyReport {
  const shopify = [
    order(ids.a, 'web', '100.10', 'USD'), order(ids.a, 'web', '100.10', 'USD', 'pending'),
    order(ids.b, 'web', '0.20', 'USD'), order(ids.c, 'web', '0.10', 'USD'),
    order(ids.d, 'web', '1500', 'JPY'), order(ids.e, 'web', '12.345', 'KWD'),
    order(ids.draft, 'shopify_draft_order', '50.00', 'USD', 'done', 'source_name shopify_draft_order is not a web or POS order (a draft order created in the Shopify admin)'),
    order(ids.pos, 'pos', '20.00', 'EUR'),
    order(ids.broken, 'web', '5.00', 'USD', 'failed', 'line_items[0].price: missing'),
    order(ids.waiting, 'web', '7.00', 'USD', 'pending'),
    refund('930000000000000001', ids.a, '10.05', 'USD'), refund('930000000000000002', ids.d, '500', 'JPY'),
    received('orders/create', 'not json'),
  ].map(shopifyFact);
  const messages = [
    sent('segment', 'Order Completed', ids.a, 10010, 'USD', 'delivered'),
    sent('segment', 'Order Completed', ids.b, 20, 'USD', 'dead', 'HTTP 400: invalid event'),
    sent('segment', 'Order Completed', ids.c, 10, 'USD', 'delivered'),
    sent('segment', 'Order Completed', ids.d, 1500, 'JPY', 'delivered'),
    sent('segment', 'Order Completed', ids.e, 12345, 'KWD', 'delivered'),
    sent('segment', 'Order Completed', ids.stray, 4200, 'USD', 'delivered'),
    sent('segment', 'Order Refunded', ids.a, 1005, 'USD', 'delivered'),
    sent('segment', 'Order Refunded', ids.d, 500, 'JPY', 'delivered'),
    sent('tiktok', 'Order Completed', ids.a, 10010, 'USD', 'delivered'),
    sent('tiktok', 'Order Completed', ids.b, 20, 'USD', 'delivered'),
    sent('tiktok', 'Order Completed', ids.c, 10, 'USD', 'pending', 'HTTP 503'),
    sent('tiktok', 'Order Completed', ids.d, 1500, 'JPY', 'delivered'),
    sent('tiktok', 'Order Completed', ids.e, 12345, 'KWD', 'delivered'),
    sent('tiktok', 'Order Refunded', ids.a, 1005, 'USD', 'skipped', 'Order Refunded is not sent to TikTok'),
    sent('tiktok', 'Order Refunded', ids.d, 500, 'JPY', 'skipped', 'Order Refunded is not sent to TikTok'),
  ];
  return accuracyReport({ shopify, messages });
}

describe('accuracyReport', () => {
  it('counts the distinct orders and refunds Shopify sent, and what became of each order', () => {
    const report = scenario();
    expect(report.shopify.orders).toBe(9);
    expect(report.shopify.refunds).toBe(2);
    expect(report.shopify.unreadable).toEqual([expect.objectContaining({ topic: 'orders/create', why: expect.stringMatching(/JSON/) })]);
    expect(report.orders).toEqual({ orderCompleted: 5, excluded: 2, failed: 1, waiting: 1 });
  });

  it('counts Order Completed messages per destination by status', () => {
    expect(scenario().orderCompleted).toEqual([
      { destination: 'segment', byStatus: { delivered: 5, pending: 0, dead: 1, skipped: 0 } },
      { destination: 'tiktok', byStatus: { delivered: 4, pending: 1, dead: 0, skipped: 0 } },
    ]);
  });

  it('lists the excluded orders with the rule that excluded them', () => {
    const { excluded } = scenario();
    const draftRule = 'source_name shopify_draft_order is not a web or POS order (a draft order created in the Shopify admin)';
    expect(excluded.orders).toEqual([
      { shop, orderId: ids.draft, sourceName: 'shopify_draft_order', rule: draftRule, destinations: [] },
      { shop, orderId: ids.pos, sourceName: 'pos', rule: 'source_name pos: sent as POS Order Placed', destinations: [] },
    ]);
    expect(excluded.byRule).toEqual([
      { rule: 'source_name pos: sent as POS Order Placed', destinations: [], orders: 1 },
      { rule: draftRule, destinations: [], orders: 1 },
    ]);
  });

  it('lists orders that failed to map with the reason', () => {
    expect(scenario().failed).toEqual([{ shop, orderId: ids.broken, webhookId: expect.any(String), reason: 'line_items[0].price: missing' }]);
  });

  it('reconciles revenue net of refunds to the minor unit of each currency', () => {
    expect(scenario().revenue).toEqual([
      {
        currency: 'JPY',
        shopify: { orders: '1500', refunds: '500', net: '1000' },
        destinations: [
          { destination: 'segment', orders: '1500', refunds: '500', net: '1000', excluded: '0', difference: '0' },
          { destination: 'tiktok', orders: '1500', refunds: '0', net: '1500', excluded: '0', difference: '500' },
        ],
      },
      {
        currency: 'KWD',
        shopify: { orders: '12.345', refunds: '0.000', net: '12.345' },
        destinations: [
          { destination: 'segment', orders: '12.345', refunds: '0.000', net: '12.345', excluded: '0.000', difference: '0.000' },
          { destination: 'tiktok', orders: '12.345', refunds: '0.000', net: '12.345', excluded: '0.000', difference: '0.000' },
        ],
      },
      {
        // Shopify: 100.10 + 0.20 + 0.10 + 5.00 (failed) + 7.00 (waiting); the draft order is excluded.
        currency: 'USD',
        shopify: { orders: '112.40', refunds: '10.05', net: '102.35' },
        destinations: [
          { destination: 'segment', orders: '142.20', refunds: '10.05', net: '132.15', excluded: '0.00', difference: '29.80' },
          { destination: 'tiktok', orders: '100.30', refunds: '0.00', net: '100.30', excluded: '0.00', difference: '-2.05' },
        ],
      },
    ]);
  });

  it('names every order that differs per destination, and why', () => {
    const differences = scenario().differences.map(({ destination, orderId, shopify, delivered, why }) => [destination, orderId, shopify, delivered, why]);
    expect(differences).toEqual(expect.arrayContaining([
      ['segment', ids.b, '0.20 USD', '0', ['Order Completed dead: HTTP 400: invalid event']],
      ['segment', ids.broken, '5.00 USD', '0', ['no Order Completed message']],
      ['segment', ids.waiting, '7.00 USD', '0', ['no Order Completed message']],
      ['segment', ids.stray, '0', '42.00 USD', ['Order Completed delivered, but no orders/create was received for it in this period']],
      ['tiktok', ids.a, '90.05 USD', '100.10 USD', ['Order Refunded skipped: Order Refunded is not sent to TikTok']],
      ['tiktok', ids.c, '0.10 USD', '0', ['Order Completed pending: HTTP 503']],
      ['tiktok', ids.d, '1000 JPY', '1500 JPY', ['Order Refunded skipped: Order Refunded is not sent to TikTok']],
    ]));
    expect(differences).toHaveLength(9);
    expect(differences.map(([, orderId]) => orderId)).not.toContain(ids.e);
  });

  it('names an order whose delivered total is not what Shopify sent', () => {
    const shopify = [order(ids.a, 'web', '19.99', 'EUR')].map(shopifyFact);
    const report = accuracyReport({ shopify, messages: [sent('segment', 'Order Completed', ids.a, 1998, 'EUR', 'delivered')] });
    expect(report.differences).toEqual([
      { destination: 'segment', shop, orderId: ids.a, shopify: '19.99 EUR', delivered: '19.98 EUR', why: ['delivered 19.98 EUR, Shopify 19.99 EUR'] },
    ]);
    expect(report.revenue[0]?.destinations[0]?.difference).toBe('-0.01');
  });

  it('keeps lists short and says how many it left out', () => {
    const rule = 'excluded by option orders.channels (web): source_name iphone (placed in the Shopify iPhone app)';
    const shopify = Array.from({ length: 5 }, (_, i) => order(`${100 + i}`, 'iphone', '1.00', 'USD')).map(shopifyFact);
    const messages = Array.from({ length: 5 }, (_, i) => sent('segment', 'Order Completed', `${100 + i}`, 100, 'USD', 'skipped', rule));
    const report = accuracyReport({ shopify, messages, maxListed: 2 });
    expect(report.excluded.orders).toHaveLength(2);
    expect(report.excluded.byRule).toEqual([{ rule, destinations: ['segment'], orders: 5 }]);
    expect(report.unlisted).toEqual({ excluded: 3, failed: 0, differences: 0 });
  });

  it('shows each destination’s own exclusions with their rule, and reconciles each destination without them', () => {
    const channels = 'excluded by option orders.channels (web): source_name shopify_draft_order (a draft order created in the Shopify admin)';
    const tagged = 'excluded by option orders.excludeTags: the order is tagged "wholesale"';
    const shopify = [
      order(ids.a, 'web', '10.00', 'USD'), order(ids.b, 'web', '25.00', 'USD'), order(ids.draft, 'shopify_draft_order', '50.00', 'USD'),
      refund('930000000000000003', ids.b, '5.00', 'USD'),
    ].map(shopifyFact);
    const messages = [
      sent('segment', 'Order Completed', ids.a, 1000, 'USD', 'delivered'),
      sent('segment', 'Order Completed', ids.b, 2500, 'USD', 'skipped', tagged),
      sent('segment', 'Order Completed', ids.draft, 5000, 'USD', 'skipped', channels),
      sent('segment', 'Order Refunded', ids.b, 500, 'USD', 'delivered'),
      sent('warehouse', 'Order Completed', ids.a, 1000, 'USD', 'delivered'),
      sent('warehouse', 'Order Completed', ids.b, 2500, 'USD', 'delivered'),
      sent('warehouse', 'Order Completed', ids.draft, 5000, 'USD', 'skipped', channels),
      sent('warehouse', 'Order Refunded', ids.b, 500, 'USD', 'delivered'),
    ];
    const report = accuracyReport({ shopify, messages });
    // The draft order reaches no destination; the wholesale order reaches the warehouse only.
    expect(report.orders).toEqual({ orderCompleted: 2, excluded: 1, failed: 0, waiting: 0 });
    expect(report.excluded.orders).toEqual([
      { shop, orderId: ids.b, sourceName: 'web', rule: tagged, destinations: ['segment'] },
      { shop, orderId: ids.draft, sourceName: 'shopify_draft_order', rule: channels, destinations: ['segment', 'warehouse'] },
    ]);
    expect(report.excluded.byRule).toEqual([
      { rule: channels, destinations: ['segment', 'warehouse'], orders: 1 },
      { rule: tagged, destinations: ['segment'], orders: 1 },
    ]);
    expect(report.revenue).toEqual([{
      currency: 'USD',
      shopify: { orders: '35.00', refunds: '5.00', net: '30.00' },
      destinations: [
        { destination: 'segment', orders: '10.00', refunds: '5.00', net: '5.00', excluded: '25.00', difference: '0.00' },
        { destination: 'warehouse', orders: '35.00', refunds: '5.00', net: '30.00', excluded: '0.00', difference: '0.00' },
      ],
    }]);
    expect(report.differences).toEqual([]);
  });
});
