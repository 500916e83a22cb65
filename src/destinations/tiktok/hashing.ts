import { createHash } from 'node:crypto';

const sha256Hex = /^[0-9a-f]{64}$/i;

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A value someone already hashed (64 hex digits) is passed through, lowercased, instead of being hashed twice. */
function hashUnlessHashed(normalised: string): string {
  return sha256Hex.test(normalised) ? normalised.toLowerCase() : sha256(normalised);
}

/** TikTok's rule: trim, lowercase, then SHA-256. Undefined for an empty value. */
export function hashEmail(email: string): string | undefined {
  const normalised = email.trim().toLowerCase();
  return normalised === '' ? undefined : hashUnlessHashed(normalised);
}

/**
 * A phone number in E.164 (`+` and 8–15 digits, no spaces or symbols), or undefined when it cannot be one. `00`
 * is the international prefix; a number starting with a single 0 is in national format, and without its country
 * we cannot know the code, so it is left out rather than hashed wrong. TikTok suggests libphonenumber for this;
 * without country context it could not do more for us than these rules.
 */
export function e164(phone: string): string | undefined {
  // "+44 (0)20 …": the (0) is the national trunk prefix, which E.164 drops.
  const trimmed = phone.trim().replace(/\(0\)/g, '');
  const digits = trimmed.replace(/\D/g, '');
  const hasPlus = /^\(?\+/.test(trimmed);
  if (!hasPlus && digits.startsWith('00')) return e164(`+${digits.slice(2)}`);
  if (!hasPlus && digits.startsWith('0')) return undefined;
  return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : undefined;
}

/** TikTok's rule: E.164, then SHA-256. */
export function hashPhone(phone: string): string | undefined {
  if (sha256Hex.test(phone.trim())) return phone.trim().toLowerCase();
  const normalised = e164(phone);
  return normalised === undefined ? undefined : sha256(normalised);
}

/** The merchant's own customer id, trimmed, then SHA-256 (ids are case-sensitive, so no lowercasing). */
export function hashExternalId(id: string): string | undefined {
  const normalised = id.trim();
  return normalised === '' ? undefined : hashUnlessHashed(normalised);
}
