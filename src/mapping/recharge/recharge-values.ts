import { deterministicUuid } from '../../pipeline/message-id.ts';
import { minorToNumber, parseMinorUnits, parseMoney, type Parsed } from '../../shopify/money.ts';
import type { RechargeEmbeddedCustomer } from '../../recharge/payloads.ts';
import { isoTimestamp } from '../values.ts';

const zonelessDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * A ReCharge time as ISO-8601 UTC. 2021-11 sends some times with an offset ("…+00:00") and some without
 * ("2022-03-09T03:03:28"); the latter are read as UTC, so the result never depends on the machine's time zone.
 */
export function rechargeTime(value: string | null | undefined): string | undefined {
  return isoTimestamp(value != null && zonelessDateTime.test(value) ? `${value}Z` : value);
}

function fractionDigits(amount: unknown): number {
  const text = typeof amount === 'number' ? String(amount) : typeof amount === 'string' ? amount : '';
  return /\.(\d+)$/.exec(text)?.[1]?.length ?? 0;
}

/** An amount in integer minor units and the exponent they are in. */
export interface Minor {
  minor: number;
  exponent: number;
}

/**
 * A ReCharge decimal string ("49.00") in exact minor units. With a currency the currency's exponent applies;
 * without one (a subscription's presentment_currency may be null) the amount's own digits do.
 */
export function rechargeMinor(amount: unknown, currency: string | null | undefined, field: string): Parsed<Minor | undefined> {
  if (amount == null || amount === '') return { ok: true, value: undefined };
  if (currency) {
    const money = parseMoney(amount, currency);
    return money.ok ? money : { ok: false, reason: `${field}: ${money.reason}` };
  }
  const exponent = fractionDigits(amount);
  const minor = parseMinorUnits(amount, exponent);
  return minor.ok ? { ok: true, value: { minor: minor.value, exponent } } : { ok: false, reason: `${field}: ${minor.reason}` };
}

/** rechargeMinor as the number a reader expects (one correctly rounded division; see money.ts). */
export function rechargeAmount(amount: unknown, currency: string | null | undefined, field: string): Parsed<number | undefined> {
  const money = rechargeMinor(amount, currency, field);
  if (!money.ok || money.value === undefined) return money.ok ? { ok: true, value: undefined } : money;
  return { ok: true, value: minorToNumber(money.value.minor, money.value.exponent) };
}

/** The exact sum of amounts (exponents aligned to the largest), as a number; undefined for none. */
export function sumOfMinor(amounts: readonly Minor[]): number | undefined {
  if (amounts.length === 0) return undefined;
  const exponent = Math.max(...amounts.map((amount) => amount.exponent));
  const minor = amounts.reduce((sum, amount) => sum + amount.minor * 10 ** (exponent - amount.exponent), 0);
  return minorToNumber(minor, exponent);
}

/** The Shopify customer id a ReCharge customer record carries (2021-11 external_customer_id, 2021-01 shopify_customer_id). */
export function shopifyCustomerIdOf(customer: Pick<RechargeEmbeddedCustomer, 'external_customer_id' | 'shopify_customer_id'> | null | undefined): string | undefined {
  return customer?.external_customer_id?.ecommerce ?? customer?.shopify_customer_id ?? undefined;
}

/** Who a ReCharge event is about, as Segment ids. */
export interface RechargeIdentity {
  userId?: string;
  anonymousId?: string;
}

/**
 * The Shopify customer id as userId when the payload names it; else an anonymousId derived from the ReCharge
 * customer id (never random: a retried webhook must give the same id). Undefined when neither is known.
 */
export function rechargeIdentity(shop: string, shopifyCustomerId: string | undefined, rechargeCustomerId: string | null | undefined): RechargeIdentity | undefined {
  if (shopifyCustomerId !== undefined) return { userId: shopifyCustomerId };
  if (rechargeCustomerId == null) return undefined;
  return { anonymousId: deterministicUuid(shop, 'recharge-customer', rechargeCustomerId) };
}

/** "2021-11 external id, else 2021-01 shopify_* id". */
export function externalOr(external: { ecommerce?: string | null | undefined } | null | undefined, legacy: string | null | undefined): string | undefined {
  return external?.ecommerce ?? legacy ?? undefined;
}

/** A count ReCharge sends as a number (2021-11) or a string (2021-01), as a number. */
export function countOf(value: number | string | null | undefined): number | undefined {
  const parsed = typeof value === 'string' ? Number(value) : value;
  return parsed != null && Number.isFinite(parsed) ? parsed : undefined;
}
