/** Inputs and outputs of the reporting routes (accuracy, customer journey, delivery time series, queues). */
import { z } from 'zod';

const time = z.iso.datetime().describe('ISO 8601, UTC');
const isoTime = z.iso.datetime({ offset: true }).transform((value) => Date.parse(value));
const outboxStatus = z.enum(['pending', 'delivered', 'dead', 'skipped']);
const amount = z.string().describe('Exact decimal amount to the currency’s minor unit, e.g. 1234.50 (USD), 1500 (JPY).');
const totals = z.string().describe('Per-currency amounts, e.g. "90.05 USD" ("0" when none).');

export const maxAccuracyDays = 31;

export const accuracyQuery = z.strictObject({
  since: isoTime.optional().describe('ISO 8601 date-time; webhooks received at or after it (default: 24 hours before until).'),
  until: isoTime.optional().describe('ISO 8601 date-time; webhooks received before it (default: now).'),
});

const netRevenue = z.object({ orders: amount, refunds: amount, net: amount });

export const accuracyResponse = z.object({
  period: z.object({ since: time, until: time }),
  shopify: z.object({
    orders: z.number().describe('Distinct order ids of the orders/create webhooks received.'),
    refunds: z.number().describe('Distinct refund ids of the refunds/create webhooks received.'),
    unreadable: z.array(z.object({
      shop: z.string(), topic: z.string(), webhookId: z.string(), why: z.string(),
      inboxStatus: z.enum(['pending', 'done', 'failed']), reason: z.string().nullable(),
    })).describe('Deliveries whose body is not an order or refund at all.'),
  }),
  orders: z.object({
    orderCompleted: z.number(), excluded: z.number(), failed: z.number(), waiting: z.number(),
  }).describe('What became of each order: an Order Completed, left out by a rule, failed to map, not processed yet.'),
  orderCompleted: z.array(z.object({
    destination: z.string(),
    byStatus: z.object({ delivered: z.number(), pending: z.number(), dead: z.number(), skipped: z.number() }),
  })),
  excluded: z.object({
    byRule: z.array(z.object({ rule: z.string(), destinations: z.array(z.string()), orders: z.number() })),
    orders: z.array(z.object({ shop: z.string(), orderId: z.string(), sourceName: z.string().nullable(), rule: z.string(), destinations: z.array(z.string()) })),
  }).describe('Orders left out, by rule: `destinations` are those whose options left them out; empty when the rule applies before any destination.'),
  failed: z.array(z.object({ shop: z.string(), orderId: z.string(), webhookId: z.string(), reason: z.string() })),
  revenue: z.array(z.object({
    currency: z.string(),
    shopify: netRevenue.describe('Order Completed totals Shopify sent (orders the rules make Order Completed) and refunds.'),
    destinations: z.array(netRevenue.extend({
      destination: z.string(),
      excluded: amount.describe('Shopify’s total of the orders this destination’s options leave out.'),
      difference: amount.describe('Delivered net minus Shopify net, the excluded orders left out.'),
    })),
  })).describe('Order Completed `total` minus Order Refunded `total`, per currency, summed in integer minor units.'),
  differences: z.array(z.object({
    destination: z.string(), shop: z.string(), orderId: z.string(), shopify: totals, delivered: totals, why: z.array(z.string()),
  })).describe('Orders whose net delivered to a destination is not what Shopify sent, with why.'),
  unlisted: z.object({ excluded: z.number(), failed: z.number(), differences: z.number() })
    .describe('Entries left out of the lists above, which keep the first 200 each.'),
});

export const journeyParams = z.strictObject({
  id: z.string().min(1).max(256).describe('The customer’s userId (by default the Shopify customer id).'),
});

export const journeyQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1_000).default(200).describe('How many of the latest messages (1–1000).'),
});

export const journeyResponse = z.object({
  userId: z.string(),
  anonymousIds: z.array(z.string()).describe('Browser ids joined to the customer through their messages.'),
  steps: z.array(z.object({
    messageId: z.string(), eventName: z.string(), shop: z.string(), receivedAt: time,
    userId: z.string().nullable(), anonymousId: z.string().nullable(), orderId: z.string().nullable(),
    total: z.string().nullable().describe('e.g. "42.50 EUR" when the message carries a total.'),
    destinations: z.array(z.object({
      destination: z.string(), status: outboxStatus, lastError: z.string().nullable(), deliveredAt: time.nullable(),
    })),
  })).describe('One entry per message, oldest first.'),
});

export const profileResponse = z.object({
  customerId: z.string(),
  journey: z.string().describe('Where the customer’s journey is (GET, same token).'),
  profiles: z.array(z.object({
    shop: z.string(),
    traits: z.record(z.string(), z.unknown()).nullable().describe('Traits of the newest customer record seen; null before any.'),
    traitsVersion: time.nullable().describe('That record’s updated_at.'),
    lifetimeValue: z.string().nullable().describe('Order totals minus refunds, e.g. "319.95 USD"; null without orders.'),
    orderCount: z.number().int(),
    firstOrderAt: time.nullable(),
    lastOrderAt: time.nullable(),
    anonymousIds: z.array(z.string()).describe('The anonymousIds the customer’s events carried.'),
    orders: z.array(z.object({ orderId: z.string(), placedAt: time, total: z.string(), refunded: z.string() }))
      .describe('Each order counted once, oldest first, with what was refunded of it.'),
  })).describe('One per shop that knows the customer (Shopify customer ids are unique across shops); empty when none does.'),
});

export const timeseriesQuery = z.strictObject({
  minutes: z.coerce.number().int().min(5).max(1_440).default(60).describe('How many minutes back from now (5–1440).'),
});

const perMinute = z.array(z.number());
const perMinuteOrNull = z.array(z.number().nullable());

export const timeseriesResponse = z.object({
  minutes: z.array(time).describe('Start of each minute, oldest first; every array below lines up with it.'),
  destinations: z.array(z.object({
    destination: z.string(),
    delivered: perMinute,
    retried: perMinute.describe('Attempts that failed and were scheduled again.'),
    dead: perMinute,
    latencyAvgMs: perMinuteOrNull.describe('Mean webhook → delivery latency; null in a minute without deliveries.'),
    latencyMaxMs: perMinuteOrNull,
  })),
});

const waiting = {
  pending: z.number(),
  oldestReceivedAt: time.nullable(),
  oldestAgeSeconds: z.number().nullable().describe('How long the oldest waiting row has waited since its webhook arrived.'),
};

export const queuesResponse = z.object({
  inbox: z.object(waiting),
  destinations: z.array(z.object({
    destination: z.string(), ...waiting, retrying: z.number().describe('Pending after a failed attempt.'), dead: z.number(),
  })).describe('Destinations with messages waiting or dead.'),
});
