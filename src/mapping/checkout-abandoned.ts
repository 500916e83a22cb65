import { parseCheckout, type ShopifyCheckout } from '../shopify/checkout.ts';
import { checkoutIdentity } from './checkout-identity.ts';
import { specEvents } from './event-names.ts';
import type { DueJob, JobMapper } from './job-mappers.ts';
import { lineItemProduct } from './line-item-products.ts';
import { defaultEventWindows, type MapContext, type MapResult, type PreviousState, type ScheduledWork } from './mapper.ts';
import { readOrderAmounts } from './order-amounts.ts';
import { idText, record, tokenKeyOf, versionOf, type StateRule, type TopicJobs } from './resource-state.ts';
import { trackMessage } from './track-message.ts';
import { compact } from './values.ts';

export const checkoutAbandonedJob = 'checkout-abandoned';

/** What is kept of a checkout: what Checkout Abandoned reports, and whether it completed. */
export interface CheckoutState {
  completed: boolean;
  properties: Record<string, unknown>;
  userId?: string;
  anonymousId: string;
}

function checkoutState(checkout: ShopifyCheckout, previous: PreviousState | undefined, context: MapContext): CheckoutState | undefined {
  const amounts = readOrderAmounts(checkout);
  if (!amounts.ok) return undefined;
  const { userId, anonymousId } = checkoutIdentity(checkout, context.shop, context.linkedAnonymousId);
  const properties = compact({
    checkout_id: checkout.token,
    cart_id: checkout.cart_token,
    email: checkout.email || checkout.customer?.email,
    value: amounts.value.total,
    currency: checkout.currency,
    products: checkout.line_items.map((item, index) => lineItemProduct(item, amounts.value.linePrices[index] ?? 0, index)),
    abandoned_checkout_url: checkout.abandoned_checkout_url,
  });
  const completed = Boolean(checkout.completed_at) || record(previous?.state)?.completed === true;
  return { completed, properties, ...(userId === undefined ? {} : { userId }), anonymousId };
}

/** checkouts/create|update keep the checkout's state, keyed by token and versioned by updated_at. */
export const checkoutStateRule: StateRule = {
  kind: 'checkout',
  diff: false,
  keyOf: tokenKeyOf,
  next(payload, previous, context) {
    const parsed = parseCheckout(payload);
    return parsed.ok ? checkoutState(parsed.value, previous, context) : undefined;
  },
};

/** checkouts/create schedules the abandonment check a window after creation; a completed checkout cancels it. */
export const checkoutJobs: TopicJobs = (payload, context) => {
  const body = record(payload);
  const token = idText(body?.token);
  const created = versionOf(body?.created_at);
  if (token === undefined) return [];
  if (body?.completed_at) return [cancelAbandonment(token)];
  if (context.topic !== 'checkouts/create' || created === undefined) return [];
  const window = (context.windows ?? defaultEventWindows).checkoutAbandonedMs;
  // A late webhook (Shopify retries for hours) still gives its order the whole window to arrive: the check runs a
  // window after the later of creation and receipt; the event keeps the business time, creation + window.
  const dueAt = Math.max(created, context.receivedAt ?? created) + window;
  return [{ kind: checkoutAbandonedJob, key: token, dueAt, payload: { checkout: token, abandonedAt: created + window } }];
};

function cancelAbandonment(token: string): ScheduledWork {
  return { kind: checkoutAbandonedJob, key: token, dueAt: 0, payload: {}, cancel: true };
}

/** An order cancels its checkout's abandonment, whether the check is scheduled already or not yet (late webhook). */
export const orderCancelsAbandonment: TopicJobs = (payload) => {
  const token = idText(record(payload)?.checkout_token);
  return token === undefined ? [] : [cancelAbandonment(token)];
};

function abandonedAt(job: DueJob): number {
  const at = record(job.payload)?.abandonedAt;
  return typeof at === 'number' && Number.isFinite(at) ? at : job.dueAt;
}

/**
 * The window is over and no order came for the checkout: Checkout Abandoned with its value, products and recovery
 * URL, as the checkout last stood. messageId: the checkout token.
 */
function checkoutAbandoned(job: DueJob, previous: PreviousState | undefined): MapResult {
  const state = record(previous?.state) as CheckoutState | undefined;
  if (state === undefined || record(state.properties) === undefined) return { kind: 'ignored', reason: 'no stored state of the checkout' };
  if (state.completed) return { kind: 'ignored', reason: 'the checkout was completed' };
  const message = trackMessage({
    event: specEvents.checkoutAbandoned, shop: job.shop, resource: job.key, timestamp: new Date(abandonedAt(job)).toISOString(),
    ...(state.userId === undefined ? {} : { userId: state.userId }), anonymousId: state.anonymousId, properties: state.properties,
  });
  return { kind: 'mapped', messages: [message] };
}

export const checkoutAbandonedMapper: JobMapper = {
  kind: 'checkout',
  resourceOf: (payload) => idText(record(payload)?.checkout),
  map: checkoutAbandoned,
};
