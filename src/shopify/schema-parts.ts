import { z } from 'zod';

/**
 * zod building blocks shared by the Shopify webhook body schemas (orders, refunds, checkouts, …). Objects keep only
 * the fields named (a mapper reading a new field adds it to its schema): copying the ~100 other fields of an order
 * through validation cost as much as the rest of the mapping (bench/mapping-throughput.ts). Ids may be numbers or
 * exact decimal strings (see parse-json-exact.ts) and come out as strings, and money stays as Shopify sent it: it is parsed by money.ts, which needs the currency.
 */

/** A Shopify REST id: a JSON number, or the exact decimal string parseJsonExact gives for 64-bit ids. */
export const shopifyId = z
  .union([z.string().regex(/^\d+$/, 'expected a numeric id'), z.number().int().nonnegative()], {
    error: (issue) => (issue.input === undefined ? 'missing' : 'expected a numeric id'),
  })
  .transform(String);

/** Shopify sends decimal strings ("19.99"); older or hand-made payloads may use numbers. */
export const moneyAmount = z.union([z.string(), z.number()], {
  error: (issue) => (issue.input === undefined ? 'missing' : 'expected an amount (string or number)'),
});

export const text = z.string().nullish();

export const money = z.object({ amount: moneyAmount, currency_code: text });
export const moneySet = z.object({ shop_money: money.nullish(), presentment_money: money.nullish() });

export const address = z.object({
  first_name: text,
  last_name: text,
  company: text,
  address1: text,
  address2: text,
  city: text,
  province: text,
  province_code: text,
  zip: text,
  country: text,
  country_code: text,
  phone: text,
});
