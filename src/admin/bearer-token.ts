import { createHash, timingSafeEqual } from 'node:crypto';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Returns a check of an `Authorization` header against the admin token. Both sides are hashed first, so
 * timingSafeEqual compares equal-length digests and the time taken reveals neither the token nor its length.
 */
export function bearerTokenCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = sha256(token);
  return (authorization) => {
    const presented = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
    return presented !== undefined && timingSafeEqual(sha256(presented), expected);
  };
}
