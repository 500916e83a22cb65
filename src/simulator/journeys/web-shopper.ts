import { addToBasket, basketTotal, chooseDiscount, chooseShipping, randomLine, taxPolicyFor } from '../basket.ts';
import { createCustomer, newPerson, scheduleCustomerEvent } from '../customer-factory.ts';
import type { BasketLine, CartModel, CheckoutModel, ClientDetails, CustomerRecord } from '../model.ts';
import { createOrder, scheduleOrderLifecycle } from '../order-factory.ts';
import { cartBody } from '../payloads/cart.ts';
import { checkoutBody } from '../payloads/checkout.ts';
import { documentationIp, userAgents, type Person } from '../people.ts';
import { pickCurrency, pickExistingCustomer, type SimState } from '../sim-state.ts';

const second = 1_000;

interface Session {
  person: Person;
  returning: CustomerRecord | undefined;
  anonymousId: string;
  /** What the storefront wrote into the cart attributes (null when it could not). */
  writtenAnonymousId: string | null;
  client: ClientDetails;
}

/** One storefront visit: a cart, maybe a checkout, maybe an order (with its customer, payment, refund). */
export function spawnWebShopper(state: SimState, startMs: number): void {
  const { prng, settings } = state;
  const session = startSession(state, startMs);
  const cart: CartModel = { token: prng.hex(32), currency: session.person.currency, createdAtMs: startMs };
  const { lines, lastMs } = scheduleCart(state, cart);
  if (!prng.chance(settings.checkoutShare)) return;
  const checkout = createCheckout(state, session, cart, lines, lastMs + prng.int(30, 180) * second);
  const shippingMs = checkout.createdAtMs + prng.int(60, 240) * second;
  scheduleCheckout(state, checkout, 'checkouts/create', 'contact', checkout.createdAtMs);
  scheduleCheckout(state, checkout, 'checkouts/update', 'shipping', shippingMs);
  if (!prng.chance(settings.orderShare)) return;
  placeWebOrder(state, session, checkout, shippingMs + prng.int(30, 120) * second);
}

function startSession(state: SimState, startMs: number): Session {
  const { prng, settings } = state;
  const returning = prng.chance(settings.returningCustomerShare) ? pickExistingCustomer(state, startMs) : undefined;
  const person = returning?.person ?? newPerson(state, pickCurrency(state));
  const anonymousId = returning?.lastAnonymousId && prng.chance(0.5) ? returning.lastAnonymousId : prng.uuid();
  const writtenAnonymousId = prng.chance(settings.missingAnonymousIdShare) ? null : anonymousId;
  const client: ClientDetails = {
    browserIp: documentationIp(prng),
    userAgent: prng.pick(userAgents),
    acceptLanguage: person.acceptLanguage,
    landingSite: prng.pick(['/', '/collections/all', '/products/classic-crew-tee?utm_source=google&utm_medium=cpc&utm_campaign=spring', '/?utm_source=newsletter&utm_medium=email']),
    referringSite: prng.pick(['https://www.google.com/', 'https://www.instagram.com/', null]),
  };
  return { person, returning, anonymousId, writtenAnonymousId, client };
}

/** carts/create with one line, then up to two carts/update as the shopper adds items. */
function scheduleCart(state: SimState, cart: CartModel): { lines: BasketLine[]; lastMs: number } {
  const { prng } = state;
  let lines = [randomLine(prng)];
  let atMs = cart.createdAtMs;
  const emit = (topic: string, snapshot: readonly BasketLine[], at: number): void => {
    state.schedule(at, { topic, kind: 'cart', body: () => cartBody(cart, snapshot, at), expectOrderCompleted: false });
  };
  emit('carts/create', lines, atMs);
  const updates = prng.weighted([[0, 30], [1, 45], [2, 25]] as const);
  for (let i = 0; i < updates; i++) {
    lines = addToBasket(lines, randomLine(prng));
    atMs += prng.int(20, 120) * second;
    emit('carts/update', lines, atMs);
  }
  return { lines, lastMs: atMs };
}

function createCheckout(state: SimState, session: Session, cart: CartModel, lines: BasketLine[], atMs: number): CheckoutModel {
  const { prng, settings } = state;
  const { person } = session;
  return {
    id: state.nextId('checkout'),
    token: prng.hex(32),
    cartToken: cart.token,
    currency: cart.currency,
    lines,
    person,
    customer: session.returning ?? null,
    anonymousId: session.writtenAnonymousId,
    discount: prng.chance(settings.discountShare) ? chooseDiscount(prng, cart.currency) : null,
    tax: taxPolicyFor(person),
    shipping: chooseShipping(prng, cart.currency, basketTotal(lines, cart.currency)),
    createdAtMs: atMs,
    landingSite: session.client.landingSite,
    referringSite: session.client.referringSite,
    acceptsMarketing: session.returning?.acceptsMarketing ?? prng.chance(0.35),
  };
}

function scheduleCheckout(
  state: SimState,
  checkout: CheckoutModel,
  topic: string,
  stage: 'contact' | 'shipping' | 'completed',
  atMs: number,
): void {
  state.schedule(atMs, {
    topic,
    kind: 'checkout',
    body: () => checkoutBody(checkout, stage, state.shop, atMs),
    expectOrderCompleted: false,
    customerId: checkout.customer?.id,
    anonymousId: checkout.anonymousId ?? undefined,
  });
}

/** The customer is created (or updated) as the order is placed; the checkout then reports completion. */
function placeWebOrder(state: SimState, session: Session, checkout: CheckoutModel, atMs: number): void {
  const { prng } = state;
  const customer = session.returning ?? createCustomer(state, session.person, atMs - second, { hasAccount: prng.chance(0.3), anonymousId: session.anonymousId });
  if (session.returning) {
    session.returning.lastAnonymousId = session.anonymousId;
    scheduleCustomerEvent(state, 'customers/update', session.returning, atMs - second);
  }
  const order = createOrder(state, {
    channel: 'web',
    atMs,
    currency: checkout.currency,
    person: session.person,
    customer,
    lines: checkout.lines,
    discount: checkout.discount,
    shipping: checkout.shipping,
    tax: checkout.tax,
    gateway: 'shopify_payments',
    checkout: { id: checkout.id, token: checkout.token },
    cartToken: checkout.cartToken,
    anonymousId: session.writtenAnonymousId,
    client: session.client,
  });
  scheduleOrderLifecycle(state, order);
  scheduleCheckout(state, { ...checkout, customer }, 'checkouts/update', 'completed', atMs + 2 * second);
}
