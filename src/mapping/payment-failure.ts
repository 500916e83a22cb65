import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { minorToNumber, parseMoney, type Parsed } from '../shopify/money.ts';
import type { ShopifyTransaction } from '../shopify/transaction.ts';
import { exactShopifyId } from '../shopify/shopify-id.ts';
import { specEvents } from './event-names.ts';
import type { OrderFacts } from './order-facts.ts';
import { orderContext } from './order-properties.ts';
import { trackMessage } from './track-message.ts';
import { compact, isoTimestamp } from './values.ts';

/** Shopify transaction statuses that mean the payment did not go through. */
const failedStatuses: ReadonlySet<string> = new Set(['failure', 'error']);

function transactionAmount(transaction: ShopifyTransaction, index: number, currency: string): Parsed<number | undefined> {
  if (transaction.amount == null) return { ok: true, value: undefined };
  const money = parseMoney(transaction.amount, currency);
  if (!money.ok) return { ok: false, reason: `transactions[${index}].amount: ${money.reason}` };
  return { ok: true, value: minorToNumber(money.value.minor, money.value.exponent) };
}

function paymentFailureTrack(
  facts: OrderFacts,
  orderProperties: Record<string, unknown>,
  transaction: ShopifyTransaction,
  index: number,
  shop: string,
): Parsed<SegmentMessage> {
  const currency = transaction.currency || facts.order.currency;
  const amount = transactionAmount(transaction, index, currency);
  if (!amount.ok) return amount;
  const transactionId = exactShopifyId(transaction.id, transaction.admin_graphql_api_id, 'OrderTransaction');
  const properties = compact({
    ...orderProperties,
    transaction_id: transactionId,
    payment_method: transaction.gateway || (orderProperties.payment_method as string | undefined),
    error_code: transaction.error_code,
    transaction_amount: amount.value,
    transaction_currency: amount.value === undefined ? undefined : currency,
  });
  const timestamp = isoTimestamp(transaction.processed_at) ?? isoTimestamp(transaction.created_at) ?? facts.createdAt;
  // One message per failed transaction; a transaction without an id is named by its place in the order's list.
  const resource = transactionId ?? `order ${facts.orderId} transactions[${index}]`;
  const { userId, anonymousId } = facts.identity;
  const context = orderContext(facts.order);
  return { ok: true, value: trackMessage({ event: specEvents.paymentFailure, shop, resource, timestamp, userId, anonymousId, properties, context }) };
}

/**
 * A Payment Failure for each transaction with status failure or error, when the order body lists transactions
 * (most order webhooks do not; an app or API version that includes them gets the event). Keyed by transaction
 * id, so the same failure seen in several order webhooks is sent once.
 */
export function paymentFailureTracks(facts: OrderFacts, orderProperties: Record<string, unknown>, shop: string): Parsed<SegmentMessage[]> {
  const messages: SegmentMessage[] = [];
  for (const [index, transaction] of (facts.order.transactions ?? []).entries()) {
    if (!failedStatuses.has(transaction.status ?? '')) continue;
    const track = paymentFailureTrack(facts, orderProperties, transaction, index, shop);
    if (!track.ok) return track;
    messages.push(track.value);
  }
  return { ok: true, value: messages };
}
