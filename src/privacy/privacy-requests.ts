/**
 * Shopify's mandatory compliance webhooks (customers/redact, customers/data_request, shop/redact), read into what
 * cartstream must do. They arrive signed like every webhook and are stored in the inbox first, so a request is never
 * lost; the pipeline carries them out (privacy/carry-out-privacy-request.ts).
 */
import { z } from 'zod';

export const privacyTopics = ['customers/redact', 'customers/data_request', 'shop/redact'] as const;
export type PrivacyTopic = (typeof privacyTopics)[number];

export function isPrivacyTopic(topic: string): topic is PrivacyTopic {
  return (privacyTopics as readonly string[]).includes(topic);
}

const id = z.union([z.string().min(1), z.number()]).transform(String);
const text = z.string().trim().min(1).nullish().transform((value) => value ?? undefined);
const customer = z.object({ id: id.nullish().transform((value) => value ?? undefined), email: text, phone: text });

/** Who a request is about: any of the ids Shopify gives, and the orders it names. */
export interface PrivacySubject {
  customerId: string | undefined;
  /** Lower-cased. */
  email: string | undefined;
  /** Digits only, so "+1 (555) 010-0199" and "15550100199" are the same phone. */
  phoneDigits: string | undefined;
  orderIds: ReadonlySet<string>;
}

export type PrivacyRequest =
  | { kind: 'redact-customer'; subject: PrivacySubject }
  | { kind: 'export-customer'; subject: PrivacySubject; dataRequestId: string }
  | { kind: 'redact-shop' };

const redactSchema = z.object({ customer, orders_to_redact: z.array(id).nullish() });
const dataRequestSchema = z.object({ customer, orders_requested: z.array(id).nullish(), data_request: z.object({ id }) });

function subjectOf(person: z.infer<typeof customer>, orders: readonly string[] | null | undefined): PrivacySubject {
  const digits = person.phone?.replace(/\D/g, '');
  return {
    customerId: person.id,
    email: person.email?.toLowerCase(),
    phoneDigits: digits === '' ? undefined : digits,
    orderIds: new Set(orders ?? []),
  };
}

export type ReadRequest = { ok: true; request: PrivacyRequest } | { ok: false; reason: string };

/** Reads a compliance webhook's body; a request that names nobody is refused with the reason. */
export function readPrivacyRequest(topic: PrivacyTopic, payload: unknown): ReadRequest {
  if (topic === 'shop/redact') return { ok: true, request: { kind: 'redact-shop' } };
  const parsed = topic === 'customers/redact' ? redactSchema.safeParse(payload) : dataRequestSchema.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, reason: `${topic}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}` };
  }
  const orders = 'orders_to_redact' in parsed.data ? parsed.data.orders_to_redact : (parsed.data as z.infer<typeof dataRequestSchema>).orders_requested;
  const subject = subjectOf(parsed.data.customer, orders);
  if (subject.customerId === undefined && subject.email === undefined && subject.phoneDigits === undefined && subject.orderIds.size === 0) {
    return { ok: false, reason: `${topic}: the request names no customer id, email, phone or order` };
  }
  if (topic === 'customers/redact') return { ok: true, request: { kind: 'redact-customer', subject } };
  return { ok: true, request: { kind: 'export-customer', subject, dataRequestId: (parsed.data as z.infer<typeof dataRequestSchema>).data_request.id } };
}
