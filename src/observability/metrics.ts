import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** cartstream's Prometheus metrics, in a registry of their own (no global state). */
export function createMetrics() {
  const registry = new Registry();
  const webhooksReceived = new Counter({
    name: 'cartstream_webhooks_received_total', help: 'Verified webhook deliveries stored.',
    labelNames: ['source', 'topic'], registers: [registry],
  });
  const webhooksRejected = new Counter({
    name: 'cartstream_webhooks_rejected_total', help: 'Webhook requests refused, by reason.',
    labelNames: ['source', 'reason'], registers: [registry],
  });
  const webhooksDeduplicated = new Counter({
    name: 'cartstream_webhooks_deduplicated_total', help: 'Repeated deliveries acknowledged and not processed again.',
    labelNames: ['source'], registers: [registry],
  });
  const ackLatency = new Histogram({
    name: 'cartstream_webhook_ack_seconds', help: 'Time from request to acknowledgement (stored durably).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry],
  });
  const inboxProcessed = new Counter({
    name: 'cartstream_inbox_processed_total', help: 'Inbox rows processed, by outcome (mapped, ignored, failed).',
    labelNames: ['outcome'], registers: [registry],
  });
  const messagesDelivered = new Counter({
    name: 'cartstream_messages_delivered_total', help: 'Messages a destination accepted.',
    labelNames: ['destination'], registers: [registry],
  });
  const messagesFailed = new Counter({
    name: 'cartstream_messages_failed_total', help: 'Delivery attempts that failed (to be retried).',
    labelNames: ['destination'], registers: [registry],
  });
  const messagesDeadLettered = new Counter({
    name: 'cartstream_messages_dead_lettered_total', help: 'Messages moved to dead letters.',
    labelNames: ['destination'], registers: [registry],
  });
  const messagesInvalid = new Counter({
    name: 'cartstream_messages_invalid_total', help: 'Messages held (dead, with the rule) for breaking the event spec.',
    labelNames: ['destination', 'event'], registers: [registry],
  });
  const deliveryLatency = new Histogram({
    name: 'cartstream_webhook_to_delivery_seconds', help: 'Time from webhook receipt to delivery.',
    labelNames: ['destination'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300], registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'cartstream_queue_depth', help: 'Rows waiting, by queue (inbox, or a destination\'s outbox), read from the store at each scrape.', labelNames: ['queue'], registers: [registry],
  });
  const oldestWaitingAge = new Gauge({
    name: 'cartstream_oldest_undelivered_age_seconds', help: 'Age of the oldest row still waiting, by queue, read from the store at each scrape.',
    labelNames: ['queue'], registers: [registry],
  });
  return {
    registry, webhooksReceived, webhooksRejected, webhooksDeduplicated, ackLatency, inboxProcessed,
    messagesDelivered, messagesFailed, messagesDeadLettered, messagesInvalid, deliveryLatency, queueDepth, oldestWaitingAge,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
