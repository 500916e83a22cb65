import { z } from 'zod';
import type { AdminClient } from './admin-client.ts';
import { AdminApiError } from './admin-errors.ts';
import { connectionOf } from './order-nodes.ts';

/** A shop's webhook subscription as the Admin API lists it (topic in enum form, e.g. ORDERS_CREATE). */
export interface WebhookSubscription {
  id: string;
  topic: string;
  uri: string;
}

/** What `register` found and did, per topic (REST spelling, e.g. orders/create). */
export interface RegistrationReport {
  created: string[];
  unchanged: string[];
  /** Subscriptions to the same topics at other URIs: left alone, but the operator should know they exist. */
  elsewhere: WebhookSubscription[];
}

const subscriptionNode = z.looseObject({ id: z.string(), topic: z.string(), uri: z.string().nullish() });
const subscriptionsData = z.looseObject({ webhookSubscriptions: connectionOf(subscriptionNode) });
const createData = z.looseObject({
  webhookSubscriptionCreate: z.looseObject({
    webhookSubscription: subscriptionNode.nullish(),
    userErrors: z.array(z.looseObject({ field: z.array(z.string()).nullish(), message: z.string() })),
  }).nullish(),
});

export const webhookSubscriptionsQuery = `query WebhookSubscriptions($first: Int!, $after: String) {
  webhookSubscriptions(first: $first, after: $after) { nodes { id topic uri } pageInfo { hasNextPage endCursor } }
}`;

export const webhookSubscriptionCreateMutation = `mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`;

/** orders/create → ORDERS_CREATE, the WebhookSubscriptionTopic enum value. */
export function topicEnum(topic: string): string {
  return topic.replaceAll('/', '_').toUpperCase();
}

/** Where Shopify should send a shop's webhooks, from cartstream's public base URL. */
export function webhookUri(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/shopify`;
}

/** Every webhook subscription the app has on the shop (created through the API). */
export async function listSubscriptions(client: AdminClient): Promise<WebhookSubscription[]> {
  const all: WebhookSubscription[] = [];
  let after: string | null = null;
  for (;;) {
    const data: z.infer<typeof subscriptionsData> = await client.request(webhookSubscriptionsQuery, { first: 100, after }, subscriptionsData);
    const page = data.webhookSubscriptions;
    all.push(...page.nodes.map((node) => ({ id: node.id, topic: node.topic, uri: node.uri ?? '' })));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return all;
    after = page.pageInfo.endCursor;
  }
}

/** Which topics lack a subscription to `uri` (pure: the plan `register` carries out). */
export function registrationPlan(topics: readonly string[], existing: readonly WebhookSubscription[], uri: string): RegistrationReport {
  const at = new Set(existing.filter((subscription) => subscription.uri === uri).map((subscription) => subscription.topic));
  const wanted = new Set(topics.map(topicEnum));
  return {
    created: topics.filter((topic) => !at.has(topicEnum(topic))),
    unchanged: topics.filter((topic) => at.has(topicEnum(topic))),
    elsewhere: existing.filter((subscription) => subscription.uri !== uri && wanted.has(subscription.topic)),
  };
}

async function createSubscription(client: AdminClient, topic: string, uri: string): Promise<void> {
  const variables = { topic: topicEnum(topic), webhookSubscription: { uri, format: 'JSON' } };
  const result = (await client.request(webhookSubscriptionCreateMutation, variables, createData)).webhookSubscriptionCreate;
  const problems = result?.userErrors ?? [];
  if (problems.length > 0 || result?.webhookSubscription == null) {
    const why = problems.map((problem) => `${(problem.field ?? []).join('.') || 'input'}: ${problem.message}`).join('; ') || 'no subscription returned';
    throw new AdminApiError('graphql', `could not subscribe to ${topic}: ${why}`);
  }
}

/** Subscribes the shop to every topic that has no subscription to `uri` yet; running it again changes nothing. */
export async function registerWebhooks(client: AdminClient, topics: readonly string[], uri: string): Promise<RegistrationReport> {
  const plan = registrationPlan(topics, await listSubscriptions(client), uri);
  for (const topic of plan.created) await createSubscription(client, topic, uri);
  return plan;
}
