import { cartEventProperties, cartEventVersion, type ProductAddedWork } from './cart-events.ts';
import { storedCartState } from './cart-state.ts';
import { specEvents } from './event-names.ts';
import type { DueJob, JobMapper } from './job-mappers.ts';
import type { MapResult, PreviousState } from './mapper.ts';
import { record } from './resource-state.ts';
import { trackMessage } from './track-message.ts';

function workOf(payload: unknown): ProductAddedWork | undefined {
  const work = record(payload);
  return work !== undefined && typeof work.cart === 'string' && typeof work.variant === 'string' ? (work as unknown as ProductAddedWork) : undefined;
}

/**
 * The debounce is over: Product Added for the units of the addition still in the cart (the stored cart shrank the
 * pending addition on every decrease since), with the whole cart as it stands. messageId: cart token + variant +
 * the cart version the addition was seen against (see cartEventVersion), so a re-run never sends it twice.
 */
function productAdded(job: DueJob, previous: PreviousState | undefined): MapResult {
  const work = workOf(job.payload);
  if (work === undefined) return { kind: 'unmappable', reason: 'product-added job without cart and variant' };
  const state = storedCartState(previous) ?? { lines: {} };
  const line = state.lines[work.variant];
  // Dropped from the state an hour after it was due: the job ran very late, take the addition as it was.
  const pending = line?.pending.find((add) => add.version === work.version) ?? work;
  const quantity = pending.to - pending.from;
  if (quantity <= 0) return { kind: 'ignored', reason: 'taken out of the cart within the debounce' };
  const message = trackMessage({
    event: specEvents.productAdded, shop: job.shop, resource: work.cart, version: cartEventVersion(work.variant, work.base ?? null),
    timestamp: work.timestamp, anonymousId: work.anonymousId, properties: cartEventProperties(work.cart, state, line?.product ?? work.product, quantity),
  });
  return { kind: 'mapped', messages: [message] };
}

export const productAddedMapper: JobMapper = {
  kind: 'cart',
  resourceOf: (payload) => workOf(payload)?.cart,
  map: productAdded,
};
