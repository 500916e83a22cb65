import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deterministicUuid, messageIdFor } from '../pipeline/message-id.ts';
import { mapCartUpdated, type ProductAddedWork } from './cart-events.ts';
import type { CartState } from './cart-state.ts';
import type { MapResult, PreviousState, ScheduledWork } from './mapper.ts';
import { productAddedMapper } from './product-added.ts';
import { contextFor, integration, sampleBody, testShop } from './samples-for-tests.ts';

const token = 'exampleCartId';
const variant = '704912205188288575';
const receivedAt = Date.parse('2022-01-01T00:00:01.000Z');
const anonymousId = deterministicUuid(testShop, 'cart', token);

/** The sample cart (3 shirts of one variant) at `updatedAt` with `quantity` shirts. */
function cart(quantity: number, updatedAt: string): Record<string, any> {
  const body: Record<string, any> = { ...sampleBody('carts_update.json'), updated_at: updatedAt };
  body.line_items[0].quantity = quantity;
  // The sample's JSON.parse rounded the 18-digit variant id; a live cart body carries it exactly.
  body.line_items[0].variant_id = variant;
  return body;
}

function mapped(body: unknown, previous: PreviousState | undefined, at = receivedAt): Exclude<MapResult, { kind: 'unmappable' }> {
  const result = mapCartUpdated(body, contextFor('carts/update', { previous, receivedAt: at }));
  if (result.kind === 'unmappable') throw new Error(result.reason);
  return result;
}

function stateOf(result: Exclude<MapResult, { kind: 'unmappable' }>, version: string): PreviousState {
  return { version: Date.parse(version), state: result.state };
}

function runJob(job: ScheduledWork, state: PreviousState): MapResult {
  return productAddedMapper.map({ shop: testShop, key: job.key, payload: job.payload, dueAt: job.dueAt }, state);
}

const shirt = {
  product_id: '788032119674292900',
  shopify_product_id: '788032119674292900',
  shopify_variant_id: variant,
  sku: 'example-shirt-s',
  name: 'Example T-Shirt - Small',
  brand: 'Acme',
  category: 'all',
  price: 19.99,
};

describe('carts/create|update → Product Removed now, Product Added after the debounce', () => {
  it('schedules a Product Added job per added variant, keyed by cart token + variant + the stored cart version it diffed against', () => {
    const created = mapped(cart(3, '2022-01-01T00:00:00.000Z'), undefined);
    const payload: ProductAddedWork = {
      cart: token, variant, version: Date.parse('2022-01-01T00:00:00.000Z'), base: null, from: 0, to: 3, timestamp: '2022-01-01T00:00:00.000Z',
      anonymousId, product: shirt,
    };

    expect(created.kind).toBe('ignored');
    // The cart's first sighting: nothing stored to diff against.
    expect(created.jobs).toStrictEqual([{ kind: 'product-added', key: JSON.stringify([token, variant, null]), dueAt: receivedAt + 10_000, payload }]);
    expect(created.state).toStrictEqual({
      currency: 'USD',
      lines: { [variant]: { since: payload.version, quantity: 3, product: shirt, pending: [{ version: payload.version, from: 0, to: 3, due: receivedAt + 10_000 }] } },
    } satisfies CartState);
  });

  it('sends Product Added with the changed product at the top level and the whole cart in products', () => {
    const created = mapped(cart(3, '2022-01-01T00:00:00.000Z'), undefined);
    const result = runJob(created.jobs![0]!, stateOf(created, '2022-01-01T00:00:00.000Z'));

    expect(result).toStrictEqual({
      kind: 'mapped',
      messages: [{
        type: 'track',
        event: 'Product Added',
        messageId: messageIdFor({ shop: testShop, kind: 'product-added', resource: token, version: JSON.stringify([variant, null]) }),
        timestamp: '2022-01-01T00:00:00.000Z',
        anonymousId,
        properties: { ...shirt, quantity: 3, cart_id: token, currency: 'USD', products: [{ ...shirt, quantity: 3, position: 1 }] },
        context: integration,
      }],
    });
  });

  it('sends Product Removed at once for units reported as added, with the cart as it now is', () => {
    const created = mapped(cart(3, '2022-01-01T00:00:00.000Z'), undefined);
    const later = receivedAt + 60_000;
    const result = mapped(cart(1, '2022-01-01T00:01:00.000Z'), stateOf(created, '2022-01-01T00:00:00.000Z'), later);

    expect(result.kind === 'mapped' && result.messages).toStrictEqual([{
      type: 'track',
      event: 'Product Removed',
      // Named by the stored cart version it was diffed against (carts/create's).
      messageId: messageIdFor({ shop: testShop, kind: 'product-removed', resource: token, version: JSON.stringify([variant, Date.parse('2022-01-01T00:00:00.000Z')]) }),
      timestamp: '2022-01-01T00:01:00.000Z',
      anonymousId,
      properties: { ...shirt, quantity: 2, cart_id: token, currency: 'USD', products: [{ ...shirt, quantity: 1, position: 1 }] },
      context: integration,
    }]);
    expect(result.jobs).toStrictEqual([]);
  });

  it('takes back units removed within the debounce: no Product Removed, and Product Added only for what stayed', () => {
    const created = mapped(cart(3, '2022-01-01T00:00:00.000Z'), undefined);
    const shrunk = mapped(cart(1, '2022-01-01T00:00:04.000Z'), stateOf(created, '2022-01-01T00:00:00.000Z'), receivedAt + 4_000);
    const emptied = mapped(cart(0, '2022-01-01T00:00:05.000Z'), stateOf(shrunk, '2022-01-01T00:00:04.000Z'), receivedAt + 5_000);

    expect(shrunk).toMatchObject({ kind: 'ignored', reason: 'no quantity change', jobs: [] });
    const added = runJob(created.jobs![0]!, stateOf(shrunk, '2022-01-01T00:00:04.000Z'));
    expect(added.kind === 'mapped' && added.messages[0]!.properties).toMatchObject({ quantity: 1, products: [{ quantity: 1 }] });
    expect(emptied.kind).toBe('ignored');
    expect(runJob(created.jobs![0]!, stateOf(emptied, '2022-01-01T00:00:05.000Z'))).toStrictEqual({
      kind: 'ignored', reason: 'taken out of the cart within the debounce',
    });
  });

  it('lists the cart in the order its lines came, whatever order the state keeps its keys in', () => {
    const created = mapped(cart(1, '2022-01-01T00:00:00.000Z'), undefined);
    const two = cart(1, '2022-01-01T00:00:30.000Z');
    // An integer-like key comes first in a JavaScript object (and PostgreSQL's jsonb sorts keys): not the cart's order.
    two.line_items.push({ ...two.line_items[0], variant_id: '12', sku: 'early-id', quantity: 1 });
    const result = mapped(two, stateOf(created, '2022-01-01T00:00:00.000Z'), receivedAt + 30_000);

    const added = runJob(result.jobs![0]!, stateOf(result, '2022-01-01T00:00:30.000Z'));
    expect(added.kind === 'mapped' && (added.messages[0]!.properties!.products as { sku: string }[]).map((p) => p.sku)).toStrictEqual(['example-shirt-s', 'early-id']);
  });

  it('keeps a malformed cart with the reason', () => {
    expect(mapCartUpdated({ token: 'x', updated_at: 'soon', line_items: [] }, contextFor('carts/update'))).toStrictEqual({
      kind: 'unmappable', reason: 'updated_at: not an ISO-8601 time',
    });
    expect(mapCartUpdated({ line_items: [] }, contextFor('carts/update'))).toMatchObject({ kind: 'unmappable', reason: expect.stringMatching(/^token: missing/) });
  });
});

describe('cart events over any sequence of updates (property)', () => {
  const positive = (quantity: unknown): number => {
    expect(quantity).toBeGreaterThan(0);
    return Number(quantity);
  };

  /** Runs deliveries of quantities at times (ms after the first), each job when due; returns what was reported. */
  function reported(steps: readonly { quantity: number; afterMs: number }[]): { added: number; removed: number; final: number } {
    let previous: PreviousState | undefined;
    let at = receivedAt;
    const jobs: ScheduledWork[] = [];
    let added = 0;
    let removed = 0;
    const runDue = (until: number) => {
      for (const job of jobs.filter((j) => j.dueAt <= until).sort((a, b) => a.dueAt - b.dueAt)) {
        jobs.splice(jobs.indexOf(job), 1);
        const result = runJob(job, previous!);
        if (result.kind === 'mapped') added += positive(result.messages[0]!.properties!.quantity);
      }
    };
    steps.forEach((step, index) => {
      at += step.afterMs;
      runDue(at);
      const version = new Date(Date.parse('2022-01-01T00:00:00.000Z') + index * 1_000).toISOString();
      const result = mapped(cart(step.quantity, version), previous, at);
      if (result.kind === 'mapped') removed += result.messages.reduce((sum, m) => sum + positive(m.properties!.quantity), 0);
      jobs.push(...(result.jobs ?? []));
      previous = stateOf(result, version);
    });
    runDue(Number.MAX_SAFE_INTEGER);
    return { added, removed, final: steps.at(-1)?.quantity ?? 0 };
  }

  it('reports added minus removed units equal to what the cart holds in the end, each event with a positive quantity', () => {
    const step = fc.record({ quantity: fc.integer({ min: 0, max: 6 }), afterMs: fc.integer({ min: 0, max: 25_000 }) });
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
      const { added, removed, final } = reported(steps);
      expect(added - removed).toBe(final);
    }), { numRuns: 300 });
  });
});
