import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How far the signed time of a timestamp-bound signature may be from now: ReCharge's documented 48 hours. */
export const signatureMaxAgeMs = 48 * 60 * 60 * 1000;

/** ReCharge's legacy `X-Recharge-Hmac-Sha256`: hex sha256 of the API client secret followed by the raw body. */
export function signRechargeBody(body: Buffer | string, secret: string): string {
  return createHash('sha256').update(secret).update(body).digest('hex');
}

/** ReCharge's timestamp-bound `X-Recharge-Webhook-Signature`: `t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signRechargeTimestamped(body: Buffer | string, secret: string, epochSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${epochSeconds}.`).update(body).digest('hex');
  return `t=${epochSeconds},v1=${digest}`;
}

/** The signature headers of one request; the timestamp-bound one wins when both are present. */
export interface RechargeSignatures {
  timestamped?: string | undefined;
  legacy?: string | undefined;
}

/** True when `given` (hex) equals one of the expected digests; every digest is compared, in constant time. */
function matchesAny(given: string, expected: readonly Buffer[]): boolean {
  const givenBytes = Buffer.from(/^[0-9a-f]*$/i.test(given) ? given : '', 'hex');
  let matched = false;
  for (const digest of expected) {
    const sameLength = givenBytes.length === digest.length;
    // timingSafeEqual needs equal lengths; compare against itself to spend the same time when they differ.
    matched = (timingSafeEqual(sameLength ? givenBytes : digest, digest) && sameLength) || matched;
  }
  return matched;
}

function timestampedParts(header: string): { t: number; v1: string } | undefined {
  const parts = new Map(header.split(',').map((pair): [string, string] => {
    const [key = '', value = ''] = pair.trim().split('=', 2);
    return [key, value];
  }));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  return Number.isSafeInteger(t) && v1 ? { t, v1 } : undefined;
}

function verifyTimestamped(body: Buffer, header: string, secrets: readonly string[], nowMs: number): boolean {
  const parts = timestampedParts(header);
  if (parts === undefined || Math.abs(nowMs - parts.t * 1000) > signatureMaxAgeMs) return false;
  return matchesAny(parts.v1, secrets.map((secret) => createHmac('sha256', secret).update(`${parts.t}.`).update(body).digest()));
}

/**
 * True when the request is signed by one of `secrets` (several during a rotation). A timestamp-bound signature is
 * checked when present, with no fallback to the legacy one (ReCharge's guidance), and must be within 48 h of now.
 */
export function verifyRechargeSignature(body: Buffer, signatures: RechargeSignatures, secrets: readonly string[], nowMs: number): boolean {
  if (signatures.timestamped) return verifyTimestamped(body, signatures.timestamped, secrets, nowMs);
  if (!signatures.legacy) return false;
  return matchesAny(signatures.legacy, secrets.map((secret) => createHash('sha256').update(secret).update(body).digest()));
}
