import { afterEach, describe, expect, it } from 'vitest';
import { shopifyTopics } from '../cli/webhook-subscriptions.ts';
import { createAdminClient, type AdminClient } from './admin-client.ts';
import { startFakeAdminServer, type FakeAdminServer } from './fake-admin-server.ts';
import { createFakeClock } from './fake-clock.ts';
import { listSubscriptions, registerWebhooks, registrationPlan, topicEnum, webhookUri } from './webhook-registration.ts';

const token = 'shpat_register_0000000000000000000000';
const uri = webhookUri('https://cs.example.com/');
let server: FakeAdminServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function client(): Promise<AdminClient> {
  const clock = createFakeClock();
  const fake = await startFakeAdminServer({
    accessToken: token, now: clock.now,
    subscriptions: [
      { id: 'gid://shopify/WebhookSubscription/100', topic: 'ORDERS_CREATE', uri },
      { id: 'gid://shopify/WebhookSubscription/101', topic: 'ORDERS_PAID', uri: 'https://old-host.example.com/webhooks' },
    ],
  });
  server = fake;
  return createAdminClient({ shop: 'reg.myshopify.com', accessToken: token, apiVersion: '2026-07', endpoint: fake.url, sleep: clock.sleep, now: clock.now });
}

const creations = () => (server?.requests ?? []).filter((request) => request.operation === 'WebhookSubscriptionCreate');

describe('webhook registration', () => {
  it('spells topics as Shopify’s enum and points at the webhook route', () => {
    expect(topicEnum('orders/partially_fulfilled')).toBe('ORDERS_PARTIALLY_FULFILLED');
    expect(topicEnum('inventory_levels/update')).toBe('INVENTORY_LEVELS_UPDATE');
    expect(uri).toBe('https://cs.example.com/webhooks/shopify');
  });

  it('creates only the missing subscriptions, and reports ones pointing elsewhere without touching them', async () => {
    const admin = await client();
    const topics = shopifyTopics();
    const report = await registerWebhooks(admin, topics, uri);
    expect(report.unchanged).toStrictEqual(['orders/create']);
    expect(report.created).toStrictEqual(topics.filter((topic) => topic !== 'orders/create'));
    expect(report.elsewhere).toStrictEqual([{ id: 'gid://shopify/WebhookSubscription/101', topic: 'ORDERS_PAID', uri: 'https://old-host.example.com/webhooks' }]);
    expect(creations()).toHaveLength(topics.length - 1);
    expect(creations()[0]?.variables).toStrictEqual({ topic: topicEnum(report.created[0]!), webhookSubscription: { uri, format: 'JSON' } });
    const listed = await listSubscriptions(admin);
    expect(listed.filter((subscription) => subscription.uri === uri).map((subscription) => subscription.topic).sort()).toStrictEqual(topics.map(topicEnum).sort());
  });

  it('changes nothing when run again', async () => {
    const admin = await client();
    await registerWebhooks(admin, shopifyTopics(), uri);
    const before = creations().length;
    const again = await registerWebhooks(admin, shopifyTopics(), uri);
    expect(again.created).toStrictEqual([]);
    expect(again.unchanged).toStrictEqual(shopifyTopics());
    expect(creations()).toHaveLength(before);
  });

  it('plans purely from what exists', () => {
    const plan = registrationPlan(['orders/create', 'refunds/create'], [{ id: '1', topic: 'REFUNDS_CREATE', uri }], uri);
    expect(plan).toStrictEqual({ created: ['orders/create'], unchanged: ['refunds/create'], elsewhere: [] });
  });
});
