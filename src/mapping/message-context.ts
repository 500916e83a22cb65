/** Names this service in every message's context (Segment sources use context.integration the same way). */
export function integrationContext(): { integration: { name: string } } {
  return { integration: { name: 'shopify_cartstream' } };
}
