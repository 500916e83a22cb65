/** The cart attribute cartstream's theme embed writes; Shopify copies cart attributes to checkouts and orders. */
export const anonymousIdAttribute = '_cartstream_anonymous_id';

/** note_attributes carrying the storefront's anonymousId, or none when the storefront wrote none. */
export function anonymousIdAttributes(anonymousId: string | null): { name: string; value: string }[] {
  return anonymousId ? [{ name: anonymousIdAttribute, value: anonymousId }] : [];
}
