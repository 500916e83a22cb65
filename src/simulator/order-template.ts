import { taxPolicyFor } from './basket.ts';
import { catalog } from './catalog.ts';
import { newPerson } from './customer-factory.ts';
import { idBases, type IdKind, type NextId } from './ids.ts';
import { toJsonBytes } from './json-bytes.ts';
import type { CurrencyCode } from './money.ts';
import type { BasketLine, CustomerRecord } from './model.ts';
import { createOrder } from './order-factory.ts';
import { orderBody } from './payloads/order.ts';
import { documentationIp, userAgents } from './people.ts';
import { createPrng } from './prng.ts';
import { createSimState, type SimState } from './sim-state.ts';
import { storeSimulatorOptionsSchema } from './simulator-options.ts';
import type { SimulatedWebhook } from './store-simulator.ts';
import { utcTimestamp } from './timestamps.ts';

export interface OrderTemplateOptions {
  shop: string;
  /** Which order of the series; every index gives a different order with its own ids. */
  index: number;
  /** Time of order 0; order n is placed n seconds later. */
  startTime: Date | number | string;
  seed?: number;
  currency?: CurrencyCode;
  /** Distinct line items; the default (3) makes a body of about 11 KB, like Shopify's sample orders/create. */
  lineCount?: number;
}

/**
 * A web orders/create delivery of about 11 KB, consistent like the simulator's (catalog variants, money that
 * adds up, a customer, checkout and cart tokens, the anonymousId note attribute), cheap to make in bulk.
 */
export function buildOrderCreateTemplate(options: OrderTemplateOptions): SimulatedWebhook {
  const settings = storeSimulatorOptionsSchema.parse({ shop: options.shop, seed: options.seed ?? 1, startTime: options.startTime, pendingPaymentShare: 0 });
  const prng = createPrng((settings.seed ^ Math.imul(options.index, 0x9e3779b1)) | 0);
  const state: SimState = { ...createSimState(prng, settings, () => {}), nextId: seriesIds(options.index) };
  state.counters.order = options.index;
  state.counters.person = options.index;
  const atMs = settings.startTime + options.index * 1_000;
  const currency = options.currency ?? 'USD';
  const customer = templateCustomer(state, currency, atMs);
  const lines = distinctLines(options.index, options.lineCount ?? 3);
  const anonymousId = prng.uuid();
  const order = createOrder(state, {
    channel: 'web',
    atMs,
    currency,
    person: customer.person,
    customer,
    lines,
    discount: { code: 'WELCOME10', valueType: 'percentage', value: 10 },
    shipping: { title: 'Standard', code: 'STANDARD', price: currency === 'JPY' ? 800 : 595 },
    tax: taxPolicyFor(customer.person),
    gateway: 'shopify_payments',
    checkout: { id: state.nextId('checkout'), token: prng.hex(32) },
    cartToken: prng.hex(32),
    anonymousId,
    client: { browserIp: documentationIp(prng), userAgent: prng.pick(userAgents), acceptLanguage: customer.person.acceptLanguage, landingSite: '/', referringSite: 'https://www.google.com/' },
  });
  return {
    topic: 'orders/create',
    webhookId: prng.uuid(),
    eventId: prng.uuid(),
    triggeredAt: utcTimestamp(atMs),
    apiVersion: settings.apiVersion,
    body: toJsonBytes(orderBody(order, state.shop, atMs)),
    kind: 'order',
    orderId: order.id.toString(),
    customerId: customer.id.toString(),
    anonymousId,
    expectOrderCompleted: true,
    redelivery: false,
  };
}

/** Ids that depend only on the index, so a series of any length never repeats one. */
function seriesIds(index: number): NextId {
  const used = new Map<IdKind, bigint>();
  return (kind) => {
    const n = (used.get(kind) ?? 0n) + 1n;
    used.set(kind, n);
    return idBases[kind] + 9_000_000_000_000_000n + BigInt(index) * 256n + n;
  };
}

function templateCustomer(state: SimState, currency: CurrencyCode, atMs: number): CustomerRecord {
  return {
    id: state.nextId('customer'),
    addressId: state.nextId('address'),
    person: newPerson(state, currency),
    createdAtMs: atMs - 86_400_000,
    state: 'enabled',
    acceptsMarketing: true,
    lastAnonymousId: null,
  };
}

function distinctLines(index: number, count: number): BasketLine[] {
  return Array.from({ length: Math.min(count, catalog.length) }, (_, k) => {
    const product = catalog[(index + k) % catalog.length] as (typeof catalog)[number];
    const variant = product.variants[index % product.variants.length] as (typeof product.variants)[number];
    return { product, variant, quantity: 1 + ((index + k) % 2) };
  });
}
