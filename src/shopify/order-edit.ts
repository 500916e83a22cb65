import { z } from 'zod';
import { parsePayload, type ParsedPayload } from './parse-payload.ts';
import { shopifyId, text } from './schema-parts.ts';

const lineDelta = z.looseObject({ id: shopifyId, delta: z.number().int() });

/** The part of the orders/edited body the Post Purchase Upsell reads: which lines the edit added, by how many. */
export const orderEditSchema = z.looseObject({
  order_edit: z.looseObject({
    id: shopifyId,
    order_id: shopifyId,
    created_at: text,
    committed_at: text,
    line_items: z.looseObject({ additions: z.array(lineDelta).nullish(), removals: z.array(lineDelta).nullish() }),
  }),
});

export type ShopifyOrderEdit = z.infer<typeof orderEditSchema>['order_edit'];

export function parseOrderEdit(payload: unknown): ParsedPayload<ShopifyOrderEdit> {
  const parsed = parsePayload(orderEditSchema, payload);
  return parsed.ok ? { ok: true, value: parsed.value.order_edit } : parsed;
}
