import type { CurrencyCode } from './money.ts';
import type { BasketLine, Channel, ClientDetails, CustomerRecord, OrderModel, ShippingChoice } from './model.ts';
import type { Person } from './people.ts';
import { orderBody } from './payloads/order.ts';
import type { Discount, TaxPolicy } from './pricing.ts';
import { quoteBasket } from './quote.ts';
import { scheduleRefund } from './refund-factory.ts';
import type { Prng } from './prng.ts';
import type { SimState } from './sim-state.ts';

export interface OrderDraft {
  channel: Channel;
  atMs: number;
  currency: CurrencyCode;
  person: Person;
  customer: CustomerRecord | null;
  lines: readonly BasketLine[];
  discount: Discount | null;
  shipping: ShippingChoice | null;
  tax: TaxPolicy;
  gateway: string;
  checkout?: { id: bigint; token: string } | null;
  cartToken?: string | null;
  anonymousId?: string | null;
  client?: ClientDetails | null;
  location?: { id: bigint; userId: number; deviceId: number } | null;
  /** In-person sales are paid on the spot; others may wait for a manual payment. */
  alwaysPaid?: boolean;
}

/** Gives a drafted order its ids, number and prices. */
export function createOrder(state: SimState, draft: OrderDraft): OrderModel {
  const { prng, nextId, settings } = state;
  state.counters.order += 1;
  const shippingPrice = draft.shipping?.price ?? 0;
  const pending = !draft.alwaysPaid && prng.chance(settings.pendingPaymentShare);
  return {
    id: nextId('order'),
    number: state.counters.order,
    token: prng.hex(32),
    confirmationNumber: confirmationNumber(prng),
    createdAtMs: draft.atMs,
    channel: draft.channel,
    currency: draft.currency,
    person: draft.person,
    customer: draft.customer,
    email: draft.customer?.person.email ?? null,
    lines: draft.lines.map((line) => ({ ...line, id: nextId('lineItem') })),
    discount: draft.discount,
    shipping: draft.shipping ? { ...draft.shipping, id: nextId('shippingLine') } : null,
    tax: draft.tax,
    priced: quoteBasket(draft.lines, draft.currency, draft.discount, shippingPrice, draft.tax),
    financialStatus: pending ? 'pending' : 'paid',
    gateway: pending ? 'manual' : draft.gateway,
    checkout: draft.checkout ?? null,
    cartToken: draft.cartToken ?? null,
    anonymousId: draft.anonymousId ?? null,
    client: draft.client ?? null,
    locationId: draft.location?.id ?? null,
    userId: draft.location?.userId ?? null,
    deviceId: draft.location?.deviceId ?? null,
    saleTransactionId: nextId('transaction'),
    acceptsMarketing: draft.customer?.acceptsMarketing ?? false,
  };
}

/** orders/create (sometimes delivered twice), orders/paid for paid orders, and sometimes a refund later. */
export function scheduleOrderLifecycle(state: SimState, order: OrderModel): number {
  const { prng, settings } = state;
  const created = order.createdAtMs;
  const body = (atMs: number) => () => orderBody(order, state.shop, atMs);
  const common = { kind: 'order' as const, orderId: order.id, customerId: order.customer?.id, anonymousId: order.anonymousId ?? undefined };
  const eventId = state.schedule(created, { ...common, topic: 'orders/create', body: body(created), expectOrderCompleted: order.channel === 'web' });
  if (prng.chance(settings.duplicateDeliveryShare)) {
    const again = created + prng.int(5_000, 90_000);
    state.schedule(again, { ...common, topic: 'orders/create', body: body(created), expectOrderCompleted: false, eventId, redelivery: true });
  }
  if (order.financialStatus !== 'paid') return created;
  const paidAt = created + prng.int(800, 5_000);
  state.schedule(paidAt, { ...common, topic: 'orders/paid', body: body(paidAt), expectOrderCompleted: false });
  if (prng.chance(settings.refundShare)) scheduleRefund(state, order, paidAt);
  return paidAt;
}

/** Nine characters a buyer reads out to support, like "XPAV284CT". */
function confirmationNumber(prng: Prng): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 9 }, () => alphabet[prng.int(0, alphabet.length - 1)]).join('');
}
