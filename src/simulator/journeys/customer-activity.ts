import { createCustomer, newPerson, scheduleCustomerEvent, withNewPhone } from '../customer-factory.ts';
import { pickCurrency, pickExistingCustomer, type SimState } from '../sim-state.ts';

/** An account sign-up without an order, or a customer editing their details. */
export function spawnCustomerActivity(state: SimState, atMs: number): void {
  const { prng } = state;
  const existing = prng.chance(0.5) ? pickExistingCustomer(state, atMs) : undefined;
  if (!existing) {
    createCustomer(state, newPerson(state, pickCurrency(state)), atMs, { hasAccount: true, anonymousId: null });
    return;
  }
  const updated = withNewPhone(state, existing);
  state.customers[state.customers.indexOf(existing)] = updated;
  scheduleCustomerEvent(state, 'customers/update', updated, atMs);
}
