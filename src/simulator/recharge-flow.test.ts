import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapperFor } from '../mapping/topic-mappers.ts';
import { parseDelivery } from '../pipeline/process-delivery.ts';
import { buildTestHttpServer } from '../server/test-http-server.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { catalog } from './catalog.ts';
import type { CustomerRecord } from './model.ts';
import { createPerson } from './people.ts';
import { createPrng } from './prng.ts';
import { rechargeSubscriptionFlow, signedRechargeHeaders } from './recharge-flow.ts';

const shop = 'flow-shop.myshopify.com';
const secret = 'flow-recharge-client-secret';
const product = catalog[0]!;
const customer: CustomerRecord = {
  id: 7_412_559_872_345_678n, addressId: 1n, person: createPerson(createPrng(5), 'EUR', 1), createdAtMs: 0,
  state: 'enabled', acceptsMarketing: false, lastAnonymousId: null,
};
const flow = rechargeSubscriptionFlow({
  customer, line: { product, variant: product.variants[0]!, quantity: 2 }, currency: 'EUR', startMs: Date.UTC(2025, 5, 2, 14),
  ids: { subscription: 501, rechargeCustomer: 601, charge: 701, order: 801, shopifyOrder: 5_039_432_466_538n },
});

let store: Store;

beforeEach(async () => {
  store = await openStore(':memory:');
});

afterEach(async () => {
  await store.close();
});

describe('the simulated ReCharge subscription flow', () => {
  it('is accepted by /webhooks/recharge and maps to the four lifecycle events of one customer', async () => {
    const app = buildTestHttpServer(store, { domain: shop, secret: 'unused', recharge: { secretsFor: (s) => (s === shop ? [secret] : undefined), defaultShop: shop } });
    for (const delivery of flow) {
      const response = await app.inject({ method: 'POST', url: '/webhooks/recharge', payload: delivery.body, headers: signedRechargeHeaders(delivery, secret) });
      expect(response.statusCode).toBe(200);
    }
    await app.close();
    const rows = await store.claimInbox({ worker: 't', limit: 10, leaseMs: 1000, now: 2_000 });
    const messages = rows.flatMap((row) => {
      const parsed = parseDelivery(row);
      const context = { shop, topic: row.topic, webhookId: row.webhookId, apiVersion: null, triggeredAt: null };
      const result = parsed.ok ? mapperFor(row.topic)?.(parsed.payload, context) : undefined;
      return result?.kind === 'mapped' ? result.messages : [];
    });
    expect(messages.map((message) => [message.event, message.userId])).toStrictEqual([
      ['Subscription Created', String(customer.id)],
      ['Charge Failed', String(customer.id)],
      ['Order Processed', String(customer.id)],
      ['Subscription Cancelled', String(customer.id)],
    ]);
    const total = (product.variants[0]!.prices.EUR * 2) / 100;
    expect(messages[2]?.properties).toMatchObject({ order_id: '5039432466538', total, currency: 'EUR' });
  });

  it('is the same bytes every time', () => {
    const again = rechargeSubscriptionFlow({
      customer, line: { product, variant: product.variants[0]!, quantity: 2 }, currency: 'EUR', startMs: Date.UTC(2025, 5, 2, 14),
      ids: { subscription: 501, rechargeCustomer: 601, charge: 701, order: 801, shopifyOrder: 5_039_432_466_538n },
    });
    expect(again).toStrictEqual(flow);
  });
});
