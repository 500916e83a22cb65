import { describe, expect, it } from 'vitest';
import { sampleBody } from '../mapping/samples-for-tests.ts';
import { webhookIsAbout } from './customer-match.ts';
import { isPrivacyTopic, readPrivacyRequest, type PrivacySubject } from './privacy-requests.ts';

describe("Shopify's compliance webhooks", () => {
  it('reads customers/redact (the real sample) into who to redact: id, email, digits of the phone, orders', () => {
    expect(readPrivacyRequest('customers/redact', sampleBody('customers_redact.json'))).toEqual({
      ok: true,
      request: {
        kind: 'redact-customer',
        subject: { customerId: '191167', email: 'john@example.com', phoneDigits: '5556251199', orderIds: new Set(['299938', '280263', '220458']) },
      },
    });
  });

  it('reads customers/data_request with its request id, and shop/redact', () => {
    const read = readPrivacyRequest('customers/data_request', sampleBody('customers_data_request.json'));
    expect(read).toMatchObject({ ok: true, request: { kind: 'export-customer', dataRequestId: '9999', subject: { customerId: '191167' } } });
    expect(readPrivacyRequest('shop/redact', sampleBody('shop_redact.json'))).toEqual({ ok: true, request: { kind: 'redact-shop' } });
  });

  it('accepts a request that knows the customer only by email, as Shopify documents it can', () => {
    const read = readPrivacyRequest('customers/redact', { shop_id: 1, customer: { email: ' John@Example.com ' }, orders_to_redact: [] });
    expect(read).toMatchObject({ ok: true, request: { subject: { customerId: undefined, email: 'john@example.com' } } });
  });

  it('refuses, with the reason, a request that names nobody or has no customer', () => {
    expect(readPrivacyRequest('customers/redact', { customer: {}, orders_to_redact: [] })).toEqual({
      ok: false, reason: 'customers/redact: the request names no customer id, email, phone or order',
    });
    expect(readPrivacyRequest('customers/data_request', { customer: { id: 1 } })).toMatchObject({ ok: false, reason: expect.stringMatching(/data_request/) });
  });

  it('knows the three compliance topics and nothing else', () => {
    expect(['customers/redact', 'customers/data_request', 'shop/redact', 'customers/delete', 'orders/create'].map(isPrivacyTopic))
      .toEqual([true, true, true, false, false]);
  });
});

describe('which webhooks are about the customer', () => {
  const subject: PrivacySubject = { customerId: '191167', email: 'john@example.com', phoneDigits: '5556251199', orderIds: new Set(['299938']) };
  const about = (topic: string, body: Record<string, unknown>) => webhookIsAbout(topic, body, JSON.stringify(body), subject);

  it.each([
    ['orders/create', { id: 1, customer: { id: 191167 } }, 'by customer id'],
    ['orders/create', { id: 1, note_attributes: [{ name: 'gift for', value: 'JOHN@example.com' }] }, 'by the email anywhere in the body'],
    ['orders/updated', { id: 299938 }, 'by an order named in the request'],
    ['refunds/create', { id: 5, order_id: 299938 }, "by a refund's order"],
    ['customers/update', { id: 191167 }, "by a customer topic's own id"],
    ['checkouts/create', { token: 't', billing_address: { phone: '+1 555 625 1199' } }, 'by phone digits'],
  ])('%s is theirs %s', (topic, body, _why) => {
    expect(about(topic, body)).toBe(true);
  });

  it.each([
    ['orders/create', { id: 191167, customer: { id: 42 } }],
    ['refunds/create', { id: 299938, order_id: 7 }],
    ['customers/update', { id: 42, email: 'someone@example.com' }],
  ])("%s with another customer's ids is not theirs", (topic, body) => {
    expect(about(topic, body)).toBe(false);
  });
});
