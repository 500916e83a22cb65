/**
 * Identify traits with the customer's profile looked up (as the pipeline passes it in MapContext), on the real
 * Shopify samples: the full trait list with lifetime value, purchase count and LTV tier from the profile;
 * customers/update with only the traits that changed; a refund's Identify net of it.
 */
import { describe, expect, it } from 'vitest';
import { deterministicUuid, messageIdFor } from '../pipeline/message-id.ts';
import type { CustomerProfile } from '../profiles/customer-profile.ts';
import { customerRecordTraits } from './customer-identify.ts';
import { mapCustomerCreated, mapCustomerUpdated } from './customer-events.ts';
import type { MapContext, ProfileView } from './mapper.ts';
import { mapOrderRefunded } from './order-refunded.ts';
import { mapOrderCreated } from './order-topics.ts';
import { contextFor, editedSampleBody, integration, mappedMessages, sampleBody, testShop } from './samples-for-tests.ts';
import { parseCustomer } from '../shopify/customer.ts';

const orderCustomer = '115310627314723954';
const updatedCustomer = '706405506930370084';

function profile(customerId: string, overrides: Partial<CustomerProfile> = {}): CustomerProfile {
  return {
    shop: testShop, customerId, traits: undefined, lifetimeValue: undefined, orderCount: 0, firstOrderAt: undefined, lastOrderAt: undefined,
    anonymousIds: [], ...overrides,
  };
}

function withProfile(topic: string, view: ProfileView, overrides: Partial<MapContext> = {}): MapContext {
  return contextFor(topic, { profile: view, ...overrides });
}

/** The customers/update sample's own record traits, as the profile store keeps them. */
function storedUpdateTraits(): Record<string, unknown> {
  const parsed = parseCustomer(sampleBody('customers_update.json'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return customerRecordTraits(parsed.value);
}

const sampleUpdateVersion = '2022-01-01T00:00:00.000Z';

describe('Identify traits from the profile store', () => {
  it("orders/create: the full trait list, lifetime value and purchase count counting this order, and the LTV tier", () => {
    const after = profile(orderCustomer, { lifetimeValue: { currency: 'USD', minor: 250_495 }, orderCount: 4 });
    const [identify] = mappedMessages(mapOrderCreated(sampleBody('orders_create.json'), withProfile('orders/create', { before: profile(orderCustomer), after })));

    expect(identify).toStrictEqual({
      type: 'identify',
      messageId: 'cs-3a23c85e3f13db1e79d0ad9124e5fe9d',
      timestamp: '2022-01-01T00:00:00.000Z',
      userId: orderCustomer,
      anonymousId: 'a72e8ae4-1c6a-8af2-88d8-103fbc74ef4d',
      traits: {
        email: 'john@example.com',
        firstName: 'John',
        lastName: 'Smith',
        address: { street: '123 Elm St.', city: 'Ottawa', state: 'Ontario', postalCode: 'K2H7A8', country: 'Canada' },
        state: 'disabled',
        verified_email: true,
        customerLifetimeValue: 2504.95,
        purchaseCount: 4,
        ltvTier: 'vip',
      },
      context: integration,
    });
  });

  it('names the tier from configured thresholds', () => {
    const after = profile(orderCustomer, { lifetimeValue: { currency: 'USD', minor: 404_95 }, orderCount: 1 });
    const ltvTiers = [{ name: 'bronze', from: 0 }, { name: 'silver', from: 400 }, { name: 'gold', from: 1000 }];
    const context = withProfile('orders/create', { before: profile(orderCustomer), after }, { ltvTiers });
    const [identify] = mappedMessages(mapOrderCreated(sampleBody('orders_create.json'), context));
    expect(identify?.traits).toMatchObject({ customerLifetimeValue: 404.95, purchaseCount: 1, ltvTier: 'silver' });
  });

  it('customers/create: every trait, a customer without orders having lifetime value 0', () => {
    const view = { before: profile(updatedCustomer), after: profile(updatedCustomer) };
    const [identify] = mappedMessages(mapCustomerCreated(sampleBody('customers_create.json'), withProfile('customers/create', view)));
    expect(identify?.traits).toStrictEqual({ ...storedUpdateTraits(), customerLifetimeValue: 0, purchaseCount: 0, ltvTier: 'none' });
  });

  describe('customers/update', () => {
    const stored = (traits: Record<string, unknown>, version: string | null) => {
      const before = profile(updatedCustomer, { traits: { shop: testShop, customerId: updatedCustomer, traits, version } });
      return { before, after: before };
    };
    const update = (view: ProfileView) => mappedMessages(mapCustomerUpdated(sampleBody('customers_update.json'), withProfile('customers/update', view)));

    it('sends only the traits that changed since the stored profile (a trait the record lost is cleared), same messageId', () => {
      const { description: _note, ...older } = storedUpdateTraits();
      const messages = update(stored({ ...older, firstName: 'Robert', phone: '+1 613 555 0100' }, '2021-12-01T00:00:00.000Z'));

      expect(messages.map((m) => m.type)).toStrictEqual(['identify', 'track']);
      expect(messages[0]).toStrictEqual({
        type: 'identify',
        messageId: messageIdFor({ shop: testShop, kind: 'identify', resource: updatedCustomer, version: sampleUpdateVersion }),
        timestamp: sampleUpdateVersion,
        userId: updatedCustomer,
        traits: { firstName: 'Bob', description: 'This customer loves ice cream', phone: null },
        context: integration,
      });
    });

    it('sends no Identify when nothing changed, nor for a record older than the stored one; Customer Updated still goes', () => {
      expect(update(stored(storedUpdateTraits(), sampleUpdateVersion)).map((m) => m.event ?? m.type)).toStrictEqual(['Customer Updated']);
      const newer = stored({ ...storedUpdateTraits(), firstName: 'Robert' }, '2022-06-01T00:00:00.000Z');
      expect(update(newer).map((m) => m.event ?? m.type)).toStrictEqual(['Customer Updated']);
    });

    it('sends every trait for a customer the profile store has no record of', () => {
      const [identify] = update({ before: profile(updatedCustomer), after: profile(updatedCustomer) });
      expect(identify?.traits).toStrictEqual({ ...storedUpdateTraits(), customerLifetimeValue: 0, purchaseCount: 0, ltvTier: 'none' });
    });
  });

  it("refunds/create: Order Refunded carries the order's customer, after an Identify with the value net of the refund", () => {
    const body = editedSampleBody('refunds_create.json', (text) => text.replace('"order_id": 820982911946154500,', '"order_id": 820982911946154508,'));
    const before = profile(orderCustomer, { lifetimeValue: { currency: 'USD', minor: 404_95 }, orderCount: 1 });
    const after = { ...before, lifetimeValue: { currency: 'USD', minor: 404_95 - 85_00 } };
    const [identify, track] = mappedMessages(mapOrderRefunded(body, withProfile('refunds/create', { before, after })));

    expect(identify).toStrictEqual({
      type: 'identify',
      messageId: messageIdFor({ shop: testShop, kind: 'identify', resource: orderCustomer, version: 'refund 890088186047892319' }),
      timestamp: '2022-01-01T00:00:00.000Z',
      userId: orderCustomer,
      traits: { customerLifetimeValue: 319.95, purchaseCount: 1, ltvTier: 'medium' },
      context: integration,
    });
    expect(track).toMatchObject({ event: 'Order Refunded', userId: orderCustomer, anonymousId: deterministicUuid(testShop, 'order', '820982911946154508') });
  });
});
