import { createHash } from 'node:crypto';
import { specEvents } from '../mapping/event-names.ts';
import type { OrderFacets } from '../mapping/mapper.ts';
import { describeChannel, posChannel } from '../mapping/order-channels.ts';
import { quoted } from '../mapping/values.ts';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import type { MessageOrigin } from '../spec/validate-message.ts';
import type { DestinationOptions } from './destination-options.ts';

/** A spec message on its way to one destination: the order it is about, when it is about one, and its origin. */
export interface OptionInput {
  message: SegmentMessage;
  order?: OrderFacets | undefined;
  origin: MessageOrigin;
}

export type OptionResult = { kind: 'send'; message: SegmentMessage } | { kind: 'skip'; reason: string };

const prefix = 'excluded by option ';

/** Whether a skipped row's reason is a destination's option (rather than, say, an event it does not take). */
export function isOptionExclusion(reason: string): boolean {
  return reason.startsWith(prefix);
}

function skip(rule: string): OptionResult {
  return { kind: 'skip', reason: `${prefix}${rule}` };
}

const lower = (value: string) => value.toLowerCase();
const listed = (values: readonly string[]) => values.map((value) => quoted(value)).join(', ');

/** The option that leaves the order out, as `<option> (<its value>): <what the order is>`, or null. */
export function orderExclusion(order: OrderFacets, options: DestinationOptions['orders']): string | null {
  if (order.sourceName !== posChannel && !options.channels.includes(order.sourceName)) {
    return `orders.channels (${options.channels.join(', ')}): ${describeChannel(order.sourceName)}`;
  }
  const tags = new Set(order.tags.map(lower));
  if (options.includeTags.length > 0 && !options.includeTags.some((tag) => tags.has(lower(tag)))) {
    return `orders.includeTags (${listed(options.includeTags)}): the order has none of them`;
  }
  const tag = options.excludeTags.find((candidate) => tags.has(lower(candidate)));
  if (tag !== undefined) return `orders.excludeTags: the order is tagged ${quoted(tag)}`;
  const excluded = new Set(options.excludeGateways.map(lower));
  const gateway = order.gateways.find((candidate) => excluded.has(lower(candidate)));
  return gateway === undefined ? null : `orders.excludeGateways: paid through ${quoted(gateway)}`;
}

/** The customer's email: the order's customer's when the message is about an order, else the message's own. */
function emailOf(message: SegmentMessage, order: OrderFacets | undefined): string | undefined {
  const email = order?.email ?? message.traits?.email ?? message.properties?.email;
  return typeof email === 'string' && email.trim() !== '' ? email.trim() : undefined;
}

function chosenUserId(input: OptionInput, customerId: string, choice: DestinationOptions['userId']): string | undefined {
  if (choice === 'shopify_customer_id') return customerId;
  const email = choice === 'email_md5' ? emailOf(input.message, input.order) : undefined;
  return email === undefined ? undefined : createHash('md5').update(email.toLowerCase()).digest('hex');
}

/**
 * A Shopify message's userId (always the Shopify customer id) as the destination chose it, the id itself always in
 * context.externalIds. Browser calls keep the userId the storefront gave them.
 */
function withUserId(input: OptionInput, choice: DestinationOptions['userId']): OptionResult {
  const { message } = input;
  if (input.origin !== 'shopify' || message.userId === undefined) return { kind: 'send', message };
  const customerId = message.userId;
  const userId = chosenUserId(input, customerId, choice);
  if (message.type === 'alias' && userId === undefined) return skip(`userId (${choice}): an Alias without a userId joins nothing`);
  const externalIds = [{ id: customerId, type: 'shopify_customer_id', collection: 'users', encoding: 'none' }];
  const { userId: _customerId, ...rest } = message;
  return { kind: 'send', message: { ...rest, ...(userId === undefined ? {} : { userId }), context: { ...message.context, externalIds } } };
}

const negated = (value: unknown) => (typeof value === 'number' && value !== 0 ? -value : value);

/** Order Refunded with its total, revenue and presentment total below zero. */
function negativeRefund(message: SegmentMessage): SegmentMessage {
  if (message.type !== 'track' || message.event !== specEvents.orderRefunded.name || message.properties === undefined) return message;
  const { total, presentment_total: presentmentTotal } = message.properties;
  const properties: Record<string, unknown> = { ...message.properties, total: negated(total), revenue: negated(total) };
  if (presentmentTotal !== undefined) properties.presentment_total = negated(presentmentTotal);
  return { ...message, properties };
}

/** The message as this destination's options make it, or the rule that leaves it out. Pure. */
export function applyDestinationOptions(input: OptionInput, options: DestinationOptions): OptionResult {
  const exclusion = input.order === undefined ? null : orderExclusion(input.order, options.orders);
  if (exclusion !== null) return skip(exclusion);
  const identified = withUserId(input, options.userId);
  if (identified.kind === 'skip' || !options.negativeRefunds) return identified;
  return { kind: 'send', message: negativeRefund(identified.message) };
}
