/**
 * The admin API's inputs and outputs as zod schemas: they validate requests, shape responses (unknown keys are
 * stripped, so nothing undocumented leaks) and generate the OpenAPI description, so the three cannot drift apart.
 */
import { z } from 'zod';

const maxLimit = 1_000;
const ids = z.array(z.number().int().positive()).min(1).max(maxLimit);
const limit = z.coerce.number().int().min(1).max(maxLimit).default(50).describe(`How many rows (1–${maxLimit}).`);
const isoTime = z.iso.datetime({ offset: true }).transform((value) => Date.parse(value));
const flag = z.enum(['true', 'false']).default('false').transform((value) => value === 'true');
const time = z.iso.datetime().describe('ISO 8601, UTC');

export const noQuery = z.strictObject({});

export const failedQuery = z.strictObject({ limit });

export const deadLettersQuery = z.strictObject({
  destination: z.string().min(1).optional().describe('Only dead letters of this destination, e.g. segment.'),
  limit,
  payload: flag.describe('true: include each message’s wire JSON.'),
});

export const eventsQuery = z
  .strictObject({
    shop: z.string().min(1).optional().describe('A *.myshopify.com domain.'),
    event: z.string().min(1).optional().describe('Segment event name (or call type), e.g. Order Completed.'),
    destination: z.string().min(1).optional().describe('Only messages for this destination.'),
    customer: z.string().min(1).optional().describe('Only messages about this customer (their userId, the Shopify customer id).'),
    order: z.string().regex(/^\d+$/, 'must be a Shopify order id (digits)').optional().describe('Only messages about this order (properties.order_id).'),
    since: isoTime.optional().describe('ISO 8601 date-time; webhooks received at or after it.'),
    until: isoTime.optional().describe('ISO 8601 date-time; webhooks received before it.'),
    limit,
  })
  .refine((query) => query.since === undefined || query.until === undefined || query.since < query.until, {
    path: ['until'],
    message: 'must be later than since',
  });

export const reprocessBody = z.strictObject({ ids: ids.describe('Inbox ids of failed (or done) deliveries.') });

export const replayBody = z.strictObject({
  destination: z.string().min(1),
  ids: ids.optional().describe('Dead-letter ids; all of the destination when left out.'),
});

export const messagesReplayBody = z.strictObject({
  destination: z.string().min(1).describe('The destination to send to again, e.g. segment.'),
  since: isoTime.optional().describe('ISO 8601 date-time; messages of webhooks received at or after it.'),
  until: isoTime.optional().describe('ISO 8601 date-time; messages of webhooks received before it.'),
  orderIds: z.array(z.string().regex(/^\d+$/, 'must be a Shopify order id (digits only)')).max(maxLimit).optional()
    .describe('Shopify order ids: the messages about these orders.'),
  ids: ids.optional().describe('Dead-letter ids; not with since, until or orderIds.'),
  dryRun: z.boolean().default(false).describe('true: count what would be sent again, change nothing.'),
}).describe('Without since, until and orderIds: dead letters. With them: every delivered or dead message they select.');

const byInboxStatus = z.object({ pending: z.number(), done: z.number(), failed: z.number() });
const byOutboxStatus = z.object({ pending: z.number(), delivered: z.number(), dead: z.number(), skipped: z.number() });

export const statusResponse = z.object({
  store: z.enum(['sqlite', 'postgres']),
  inbox: byInboxStatus,
  outbox: byOutboxStatus,
  duplicates: z.number().describe('Repeated deliveries acknowledged and not processed again.'),
});

export const failedResponse = z.object({
  deliveries: z.array(
    z.object({
      id: z.number(),
      shop: z.string(),
      topic: z.string(),
      webhookId: z.string(),
      reason: z.string().nullable(),
      duplicates: z.number(),
      receivedAt: time,
    }),
  ),
});

export const messagesReplayResponse = z.object({
  dryRun: z.boolean(),
  messages: z.number().describe('Messages put back in the queue (in a dry run: that would be).'),
  byEvent: z.array(z.object({ eventName: z.string(), count: z.number() })).describe('The same, per event name, most first.'),
});

export const requeuedResponse = z.object({ requeued: z.number().describe('Rows put back in the queue.') });

/** The fields every outbox message shows, dead letter or search result. */
const outboxMessageFields = {
  id: z.number(),
  destination: z.string(),
  messageId: z.string(),
  shop: z.string(),
  eventName: z.string(),
};

export const deadLettersResponse = z.object({
  deadLetters: z.array(
    z.object({
      ...outboxMessageFields,
      reason: z.string(),
      attempts: z.number(),
      payload: z.string().optional().describe('The wire JSON as it is sent; only with payload=true.'),
    }),
  ),
});

export const eventsResponse = z.object({
  events: z.array(
    z.object({
      ...outboxMessageFields,
      status: z.enum(['pending', 'delivered', 'dead', 'skipped']),
      attempts: z.number(),
      lastError: z.string().nullable(),
      receivedAt: time,
      deliveredAt: time.nullable(),
    }),
  ),
});

export const openApiResponse = z.record(z.string(), z.unknown()).describe('This OpenAPI 3.1 document.');

export const errorResponse = z.object({ error: z.string() });
