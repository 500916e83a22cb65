import { createIdAllocator, type NextId } from './ids.ts';
import type { CurrencyCode } from './money.ts';
import type { Channel, CustomerRecord, ShopContext } from './model.ts';
import type { Prng } from './prng.ts';
import { createShuffleBag, weightsToCounts } from './shuffle-bag.ts';
import type { SimulatorSettings } from './simulator-options.ts';

export type WebhookKind = 'cart' | 'checkout' | 'customer' | 'order' | 'refund';

/** A webhook due at a simulated time; its body is built when it is emitted. */
export interface ScheduledEvent {
  topic: string;
  kind: WebhookKind;
  eventId: string;
  body: () => unknown;
  expectOrderCompleted: boolean;
  redelivery: boolean;
  orderId?: bigint;
  customerId?: bigint;
  anonymousId?: string;
}

/** Everything one simulator run remembers; owned by that run, never shared. */
export interface SimState {
  prng: Prng;
  nextId: NextId;
  shop: ShopContext;
  settings: SimulatorSettings;
  /** Customers whose customers/create is scheduled, by creation time. */
  customers: CustomerRecord[];
  counters: { order: number; person: number };
  /** Currencies of new shoppers and channels of non-web orders, drawn from shuffle bags. */
  nextCurrency: () => CurrencyCode;
  nextChannel: () => Exclude<Channel, 'web'>;
  schedule(atMs: number, event: Omit<ScheduledEvent, 'eventId' | 'redelivery'> & { eventId?: string; redelivery?: boolean }): string;
}

export function createSimState(
  prng: Prng,
  settings: SimulatorSettings,
  push: (atMs: number, event: ScheduledEvent) => void,
): SimState {
  const shop: ShopContext = {
    domain: settings.shop,
    numericId: prng.int(10_000_000, 99_999_999),
    utcOffsetMinutes: settings.utcOffsetMinutes,
  };
  return {
    prng,
    nextId: createIdAllocator(prng),
    shop,
    settings,
    customers: [],
    counters: { order: 0, person: 0 },
    nextCurrency: createShuffleBag(prng, weightsToCounts(Object.entries(settings.currencyWeights) as [CurrencyCode, number][], 20)),
    nextChannel: createShuffleBag(prng, [['pos', 2], ['shopify_draft_order', 1], ['iphone', 1]]),
    schedule(atMs, event) {
      const eventId = event.eventId ?? prng.uuid();
      push(atMs, { ...event, eventId, redelivery: event.redelivery ?? false });
      return eventId;
    },
  };
}

/** A currency by the configured weights. */
export function pickCurrency(state: SimState): CurrencyCode {
  return state.nextCurrency();
}

/** A customer created before `atMs`, if any; returning shoppers are drawn from these. */
export function pickExistingCustomer(state: SimState, atMs: number): CustomerRecord | undefined {
  // A few random draws instead of a scan: only the newest customers can still be in the future.
  for (let attempt = 0; attempt < 4 && state.customers.length > 0; attempt++) {
    const customer = state.prng.pick(state.customers);
    if (customer.createdAtMs < atMs) return customer;
  }
  return undefined;
}
