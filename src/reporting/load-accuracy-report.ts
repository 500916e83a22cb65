import type { OrderMessage, ReceivedPage, ReportTopic, Store } from '../store/store.ts';
import { accuracyReport, orderCompleted, orderRefunded, type AccuracyReport } from './accuracy-report.ts';
import { shopifyFact, type ShopifyFact } from './shopify-side.ts';

/** Rows read per query: raw order bodies run to tens of KB, so a page stays a few MB. */
const pageSize = 200;

/** Reads a received_at window page by page, keeping only what `keep` makes of each row. */
async function readWindow<R extends { id: number; receivedAt: number }, T>(read: (page: ReceivedPage) => Promise<R[]>, since: number, until: number, keep: (row: R) => T): Promise<T[]> {
  const kept: T[] = [];
  let after = { receivedAt: since, id: 0 };
  for (;;) {
    const rows = await read({ until, after, limit: pageSize });
    kept.push(...rows.map(keep));
    const last = rows.at(-1);
    if (last === undefined || rows.length < pageSize) return kept;
    after = { receivedAt: last.receivedAt, id: last.id };
  }
}

export type AccuracyStore = Pick<Store, 'receivedDeliveries' | 'orderMessages'>;

/**
 * The accuracy report of [since, until): Shopify's side from the raw orders/create and refunds/create bodies
 * received then (each body read and dropped page by page), cartstream's from the Order Completed and Order
 * Refunded messages those webhooks produced.
 */
export async function loadAccuracyReport(store: AccuracyStore, since: number, until: number): Promise<AccuracyReport> {
  const facts = (topic: ReportTopic): Promise<ShopifyFact[]> =>
    readWindow((page) => store.receivedDeliveries(topic, page), since, until, shopifyFact);
  const messages = (eventName: string): Promise<OrderMessage[]> =>
    readWindow((page) => store.orderMessages(eventName, page), since, until, (row) => row);
  const shopify = [...(await facts('orders/create')), ...(await facts('refunds/create'))];
  return accuracyReport({ shopify, messages: [...(await messages(orderCompleted)), ...(await messages(orderRefunded))] });
}
