import type { CurrencyCode } from './money.ts';
import type { CustomerRecord } from './model.ts';
import { createPerson, type Person } from './people.ts';
import { customerBody } from './payloads/customer.ts';
import type { SimState } from './sim-state.ts';

/** A shopper who is not (yet) a customer. */
export function newPerson(state: SimState, currency: CurrencyCode): Person {
  state.counters.person += 1;
  return createPerson(state.prng, currency, state.counters.person);
}

/** Creates the customer record for `person` at `atMs` and schedules customers/create. */
export function createCustomer(
  state: SimState,
  person: Person,
  atMs: number,
  options: { hasAccount: boolean; anonymousId: string | null },
): CustomerRecord {
  const customer: CustomerRecord = {
    id: state.nextId('customer'),
    addressId: state.nextId('address'),
    person,
    createdAtMs: atMs,
    state: options.hasAccount ? 'enabled' : 'disabled',
    acceptsMarketing: state.prng.chance(0.4),
    lastAnonymousId: options.anonymousId,
  };
  state.customers.push(customer);
  scheduleCustomerEvent(state, 'customers/create', customer, atMs);
  return customer;
}

/** Schedules a customers/update carrying the customer as of `atMs`. */
export function scheduleCustomerEvent(state: SimState, topic: string, customer: CustomerRecord, atMs: number): void {
  state.schedule(atMs, {
    topic,
    kind: 'customer',
    body: () => customerBody(customer, state.shop, atMs),
    expectOrderCompleted: false,
    customerId: customer.id,
  });
}

/** The customer with a changed phone number; the old record stays as it was for events already scheduled. */
export function withNewPhone(state: SimState, customer: CustomerRecord): CustomerRecord {
  const phone = `${customer.person.phone.slice(0, -3)}${String(state.prng.int(0, 999)).padStart(3, '0')}`;
  const person = { ...customer.person, phone, address: { ...customer.person.address, phone } };
  return { ...customer, person };
}
