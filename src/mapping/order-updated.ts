import { specEvents } from './event-names.ts';
import type { Mapper } from './mapper.ts';
import { readOrderFacts } from './order-facts.ts';
import { orderProperties } from './order-properties.ts';
import { changedOrderFields, orderStateOf, storedOrderState } from './order-state.ts';
import { orderTrack } from './order-topics.ts';
import { isoTimestamp } from './values.ts';

/**
 * orders/updated → Order Updated, only when a reportable field (see order-state.ts) or a line's quantity differs
 * from the stored order; `changed_fields` names them. Shopify sends orders/updated beside every other order topic,
 * so most deliveries change nothing reportable and map to nothing. The first sighting of an order has nothing to
 * compare with: nothing is sent, its state is kept. messageId: order id + updated_at.
 */
export const mapOrderUpdated: Mapper = (payload, context) => {
  const read = readOrderFacts(payload, context.shop, context.linkedAnonymousId);
  if (!read.ok) return read.result;
  const { facts } = read;
  const before = storedOrderState(context.previous);
  const state = orderStateOf(facts);
  if (before === undefined) return { kind: 'ignored', reason: 'first sighting of the order: nothing to compare with', state };
  const changed = changedOrderFields(before, state);
  if (changed.length === 0) return { kind: 'ignored', reason: 'no reportable change', state };
  const updatedAt = isoTimestamp(facts.order.updated_at);
  if (updatedAt === undefined) return { kind: 'unmappable', reason: 'updated_at: missing or not an ISO-8601 time' };
  const properties = { ...orderProperties(facts.order, facts.amounts), changed_fields: changed };
  const message = orderTrack(facts, specEvents.orderUpdated, properties, context.shop, { timestamp: updatedAt, version: updatedAt });
  return { kind: 'mapped', messages: [message], state };
};
