import { isOptionExclusion } from '../destinations/apply-options.ts';
import type { OrderMessage } from '../store/store.ts';

/** Per order key: the destinations whose options left its Order Completed out, each with the rule. */
export type OptionExclusions = Map<string, Map<string, string>>;

/** Whether a message was skipped by its destination's options (destination-options.ts). */
export function skippedByOption(message: OrderMessage): boolean {
  return message.status === 'skipped' && message.lastError !== null && isOptionExclusion(message.lastError);
}

/**
 * The orders each destination's options left out, read from their Order Completed rows (skipped with the rule as
 * the reason when the row was made). `keyOf` names an order as the report does.
 */
export function optionExclusions(messages: readonly OrderMessage[], eventName: string, keyOf: (m: OrderMessage) => string): OptionExclusions {
  const found: OptionExclusions = new Map();
  for (const message of messages) {
    if (message.eventName !== eventName || message.orderId === null || !skippedByOption(message)) continue;
    const key = keyOf(message);
    const byDestination = found.get(key) ?? new Map<string, string>();
    byDestination.set(message.destination, message.lastError!);
    found.set(key, byDestination);
  }
  return found;
}

/** The order's rules with the destinations each left it out of, e.g. [{ rule, destinations: ['segment'] }]. */
export function rulesWithDestinations(byDestination: ReadonlyMap<string, string> | undefined): { rule: string; destinations: string[] }[] {
  const byRule = new Map<string, string[]>();
  for (const [destination, rule] of byDestination ?? []) byRule.set(rule, [...(byRule.get(rule) ?? []), destination]);
  return [...byRule].map(([rule, destinations]) => ({ rule, destinations: destinations.sort() }));
}
