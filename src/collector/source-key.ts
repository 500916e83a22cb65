import { createHash, timingSafeEqual } from 'node:crypto';

/** How a request's source key compares with the shop's: analytics-node sends Basic auth, sendBeacon a body field. */
export type SourceKeyCheck = 'valid' | 'missing' | 'invalid';

/** The username of a Basic Authorization header (Segment's write key goes there, with an empty password). */
function basicUsername(authorization: string | undefined): string | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? decoded : decoded.slice(0, colon);
}

/** Constant-time comparison of digests, so neither the content nor the length of the key leaks through timing. */
function sameKey(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Valid when either the Basic username or the body's `writeKey` is the source key. */
export function checkSourceKey(authorization: string | undefined, bodyWriteKey: unknown, sourceKey: string): SourceKeyCheck {
  const presented = [basicUsername(authorization), typeof bodyWriteKey === 'string' ? bodyWriteKey : undefined]
    .filter((key): key is string => key !== undefined && key.length > 0);
  if (presented.length === 0) return 'missing';
  return presented.some((key) => sameKey(key, sourceKey)) ? 'valid' : 'invalid';
}
