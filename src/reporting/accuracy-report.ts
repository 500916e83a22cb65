/**
 * The accuracy report: what Shopify sent in a period against what cartstream delivered to each destination, order
 * by order, with money compared in integer minor units per currency. Pure: fed by store queries (the raw
 * orders/create and refunds/create deliveries, read by shopify-side.ts, and the Order Completed / Order Refunded
 * outbox rows with the facts written beside them, see message-facts.ts).
 */
import type { OrderMessage, OutboxStatus } from '../store/store.ts';
import { optionExclusions, rulesWithDestinations, skippedByOption, type OptionExclusions } from './destination-exclusions.ts';
import { addTo, describeTotals, formatMinor, sameTotals, type CurrencyTotals } from './money-text.ts';
import type { ShopifyFact, ShopifyOrder, ShopifyRefund, UnreadableDelivery } from './shopify-side.ts';

export const orderCompleted = 'Order Completed';
export const orderRefunded = 'Order Refunded';

/** What became of one order Shopify sent. */
export type OrderFate = 'orderCompleted' | 'excluded' | 'failed' | 'waiting';

type StatusCounts = Record<OutboxStatus, number>;

/** Decimal texts, exact to the currency's minor unit. */
export interface NetRevenue {
  orders: string;
  refunds: string;
  net: string;
}

export interface CurrencyRevenue {
  currency: string;
  shopify: NetRevenue;
  /** `excluded`: Shopify's net of the orders this destination's options leave out; `difference` leaves them out too. */
  destinations: (NetRevenue & { destination: string; excluded: string; difference: string })[];
}

export interface OrderDifference {
  destination: string;
  shop: string;
  orderId: string;
  /** Net of refunds, e.g. "120.00 USD"; "0" when nothing. */
  shopify: string;
  delivered: string;
  why: string[];
}

export interface AccuracyReport {
  shopify: { orders: number; refunds: number; unreadable: Omit<UnreadableDelivery, 'kind'>[] };
  orders: Record<OrderFate, number>;
  orderCompleted: { destination: string; byStatus: StatusCounts }[];
  /**
   * Orders left out by a rule: `destinations` are those whose options left it out (each destination its own rule),
   * empty when the rule comes before any destination (a POS sale, an order mapped before the options existed).
   */
  excluded: {
    byRule: { rule: string; destinations: string[]; orders: number }[];
    orders: { shop: string; orderId: string; sourceName: string | null; rule: string; destinations: string[] }[];
  };
  failed: { shop: string; orderId: string; webhookId: string; reason: string }[];
  revenue: CurrencyRevenue[];
  differences: OrderDifference[];
  /** How many entries the lists above left out (they keep the first `maxListed` each). */
  unlisted: { excluded: number; failed: number; differences: number };
}

export interface AccuracyInput {
  shopify: readonly ShopifyFact[];
  messages: readonly OrderMessage[];
  /** The longest any list in the report gets. */
  maxListed?: number;
}

/** shop + order id: Shopify's ids are global, but two shops' data never mix even if they were not. */
function orderKey(shop: string, orderId: string): string {
  return JSON.stringify([shop, orderId]);
}

/** Shopify may deliver one order twice (new webhook id); the most advanced delivery speaks for it. */
const statusRank = { done: 0, pending: 1, failed: 2 } as const;

function distinctOrders(facts: readonly ShopifyFact[]): Map<string, ShopifyOrder> {
  const orders = new Map<string, ShopifyOrder>();
  for (const fact of facts) {
    if (fact.kind !== 'order') continue;
    const key = orderKey(fact.shop, fact.orderId);
    const seen = orders.get(key);
    if (seen === undefined || statusRank[fact.inboxStatus] < statusRank[seen.inboxStatus]) orders.set(key, fact);
  }
  return orders;
}

function distinctRefunds(facts: readonly ShopifyFact[]): ShopifyRefund[] {
  const refunds = new Map<string, ShopifyRefund>();
  for (const fact of facts) if (fact.kind === 'refund') refunds.set(JSON.stringify([fact.shop, fact.refundId]), fact);
  return [...refunds.values()];
}

type Fate =
  | { fate: 'orderCompleted' | 'waiting' }
  | { fate: 'excluded'; rule: string; byOptions?: boolean }
  | { fate: 'failed'; reason: string };

/** Whether every destination that has the order's Order Completed left it out by its options. */
function excludedEverywhere(completed: Map<string, OrderMessage[]> | undefined, excludedBy: Map<string, string> | undefined): boolean {
  return completed !== undefined && excludedBy !== undefined && [...completed.keys()].every((destination) => excludedBy.has(destination));
}

/**
 * A failure first; then the channel rules; then the destinations' options when every destination left it out; then
 * an "ignored" note that left the order without an Order Completed.
 */
function fateOf(order: ShopifyOrder, completed: Map<string, OrderMessage[]> | undefined, excludedBy: Map<string, string> | undefined): Fate {
  if (order.inboxStatus === 'failed') return { fate: 'failed', reason: order.reason ?? 'failed' };
  if (!order.expected.orderCompleted) return { fate: 'excluded', rule: order.reason ?? order.expected.rule };
  if (order.inboxStatus === 'pending') return { fate: 'waiting' };
  if (excludedEverywhere(completed, excludedBy)) return { fate: 'excluded', rule: [...new Set(excludedBy!.values())].join('; '), byOptions: true };
  if (order.reason !== null && completed === undefined) return { fate: 'excluded', rule: order.reason };
  return { fate: 'orderCompleted' };
}

/** Per order key: its messages of one event, per destination. */
type MessagesByOrder = Map<string, Map<string, OrderMessage[]>>;

function groupMessages(messages: readonly OrderMessage[], eventName: string): MessagesByOrder {
  const grouped: MessagesByOrder = new Map();
  for (const message of messages) {
    if (message.eventName !== eventName || message.orderId === null) continue;
    const key = orderKey(message.shop, message.orderId);
    const byDestination = grouped.get(key) ?? new Map<string, OrderMessage[]>();
    byDestination.set(message.destination, [...(byDestination.get(message.destination) ?? []), message]);
    grouped.set(key, byDestination);
  }
  return grouped;
}

function statusCounts(messages: readonly OrderMessage[], destinations: readonly string[]): AccuracyReport['orderCompleted'] {
  return destinations.map((destination) => {
    const byStatus: StatusCounts = { delivered: 0, pending: 0, dead: 0, skipped: 0 };
    for (const m of messages) if (m.destination === destination && m.eventName === orderCompleted) byStatus[m.status] += 1;
    return { destination, byStatus };
  });
}

function deliveredTotals(messages: readonly OrderMessage[] | undefined): CurrencyTotals {
  const totals: CurrencyTotals = new Map();
  for (const m of messages ?? []) if (m.status === 'delivered' && m.currency !== null && m.amountMinor !== null) addTo(totals, m.currency, m.amountMinor);
  return totals;
}

/** Everything known about one order key, Shopify's side and each destination's. */
interface OrderLedger {
  shop: string;
  orderId: string;
  /** The Shopify order when it is expected to be an Order Completed. */
  expected: ShopifyOrder | undefined;
  /** Present when Shopify's orders/create was received in the period (expected or not). */
  received: boolean;
  refunds: ShopifyRefund[];
}

function ledgers(orders: Map<string, ShopifyOrder>, fates: Map<string, Fate>, refunds: readonly ShopifyRefund[], messageKeys: Iterable<string>): Map<string, OrderLedger> {
  const all = new Map<string, OrderLedger>();
  const ledger = (key: string, shop: string, orderId: string) => {
    const found = all.get(key) ?? { shop, orderId, expected: undefined, received: false, refunds: [] };
    all.set(key, found);
    return found;
  };
  for (const [key, order] of orders) {
    const entry = ledger(key, order.shop, order.orderId);
    entry.received = true;
    if (order.expected.orderCompleted && fates.get(key)?.fate !== 'excluded') entry.expected = order;
  }
  for (const refund of refunds) ledger(orderKey(refund.shop, refund.orderId), refund.shop, refund.orderId).refunds.push(refund);
  for (const key of messageKeys) {
    const [shop, orderId] = JSON.parse(key) as [string, string];
    ledger(key, shop, orderId);
  }
  return all;
}

function shopifyNet(entry: OrderLedger): { orders: CurrencyTotals; refunds: CurrencyTotals } {
  const orders: CurrencyTotals = new Map();
  const refunds: CurrencyTotals = new Map();
  if (entry.expected?.total) addTo(orders, entry.expected.total.currency, entry.expected.total.minor);
  for (const refund of entry.refunds) if (refund.total) addTo(refunds, refund.total.currency, refund.total.minor);
  return { orders, refunds };
}

function net(orders: CurrencyTotals, refunds: CurrencyTotals): CurrencyTotals {
  const result = new Map(orders);
  for (const [currency, minor] of refunds) addTo(result, currency, -minor);
  return result;
}

function messageProblems(event: string, messages: readonly OrderMessage[] | undefined, expected: boolean): string[] {
  if (messages === undefined || messages.length === 0) return expected ? [`no ${event} message`] : [];
  return messages.flatMap((m) => {
    if (m.status === 'delivered') return m.amountMinor === null ? [`${event} delivered without a recorded total`] : [];
    const detail = m.lastError === null ? '' : `: ${m.lastError}`;
    return [`${event} ${m.status}${detail}`];
  });
}

interface DestinationTotals {
  orders: CurrencyTotals;
  refunds: CurrencyTotals;
  /** Shopify's totals of the orders the destination's options leave out. */
  excluded: CurrencyTotals;
}

const emptyTotals = (): DestinationTotals => ({ orders: new Map(), refunds: new Map(), excluded: new Map() });

/** What the report knows of every order, for comparing one order for one destination. */
interface Comparison {
  completed: MessagesByOrder;
  refunded: MessagesByOrder;
  excludedBy: OptionExclusions;
}

/**
 * The order as this destination should have it: without the Order Completed its options left out (it expects
 * none, and Shopify's total counts as excluded for it).
 */
function entryFor(entry: OrderLedger, destination: string, comparison: Comparison, totals: DestinationTotals): OrderLedger {
  if (entry.expected === undefined || !comparison.excludedBy.get(orderKey(entry.shop, entry.orderId))?.has(destination)) return entry;
  if (entry.expected.total) addTo(totals.excluded, entry.expected.total.currency, entry.expected.total.minor);
  return { ...entry, expected: undefined };
}

/** Compares one order for one destination; adds its delivered money to the destination's totals. */
function compareOrder(order: OrderLedger, destination: string, comparison: Comparison, totals: DestinationTotals): OrderDifference | null {
  const entry = entryFor(order, destination, comparison, totals);
  const key = orderKey(entry.shop, entry.orderId);
  const completedHere = comparison.completed.get(key)?.get(destination)?.filter((m) => !skippedByOption(m));
  const refundedHere = comparison.refunded.get(key)?.get(destination);
  const delivered = { orders: deliveredTotals(completedHere), refunds: deliveredTotals(refundedHere) };
  for (const [currency, minor] of delivered.orders) addTo(totals.orders, currency, minor);
  for (const [currency, minor] of delivered.refunds) addTo(totals.refunds, currency, minor);
  const shopify = shopifyNet(entry);
  const why = [
    ...messageProblems(orderCompleted, completedHere, entry.expected !== undefined),
    ...messageProblems(orderRefunded, refundedHere, entry.refunds.length > 0),
  ];
  if (entry.expected === undefined && completedHere?.some((m) => m.status === 'delivered')) {
    why.push(entry.received ? `${orderCompleted} delivered for an order the rules exclude` : `${orderCompleted} delivered, but no orders/create was received for it in this period`);
  }
  if (entry.expected !== undefined && entry.expected.total === null) why.push('Shopify’s total_price could not be read');
  const shopifyNetTotals = net(shopify.orders, shopify.refunds);
  const deliveredNet = net(delivered.orders, delivered.refunds);
  if (why.length === 0 && !sameTotals(shopifyNetTotals, deliveredNet)) {
    why.push(`delivered ${describeTotals(deliveredNet)}, Shopify ${describeTotals(shopifyNetTotals)}`);
  }
  if (why.length === 0) return null;
  return { destination, shop: entry.shop, orderId: entry.orderId, shopify: describeTotals(shopifyNetTotals), delivered: describeTotals(deliveredNet), why };
}

function revenueRows(shopify: DestinationTotals, byDestination: Map<string, DestinationTotals>): CurrencyRevenue[] {
  const currencies = new Set([...shopify.orders.keys(), ...shopify.refunds.keys()]);
  for (const totals of byDestination.values()) for (const c of [...totals.orders.keys(), ...totals.refunds.keys()]) currencies.add(c);
  const texts = (totals: DestinationTotals, currency: string) => {
    const orders = totals.orders.get(currency) ?? 0;
    const refunds = totals.refunds.get(currency) ?? 0;
    return { minor: orders - refunds, text: { orders: formatMinor(orders, currency), refunds: formatMinor(refunds, currency), net: formatMinor(orders - refunds, currency) } };
  };
  return [...currencies].sort().map((currency) => {
    const expected = texts(shopify, currency);
    const destinations = [...byDestination].map(([destination, totals]) => {
      const delivered = texts(totals, currency);
      const excluded = totals.excluded.get(currency) ?? 0;
      const difference = formatMinor(delivered.minor - (expected.minor - excluded), currency);
      return { destination, ...delivered.text, excluded: formatMinor(excluded, currency), difference };
    });
    return { currency, shopify: expected.text, destinations };
  });
}

function listed<T>(items: readonly T[], max: number): { items: T[]; unlisted: number } {
  return { items: items.slice(0, max), unlisted: Math.max(0, items.length - max) };
}

function fates(orders: Map<string, ShopifyOrder>, completed: MessagesByOrder, excludedBy: OptionExclusions): Map<string, Fate> {
  return new Map([...orders].map(([key, order]) => [key, fateOf(order, completed.get(key), excludedBy.get(key))]));
}

/** One entry per order and rule: the rules before the destinations, and each destination's options. */
function exclusions(orders: Map<string, ShopifyOrder>, fateByKey: Map<string, Fate>, excludedBy: OptionExclusions): AccuracyReport['excluded']['orders'] {
  return [...orders].flatMap(([key, order]) => {
    const fate = fateByKey.get(key);
    const { shop, orderId, sourceName } = order;
    const before = fate?.fate === 'excluded' && fate.byOptions !== true ? [{ rule: fate.rule, destinations: [] }] : [];
    const byDestinations = fate?.fate === 'failed' || fate?.fate === 'waiting' ? [] : rulesWithDestinations(excludedBy.get(key));
    return [...before, ...byDestinations].map((found) => ({ shop, orderId, sourceName, ...found }));
  });
}

function byRule(excluded: AccuracyReport['excluded']['orders']): AccuracyReport['excluded']['byRule'] {
  const counts = new Map<string, { rule: string; destinations: string[]; orders: number }>();
  for (const { rule, destinations } of excluded) {
    const key = JSON.stringify([rule, destinations]);
    const found = counts.get(key) ?? { rule, destinations, orders: 0 };
    found.orders += 1;
    counts.set(key, found);
  }
  return [...counts.values()].sort((a, b) => b.orders - a.orders || a.rule.localeCompare(b.rule) || a.destinations.join().localeCompare(b.destinations.join()));
}

function failures(orders: Map<string, ShopifyOrder>, fateByKey: Map<string, Fate>): AccuracyReport['failed'] {
  return [...orders].flatMap(([key, order]) => {
    const fate = fateByKey.get(key);
    return fate?.fate === 'failed' ? [{ shop: order.shop, orderId: order.orderId, webhookId: order.webhookId, reason: fate.reason }] : [];
  });
}

/** Builds the report; every amount is summed in integer minor units and printed exactly. */
export function accuracyReport(input: AccuracyInput): AccuracyReport {
  const max = input.maxListed ?? 200;
  const orders = distinctOrders(input.shopify);
  const refunds = distinctRefunds(input.shopify);
  const completed = groupMessages(input.messages, orderCompleted);
  const refunded = groupMessages(input.messages, orderRefunded);
  const excludedBy = optionExclusions(input.messages, orderCompleted, (m) => orderKey(m.shop, m.orderId!));
  const fateByKey = fates(orders, completed, excludedBy);
  const destinations = [...new Set(input.messages.map((m) => m.destination))].sort();
  const comparison: Comparison = { completed, refunded, excludedBy };

  const shopifyTotals = emptyTotals();
  const byDestination = new Map(destinations.map((d): [string, DestinationTotals] => [d, emptyTotals()]));
  const differences: OrderDifference[] = [];
  for (const entry of ledgers(orders, fateByKey, refunds, [...completed.keys(), ...refunded.keys()]).values()) {
    const shopify = shopifyNet(entry);
    for (const [currency, minor] of shopify.orders) addTo(shopifyTotals.orders, currency, minor);
    for (const [currency, minor] of shopify.refunds) addTo(shopifyTotals.refunds, currency, minor);
    for (const [destination, totals] of byDestination) {
      const difference = compareOrder(entry, destination, comparison, totals);
      if (difference) differences.push(difference);
    }
  }

  const counts: Record<OrderFate, number> = { orderCompleted: 0, excluded: 0, failed: 0, waiting: 0 };
  for (const fate of fateByKey.values()) counts[fate.fate] += 1;
  const allExcluded = exclusions(orders, fateByKey, excludedBy);
  const excluded = listed(allExcluded, max);
  const failed = listed(failures(orders, fateByKey), max);
  const listedDifferences = listed(differences, max);
  const unreadable = input.shopify.flatMap((fact) => (fact.kind === 'unreadable' ? [(({ kind: _kind, ...rest }) => rest)(fact)] : []));
  return {
    shopify: { orders: orders.size, refunds: refunds.length, unreadable: unreadable.slice(0, max) },
    orders: counts,
    orderCompleted: statusCounts(input.messages, destinations),
    excluded: { byRule: byRule(allExcluded), orders: excluded.items },
    failed: failed.items,
    revenue: revenueRows(shopifyTotals, byDestination),
    differences: listedDifferences.items,
    unlisted: { excluded: excluded.unlisted, failed: failed.unlisted, differences: listedDifferences.unlisted },
  };
}
