import { describe, expect, it } from 'vitest';
import { appTomlWebhooks, shopifyTopics } from './webhook-subscriptions.ts';

describe('webhook subscriptions', () => {
  it('lists the Shopify topics cartstream maps, and no collector or ReCharge topics', () => {
    const topics = shopifyTopics();
    expect(topics).toContain('orders/create');
    expect(topics).toContain('refunds/create');
    for (const stateful of ['orders/updated', 'orders/edited', 'carts/create', 'carts/update']) expect(topics).toContain(stateful);
    expect(topics).toHaveLength(21);
    expect(topics.some((topic) => topic.startsWith('collector/'))).toBe(false);
    expect(topics.some((topic) => topic.startsWith('recharge/'))).toBe(false);
  });

  it('prints a shopify.app.toml section pointing every topic and the compliance topics at the webhook route', () => {
    const toml = appTomlWebhooks('https://cartstream.example.com/', '2026-04');
    expect(toml).toContain('api_version = "2026-04"');
    expect(toml).toContain('"orders/create"');
    expect(toml).toContain('compliance_topics = [ "customers/data_request", "customers/redact", "shop/redact" ]');
    expect(toml.match(/uri = "https:\/\/cartstream\.example\.com\/webhooks\/shopify"/g)).toHaveLength(2);
  });
});
