import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { parseMoney } from '../shopify/money.ts';
import type { MessageFacts } from '../store/store.ts';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** properties.total in exact minor units of properties.currency, or undefined when either is missing or bad. */
function totalOf(properties: Record<string, unknown>): MessageFacts['money'] {
  const currency = text(properties.currency);
  if (currency === undefined || properties.total === undefined) return undefined;
  const parsed = parseMoney(properties.total, currency);
  return parsed.ok ? { currency, minor: parsed.value.minor } : undefined;
}

/**
 * Who a spec message is about and which order and money it carries, read once when it is written to the outbox
 * so that the customer journey and the accuracy report query columns instead of parsing every destination's wire
 * format. An alias's previousId is the browser id it joins to the customer, so it counts as its anonymousId.
 */
export function messageFacts(message: SegmentMessage): MessageFacts {
  const properties = message.properties ?? {};
  const facts: MessageFacts = {};
  const userId = text(message.userId);
  const anonymousId = text(message.anonymousId) ?? (message.type === 'alias' ? text(message.previousId) : undefined);
  const orderId = text(properties.order_id);
  const money = totalOf(properties);
  if (userId !== undefined) facts.userId = userId;
  if (anonymousId !== undefined) facts.anonymousId = anonymousId;
  if (orderId !== undefined) facts.orderId = orderId;
  if (money !== undefined) facts.money = money;
  return facts;
}
