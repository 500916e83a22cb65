import { z } from 'zod';
import type { AdminClient } from './admin-client.ts';
import { AdminApiError } from './admin-errors.ts';
import { connectionOf, lineItemNode, orderNode, refundLineItemNode, refundNode, type LineItemNode, type OrderNode, type RefundLineItemNode, type RefundNode } from './order-nodes.ts';
import {
  createdBetween,
  moreLineItemsQuery,
  moreRefundLineItemsQuery,
  ordersCountQuery,
  ordersPageQuery,
  refundQuery,
} from './order-queries.ts';

/** An order with all its line items and refunds, ready for order-to-webhook.ts. */
export interface FullOrder {
  order: OrderNode;
  lineItems: LineItemNode[];
  refunds: { refund: RefundNode; lines: RefundLineItemNode[] }[];
}

export interface OrdersPage {
  orders: FullOrder[];
  /** Where the next page starts; null after the last page. */
  nextCursor: string | null;
}

const ordersPageData = z.looseObject({ orders: connectionOf(orderNode) });
const ordersCountData = z.looseObject({ ordersCount: z.looseObject({ count: z.number().int(), precision: z.string() }).nullish() });
const moreLineItemsData = z.looseObject({ node: z.looseObject({ lineItems: connectionOf(lineItemNode) }).nullish() });
const refundData = z.looseObject({ node: refundNode.nullish() });
const moreRefundLinesData = z.looseObject({ node: z.looseObject({ refundLineItems: connectionOf(refundLineItemNode) }).nullish() });

/** Orders created in the period, as Shopify counts them (`atLeast` when it stopped counting). */
export async function countOrders(client: AdminClient, since: Date, until: Date | undefined): Promise<{ count: number; atLeast: boolean } | undefined> {
  const data = await client.request(ordersCountQuery, { query: createdBetween(since, until) }, ordersCountData);
  return data.ordersCount == null ? undefined : { count: data.ordersCount.count, atLeast: data.ordersCount.precision !== 'EXACT' };
}

/** Pages through a connection of one node after its first page. */
async function remaining<T>(first: { hasNextPage: boolean; endCursor?: string | null | undefined }, next: (after: string) => Promise<{ nodes: T[]; pageInfo: typeof first } | undefined>): Promise<T[]> {
  const nodes: T[] = [];
  let page = first;
  while (page.hasNextPage) {
    if (!page.endCursor) throw new AdminApiError('bad-response', 'a page says there is more but gives no cursor');
    const more = await next(page.endCursor);
    if (more === undefined) break;
    nodes.push(...more.nodes);
    page = more.pageInfo;
  }
  return nodes;
}

async function allLineItems(client: AdminClient, order: OrderNode): Promise<LineItemNode[]> {
  const rest = await remaining(order.lineItems.pageInfo, async (after) =>
    (await client.request(moreLineItemsQuery, { id: order.id, after }, moreLineItemsData)).node?.lineItems);
  return [...order.lineItems.nodes, ...rest];
}

async function fullRefund(client: AdminClient, id: string): Promise<FullOrder['refunds'][number] | undefined> {
  const refund = (await client.request(refundQuery, { id }, refundData)).node;
  if (refund == null) return undefined;
  const rest = await remaining(refund.refundLineItems.pageInfo, async (after) =>
    (await client.request(moreRefundLineItemsQuery, { id, after }, moreRefundLinesData)).node?.refundLineItems);
  return { refund, lines: [...refund.refundLineItems.nodes, ...rest] };
}

async function fullOrder(client: AdminClient, order: OrderNode): Promise<FullOrder> {
  const lineItems = await allLineItems(client, order);
  const refunds: FullOrder['refunds'] = [];
  for (const { id } of order.refunds ?? []) {
    const refund = await fullRefund(client, id);
    if (refund !== undefined) refunds.push(refund);
  }
  return { order, lineItems, refunds };
}

/** One page of orders created in [since, until), oldest first, starting after `cursor` (null: the beginning). */
export async function fetchOrdersPage(
  client: AdminClient,
  period: { since: Date; until: Date | undefined },
  cursor: string | null,
  pageSize: number,
): Promise<OrdersPage> {
  const variables = { first: pageSize, after: cursor, query: createdBetween(period.since, period.until) };
  const { orders } = await client.request(ordersPageQuery, variables, ordersPageData);
  const full: FullOrder[] = [];
  for (const order of orders.nodes) full.push(await fullOrder(client, order));
  return { orders: full, nextCursor: orders.pageInfo.hasNextPage ? (orders.pageInfo.endCursor ?? null) : null };
}
