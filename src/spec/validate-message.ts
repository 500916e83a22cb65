import type { z } from 'zod';
import type { SegmentMessage } from '../pipeline/segment-message.ts';
import { fieldPath } from '../shopify/parse-payload.ts';
import { commonProperties, specCalls, specPropertiesByEvent } from './spec-schemas.ts';

/**
 * Where a message comes from: Shopify's webhooks (mapped by cartstream, so each event's full spec applies) or the
 * browser (the storefront's own calls, whose event names and properties cartstream does not choose: the call
 * shape and the common property rules apply).
 */
export type MessageOrigin = 'shopify' | 'browser';

const prefix = 'spec: ';

/** Whether a held row's reason is a spec violation (rather than, say, its size). */
export function isSpecViolation(reason: string): boolean {
  return reason.startsWith(prefix);
}

/** The name a message goes by in reasons and metrics: its event, or its call type. */
export function specEventName(message: SegmentMessage): string {
  return message.type === 'track' ? message.event || 'track' : message.type;
}

/** "is missing", "must be a number", or the schema's own words. */
function ruleOf(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_type') return issue.message;
  if (issue.input === undefined) return 'is missing';
  if (issue.expected === 'int') return 'must be a whole number';
  return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
}

function firstProblem(schema: z.ZodType, value: unknown, prefix: string): string | null {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  const path = fieldPath([...(prefix ? [prefix] : []), ...issue.path]);
  return `${path || '(message)'} ${ruleOf(issue)}`;
}

function propertiesSchema(message: SegmentMessage, origin: MessageOrigin): z.ZodType | undefined {
  if (message.type === 'page' || origin === 'browser') return commonProperties;
  return message.type === 'track' ? (specPropertiesByEvent.get(message.event ?? '') ?? commonProperties) : undefined;
}

/**
 * The first rule the message breaks, as `spec: <event>: <path> <rule>` (e.g. `spec: Order Completed:
 * properties.currency is not an ISO 4217 currency code`), or null when it keeps them all. Pure.
 */
export function specViolation(message: SegmentMessage, origin: MessageOrigin): string | null {
  const call = specCalls[message.type];
  const problem = call === undefined ? `type ${JSON.stringify(message.type)} is not a Segment call type` : firstProblem(call, message, '');
  const properties = problem === null ? propertiesSchema(message, origin) : undefined;
  const found = problem ?? (properties === undefined ? null : firstProblem(properties, message.properties ?? {}, 'properties'));
  return found === null ? null : `${prefix}${specEventName(message)}: ${found}`;
}
