import { basketTotal, chooseDiscount, chooseShipping, randomBasket, taxPolicyFor } from '../basket.ts';
import { createCustomer, newPerson } from '../customer-factory.ts';
import type { CustomerRecord } from '../model.ts';
import { createOrder, scheduleOrderLifecycle, type OrderDraft } from '../order-factory.ts';
import { storeLocation, type Person } from '../people.ts';
import { pickCurrency, pickExistingCustomer, type SimState } from '../sim-state.ts';

const second = 1_000;

/** An order from outside the online store: a POS sale, a draft order paid by invoice, or the Shop app. */
export function spawnChannelOrder(state: SimState, startMs: number): void {
  const channel = state.nextChannel();
  const draft = channel === 'pos' ? posSale(state, startMs) : remoteOrder(state, channel, startMs);
  scheduleOrderLifecycle(state, createOrder(state, draft));
}

/** In the shop's New York store: US dollars, local sales tax, no shipping, a guest or a known customer. */
function posSale(state: SimState, startMs: number): OrderDraft {
  const { prng } = state;
  const guest = prng.chance(0.4);
  const customer = guest ? null : customerFor(state, startMs, 'USD', false);
  const person = customer?.person ?? newPerson(state, 'USD');
  return {
    channel: 'pos',
    atMs: startMs + prng.int(20, 90) * second,
    currency: 'USD',
    person,
    customer,
    lines: randomBasket(prng, 3),
    discount: null,
    shipping: null,
    tax: { rateBp: storeLocation.address.taxRateBp, included: false, title: storeLocation.taxTitle },
    gateway: prng.chance(0.5) ? 'cash' : 'shopify_payments',
    location: { id: storeLocation.id, userId: 106_230_415_525 + prng.int(0, 3), deviceId: prng.int(1, 3) },
    alwaysPaid: true,
  };
}

/** A draft order completed by the buyer, or an order placed in the Shop app (a checkout, but no cart). */
function remoteOrder(state: SimState, channel: 'shopify_draft_order' | 'iphone', startMs: number): OrderDraft {
  const { prng, settings } = state;
  const customer = customerFor(state, startMs, pickCurrency(state), channel === 'iphone');
  const { currency } = customer.person;
  const lines = randomBasket(prng, channel === 'iphone' ? 3 : 5);
  return {
    channel,
    atMs: startMs + prng.int(20, 90) * second,
    currency,
    person: customer.person,
    customer,
    lines,
    discount: prng.chance(settings.discountShare) ? chooseDiscount(prng, currency) : null,
    shipping: chooseShipping(prng, currency, basketTotal(lines, currency)),
    tax: taxPolicyFor(customer.person),
    gateway: channel === 'iphone' ? 'shopify_payments' : 'manual',
    checkout: { id: state.nextId('checkout'), token: prng.hex(32) },
  };
}

/** A returning customer when there is one (and the dice say so), else a new one created now. */
function customerFor(state: SimState, atMs: number, currency: Person['currency'], hasAccount: boolean): CustomerRecord {
  const { prng, settings } = state;
  const returning = prng.chance(settings.returningCustomerShare * 2) ? pickExistingCustomer(state, atMs) : undefined;
  if (returning) return returning;
  return createCustomer(state, newPerson(state, currency), atMs, { hasAccount, anonymousId: null });
}
