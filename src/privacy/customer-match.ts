/**
 * Which stored deliveries and messages are about a privacy request's customer. Pure. Matching reads the parsed
 * body where Shopify puts the customer (customer.id, email, phone, the order ids) and, as a net for everything else
 * (addresses, note attributes, a collector trait), the raw text for the email address.
 */
import type { PrivacySubject } from './privacy-requests.ts';

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function idText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
}

/** The same phone, with or without a country code: one digit string ends with the other (7 digits at least). */
function samePhone(value: unknown, digits: string | undefined): boolean {
  if (digits === undefined || typeof value !== 'string') return false;
  const other = value.replace(/\D/g, '');
  const [shorter, longer] = other.length < digits.length ? [other, digits] : [digits, other];
  return shorter.length >= 7 && longer.endsWith(shorter);
}

/** The customer ids a Shopify body names: its customer's, or its own for customers/* topics. */
function customerIds(topic: string, body: Json): string[] {
  const ids = [idText(record(body.customer)?.id), idText(body.customer_id)];
  if (topic.startsWith('customers/')) ids.push(idText(body.id));
  return ids.filter((value): value is string => value !== undefined);
}

/** The order ids a Shopify body is about: an order's own id, or the order of a refund, fulfillment or transaction. */
function orderIds(topic: string, body: Json): string[] {
  const ids = [idText(body.order_id)];
  if (topic.startsWith('orders/')) ids.push(idText(body.id));
  return ids.filter((value): value is string => value !== undefined);
}

/** True when a stored text mentions the subject's email, in any letter case. */
export function mentionsEmail(text: string, subject: PrivacySubject): boolean {
  return subject.email !== undefined && text.toLowerCase().includes(subject.email);
}

/** True when a webhook body (parsed, or undefined when it is not JSON) is about the subject. */
export function webhookIsAbout(topic: string, body: unknown, rawText: string, subject: PrivacySubject): boolean {
  if (mentionsEmail(rawText, subject)) return true;
  const json = record(body);
  if (json === undefined) return false;
  if (subject.customerId !== undefined && customerIds(topic, json).includes(subject.customerId)) return true;
  if (orderIds(topic, json).some((id) => subject.orderIds.has(id))) return true;
  const customer = record(json.customer) ?? {};
  return [json.phone, customer.phone, record(json.billing_address)?.phone, record(json.shipping_address)?.phone]
    .some((phone) => samePhone(phone, subject.phoneDigits));
}

/** The ids a Segment-shaped message or storefront call names: userId, anonymousId and an alias's previousId. */
export function messageIds(message: unknown): { userId: string | undefined; anonymousIds: string[] } {
  const json = record(message) ?? {};
  const anonymousIds = [idText(json.anonymousId), idText(json.previousId)].filter((v): v is string => v !== undefined);
  return { userId: idText(json.userId), anonymousIds };
}
