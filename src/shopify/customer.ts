import { orderCustomerSchema, type ShopifyCustomer } from './order.ts';
import { parsePayload, type ParsedPayload } from './parse-payload.ts';

/** customers/create|update|enable bodies are the customer record orders embed (plus `addresses`). */
export function parseCustomer(payload: unknown): ParsedPayload<ShopifyCustomer> {
  return parsePayload(orderCustomerSchema, payload);
}
