import { existsSync, readFileSync } from 'node:fs';
import { exactId, jsonNumber } from '../src/simulator/json-bytes.ts';

/** The Shopify documentation sample for orders/create: the benchmark's 11.5 KB body. */
const samplePath = new URL('../../shared/fixtures/shopify/samples/orders_create.json', import.meta.url);

type Json = Record<string, unknown>;

/** Parses keeping integers beyond 2^53 as raw JSON numbers, so re-serializing writes the same digits. */
function parseKeepingDigits(text: string): Json {
  return JSON.parse(text, (_key, value, context?: { source?: string }) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && context?.source
      ? jsonNumber(context.source)
      : value,
  ) as Json;
}

export function loadOrderTemplate(): Json {
  if (!existsSync(samplePath)) throw new Error(`benchmark needs ${samplePath.pathname} (the shared fixtures)`);
  const file = parseKeepingDigits(readFileSync(samplePath, 'utf8'));
  return file.response as Json;
}

/**
 * The sample order as a distinct order `n`, placed by its own customer (a store's customers place a few orders each;
 * one customer with every order would measure the profile store's worst case, not a flash sale): its own id,
 * number, name and customer id, web channel, same size.
 */
export function orderBody(template: Json, n: number): Buffer {
  const id = 820982911946154508n + BigInt(n) * 7919n;
  const customerId = 115310627314723954n + BigInt(n);
  const customer = { ...(template.customer as Json), id: exactId(customerId), admin_graphql_api_id: `gid://shopify/Customer/${customerId}` };
  const order = {
    ...template,
    customer,
    id: exactId(id),
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    order_number: 1000 + n,
    name: `#${1000 + n}`,
    source_name: 'web',
  };
  return Buffer.from(JSON.stringify(order));
}
