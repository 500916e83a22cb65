/**
 * ReCharge end to end over real HTTP on 127.0.0.1: a signed ReCharge webhook → cartstream (SQLite) → the local
 * Segment sink. Proves one webhook becomes exactly one event, and a redelivery (ReCharge retries 20 times in 48 h,
 * each attempt freshly signed) does not double it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { startSegmentSink, type SegmentSink } from '../../src/local-sink/segment-sink.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { signRechargeBody, signRechargeTimestamped } from '../../src/recharge/webhook-signature.ts';
import { startCartstream, type Cartstream } from '../../src/runtime.ts';
import { e2eSecret, e2eShop, e2eWriteKey, tempDir, waitFor, waitForDrain } from './e2e-harness.ts';

const rechargeSecret = 'e2e-recharge-client-secret-7d1e';
const fixture = (name: string) => readFileSync(new URL(`../../src/recharge/fixtures/${name}`, import.meta.url));

/** How ReCharge signs: the legacy header always; the timestamp-bound one on current deliveries. */
type Scheme = 'legacy' | 'timestamped';

async function postRecharge(baseUrl: string, path: string, topic: string, body: Buffer, scheme: Scheme): Promise<{ status: number; json: unknown }> {
  const signature: Record<string, string> = scheme === 'legacy'
    ? { 'x-recharge-hmac-sha256': signRechargeBody(body, rechargeSecret) }
    : { 'x-recharge-webhook-signature': signRechargeTimestamped(body, rechargeSecret, Math.floor(Date.now() / 1000)) };
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'application/json', 'x-recharge-topic': topic, ...signature },
  });
  return { status: response.status, json: await response.json() };
}

describe('ReCharge webhooks → cartstream (SQLite) → Segment sink', () => {
  const tmp = tempDir('cartstream-recharge-');
  let sink: SegmentSink;
  let cartstream: Cartstream;

  beforeAll(async () => {
    sink = await startSegmentSink({ writeKey: e2eWriteKey });
    const config = parseConfig({
      port: 0, host: '127.0.0.1', db: join(tmp.path, 'cartstream.db'), logLevel: 'silent',
      shops: [{ domain: e2eShop, webhookSecrets: [e2eSecret], rechargeSecrets: [rechargeSecret] }],
      destinations: { segment: { writeKey: e2eWriteKey, endpoint: sink.url } },
    }, 'the e2e test');
    cartstream = await startCartstream(config, { logger: createLogger('silent') });
  });

  afterAll(async () => {
    await cartstream?.close();
    await sink?.close();
    tmp.remove();
  });

  it('turns one subscription/created into exactly one Subscription Created, however often it is delivered', async () => {
    const body = fixture('subscription-created.2021-11.json');
    expect(await postRecharge(cartstream.url!, '/webhooks/recharge', 'subscription/created', body, 'legacy'))
      .toStrictEqual({ status: 200, json: { ok: true, status: 'stored' } });
    await waitFor('Subscription Created at the sink', () => (sink.received().length >= 1 ? null : 'no event yet'), 10_000);
    // ReCharge's retry: same topic and bytes, signed anew (here with the timestamp-bound scheme), on the shop's path.
    expect(await postRecharge(cartstream.url!, `/webhooks/recharge/${e2eShop}`, 'subscription/created', body, 'timestamped'))
      .toStrictEqual({ status: 200, json: { ok: true, status: 'duplicate' } });
    await waitForDrain(cartstream.store, 10_000);

    const events = sink.received();
    expect(events.map((event) => [event.type, event.event.event])).toStrictEqual([['track', 'Subscription Created']]);
    expect(events[0]?.event).toMatchObject({
      properties: { subscription_id: '123123123', product_id: '44444444444', price: 49, quantity: 3, currency: 'DKK', status: 'active' },
      timestamp: '2022-03-10T14:14:30.000Z',
    });
    expect(await cartstream.store.counts()).toMatchObject({ inbox: { pending: 0, done: 1, failed: 0 }, duplicates: 1, outbox: { delivered: 1 } });
  });

  it('refuses a delivery signed with another secret and delivers nothing for it', async () => {
    const body = fixture('charge-failed.2021-11.json');
    const forged = await fetch(`${cartstream.url}/webhooks/recharge`, {
      method: 'POST', body: new Uint8Array(body),
      headers: { 'content-type': 'application/json', 'x-recharge-topic': 'charge/failed', 'x-recharge-hmac-sha256': signRechargeBody(body, 'guessed') },
    });
    expect(forged.status).toBe(401);
    expect(await postRecharge(cartstream.url!, '/webhooks/recharge', 'charge/failed', body, 'legacy')).toMatchObject({ status: 200 });
    await waitFor('Charge Failed at the sink', () => (sink.received().some((e) => e.event.event === 'Charge Failed') ? null : 'not yet'), 10_000);
    await waitForDrain(cartstream.store, 10_000);
    const failed = sink.received().filter((event) => event.event.event === 'Charge Failed');
    expect(failed.map((event) => [event.event.userId, (event.event.properties as { total: number }).total])).toStrictEqual([['6524192571458', 171.3]]);
  });
});
