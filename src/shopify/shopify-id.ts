const gidPattern = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/;

/** The numeric id inside a GraphQL global id of the given type ("gid://shopify/Order/820982911946154508"). */
export function idFromGid(gid: string | null | undefined, type: string): string | undefined {
  const match = gid == null ? null : gidPattern.exec(gid);
  return match !== null && match[1] === type ? match[2] : undefined;
}

/**
 * A resource's exact id: the GraphQL id when it is well-formed, else the REST id. Why the gid first: a body that
 * went through a plain JSON.parse/stringify somewhere (Shopify's own doc samples did) has its 18-digit REST id
 * rounded, while the gid string is always exact.
 */
export function exactShopifyId(
  restId: string | null | undefined,
  gid: string | null | undefined,
  type: string,
): string | undefined {
  return idFromGid(gid, type) ?? restId ?? undefined;
}
