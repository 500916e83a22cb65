import { createEventQueue } from './event-queue.ts';
import { toJsonBytes } from './json-bytes.ts';
import { spawnChannelOrder } from './journeys/channel-order.ts';
import { spawnCustomerActivity } from './journeys/customer-activity.ts';
import { spawnWebShopper } from './journeys/web-shopper.ts';
import { createPrng, type Prng } from './prng.ts';
import { createSimState, type ScheduledEvent, type SimState, type WebhookKind } from './sim-state.ts';
import { storeSimulatorOptionsSchema, type SimulatorSettings, type StoreSimulatorOptions } from './simulator-options.ts';
import { utcTimestamp } from './timestamps.ts';

export type { StoreSimulatorOptions } from './simulator-options.ts';
export type { WebhookKind } from './sim-state.ts';

/** One webhook delivery as Shopify would send it, before signing. */
export interface SimulatedWebhook {
  topic: string;
  webhookId: string;
  eventId: string;
  /** X-Shopify-Triggered-At: the simulated time of the event (UTC, ISO 8601). */
  triggeredAt: string;
  apiVersion: string;
  /** The exact body bytes (ids above 2^53 written as exact JSON numbers). */
  body: Buffer;
  kind: WebhookKind;
  /** Exact decimal digits of the order id, for orders/* and refunds/create. */
  orderId?: string;
  customerId?: string;
  /** The shopper's storefront anonymousId where the payload carries it. */
  anonymousId?: string;
  /** True exactly for the first delivery of each web order's orders/create (one Order Completed per order). */
  expectOrderCompleted: boolean;
  /** A second delivery of an event already delivered (same eventId and body, new webhookId). */
  redelivery: boolean;
}

/**
 * Consistent, deterministic store traffic: shoppers' carts and checkouts, customers, orders on several channels
 * and currencies, payments and refunds, in time order. Same options (seed, startTime) → same bytes.
 */
export function* createStoreSimulator(options: StoreSimulatorOptions): Generator<SimulatedWebhook, void, undefined> {
  const settings = storeSimulatorOptionsSchema.parse(options);
  const prng = createPrng(settings.seed);
  const queue = createEventQueue<ScheduledEvent>();
  const state = createSimState(prng, settings, (atMs, event) => queue.push(atMs, event));
  const spawn = journeyPicker(settings);
  let nextArrivalMs = settings.startTime;
  for (let emitted = 0; settings.count === undefined || emitted < settings.count; ) {
    const dueMs = queue.peekTime();
    if (dueMs === undefined || dueMs > nextArrivalMs) {
      spawn(state, nextArrivalMs);
      nextArrivalMs += 1 + Math.round(prng.exponential(settings.meanArrivalSeconds * 1_000));
      continue;
    }
    const event = queue.pop() as ScheduledEvent;
    yield toWebhook(event, dueMs, prng, settings);
    emitted += 1;
  }
}

/** The first `count` webhooks of a simulation, as an array. */
export function simulateWebhooks(options: StoreSimulatorOptions & { count: number }): SimulatedWebhook[] {
  return [...createStoreSimulator(options)];
}

type Journey = (state: SimState, atMs: number) => void;

/** Web visits, other-channel orders and account activity, weighted so orders match webOrderShare. */
function journeyPicker(settings: SimulatorSettings): (state: SimState, atMs: number) => void {
  const webConversion = settings.checkoutShare * settings.orderShare;
  const share = settings.webOrderShare;
  const webWeight = share > 0 && webConversion > 0 ? 1 : 0;
  const channelWeight = webWeight === 0 ? (share < 1 ? 1 : 0) : (webConversion * (1 - share)) / share;
  const customerWeight = 0.05 * (webWeight + channelWeight) || 1;
  const journeys: [Journey, number][] = [
    [spawnWebShopper, webWeight],
    [spawnChannelOrder, channelWeight],
    [spawnCustomerActivity, customerWeight],
  ];
  return (state, atMs) => state.prng.weighted(journeys)(state, atMs);
}

function toWebhook(event: ScheduledEvent, atMs: number, prng: Prng, settings: SimulatorSettings): SimulatedWebhook {
  const webhook: SimulatedWebhook = {
    topic: event.topic,
    webhookId: prng.uuid(),
    eventId: event.eventId,
    triggeredAt: utcTimestamp(atMs),
    apiVersion: settings.apiVersion,
    body: toJsonBytes(event.body()),
    kind: event.kind,
    expectOrderCompleted: event.expectOrderCompleted,
    redelivery: event.redelivery,
  };
  if (event.orderId !== undefined) webhook.orderId = event.orderId.toString();
  if (event.customerId !== undefined) webhook.customerId = event.customerId.toString();
  if (event.anonymousId !== undefined) webhook.anonymousId = event.anonymousId;
  return webhook;
}
