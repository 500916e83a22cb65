import { readFileSync } from 'node:fs';
import type { FakeOrder } from './fake-admin-server.ts';
import { orderNode, refundNode, type LineItemNode, type OrderNode, type RefundNode } from './order-nodes.ts';

/** Shopify's orders/create sample as the Admin API returns it (see order-to-webhook.test.ts), and its refund. */
export const sampleOrderNode: OrderNode = orderNode.parse(JSON.parse(readFileSync(new URL('fixtures/orders-create-sample.order-node.json', import.meta.url), 'utf8')));
export const sampleRefundNode: RefundNode = refundNode.parse(JSON.parse(readFileSync(new URL('fixtures/refunds-create-sample.refund-node.json', import.meta.url), 'utf8')));

/** The exact REST id of the n-th fake order (18 digits, above 2^53, as real ones are). */
export function fakeOrderId(n: number): string {
  return String(820982911946160000n + BigInt(n));
}

function lineItems(n: number, count: number): LineItemNode[] {
  const template = sampleOrderNode.lineItems.nodes[0]!;
  return Array.from({ length: count }, (_, i) => ({ ...template, id: `gid://shopify/LineItem/${fakeOrderId(n)}${i}`, title: `Item ${i + 1}` }));
}

/**
 * `count` web orders created one minute apart from `since`, built on the sample order. Every `refundEvery`-th has a
 * refund; order `manyLinesAt` has 12 line items (more than one page of them).
 */
export function fakeOrders(count: number, since: Date, options: { refundEvery?: number; manyLinesAt?: number } = {}): FakeOrder[] {
  return Array.from({ length: count }, (_, n) => {
    const id = `gid://shopify/Order/${fakeOrderId(n)}`;
    const lines = lineItems(n, n === options.manyLinesAt ? 12 : 2);
    const node: OrderNode = {
      ...sampleOrderNode,
      id,
      name: `#${1000 + n}`,
      createdAt: new Date(since.getTime() + n * 60_000).toISOString(),
      cancelledAt: null,
      cancelReason: null,
      lineItems: { nodes: lines, pageInfo: { hasNextPage: false, endCursor: null } },
      refunds: [],
    };
    const refunded = options.refundEvery !== undefined && n % options.refundEvery === 0;
    const refunds: RefundNode[] = refunded ? [{ ...sampleRefundNode, id: `gid://shopify/Refund/${fakeOrderId(n)}`, order: { id } }] : [];
    return { node, refunds };
  });
}
