import type { PreviousState } from '../mapping/mapper.ts';
import { isStale, type StateRule } from '../mapping/resource-state.ts';
import { stateRuleFor } from '../mapping/topic-mappers.ts';
import { resourceKeyText } from '../store/settlement-rows.ts';
import type { InboxRow, ResourceKey, ResourceState } from '../store/store.ts';
import type { Destination } from '../destinations/destination.ts';
import { contextFor, mapDelivery, type MapInputs, type ProcessedDelivery } from './process-delivery.ts';

/** The store lookup of resource states. */
export type FindStates = (keys: readonly ResourceKey[]) => Promise<ResourceState[]>;

/** The resource a delivery reads (and maybe writes) the state of. */
export interface StateItem {
  rule: StateRule;
  key: ResourceKey;
  version: number | undefined;
}

/** The states known while a batch is mapped: the stored ones, then what earlier rows of the batch wrote. */
export type KnownStates = Map<string, PreviousState>;

export function stateItemOf(row: InboxRow, payload: unknown): StateItem | undefined {
  const rule = stateRuleFor(row.topic);
  const found = rule?.keyOf(payload);
  if (rule === undefined || found === undefined) return undefined;
  return { rule, key: { shop: row.shop, kind: rule.kind, id: found.id }, version: found.version };
}

/** The stored states of the batch's resources, in one lookup (none when no row names a resource). */
export async function loadStates(items: readonly (Pick<StateItem, 'key'> | undefined)[], find: FindStates): Promise<KnownStates> {
  const keys = new Map<string, ResourceKey>();
  for (const item of items) if (item !== undefined) keys.set(resourceKeyText(item.key), item.key);
  const known: KnownStates = new Map();
  if (keys.size === 0) return known;
  for (const state of await find([...keys.values()])) known.set(resourceKeyText(state), { version: state.version, state: state.state });
  return known;
}

/**
 * Maps a delivery against its resource's state. A delivery older than the state never replaces it, and when the
 * topic's events are diffs it maps to nothing ("stale"). The next state goes into the outcome (written with the
 * settlement) and into `known`, so later rows of the batch see it.
 */
export function mapWithState(
  row: InboxRow, payload: unknown, destinations: readonly Destination[], inputs: MapInputs, item: StateItem | undefined, known: KnownStates,
): ProcessedDelivery {
  if (item === undefined) return mapDelivery(row, payload, destinations, inputs);
  const keyText = resourceKeyText(item.key);
  const previous = known.get(keyText);
  const stale = isStale(item.version, previous);
  if (stale && item.rule.diff) {
    return { kind: 'ignored', outcome: { status: 'done', messages: [], note: 'stale: older than the stored state (updated_at)' } };
  }
  const processed = mapDelivery(row, payload, destinations, { ...inputs, previous });
  const next = processed.state ?? item.rule.next?.(payload, previous, contextFor(row, { ...inputs, previous }));
  if (stale || item.version === undefined || next === undefined || processed.outcome.status !== 'done') return processed;
  known.set(keyText, { version: item.version, state: next });
  processed.outcome.states = [{ ...item.key, version: item.version, state: next }];
  return processed;
}
