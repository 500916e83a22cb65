import { createHmac, timingSafeEqual } from 'node:crypto';

/** Shopify's webhook signature: base64 HMAC-SHA256 of the raw body with the app's secret. */
export function signShopifyBody(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * True when `signature` matches the body under any of `secrets` (several during rotation).
 * Compares digests in constant time; every secret is tried so timing does not reveal which one matched.
 */
export function verifyShopifyHmac(body: Buffer, signature: string, secrets: readonly string[]): boolean {
  const given = Buffer.from(signature, 'base64');
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    const sameLength = given.length === expected.length;
    // timingSafeEqual needs equal lengths; compare against itself to spend the same time when they differ.
    const equal = timingSafeEqual(sameLength ? given : expected, expected) && sameLength;
    matched = equal || matched;
  }
  return matched;
}
