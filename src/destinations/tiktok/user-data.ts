import type { SegmentMessage } from '../../pipeline/segment-message.ts';
import { hashEmail, hashExternalId, hashPhone } from './hashing.ts';
import { bagOf, firstText, nonEmpty, textOf, type Bag } from './read-values.ts';

/** The `ttclid` query parameter of a landing URL (absolute, or a path like Shopify's `landing_site`). */
export function ttclidFromUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return textOf(new URL(url, 'https://landing.invalid').searchParams.get('ttclid'));
  } catch {
    return undefined;
  }
}

function ttclidOf(context: Bag, properties: Bag): string | undefined {
  const page = bagOf(context.page) ?? {};
  return firstText(context.ttclid, properties.ttclid)
    ?? ttclidFromUrl(firstText(properties.landing_site, page.url));
}

/**
 * TikTok's `user` object: email, phone and external_id (the userId) hashed as TikTok requires; ttp, ttclid, ip,
 * user_agent and locale in clear, as TikTok requires. Undefined when nothing is known about the user.
 */
export function tiktokUser(message: SegmentMessage): Bag | undefined {
  const context = bagOf(message.context) ?? {};
  const properties = bagOf(message.properties) ?? {};
  const traits = bagOf(context.traits) ?? {};
  const email = firstText(properties.email, traits.email);
  const phone = firstText(properties.phone, traits.phone);
  const userId = textOf(message.userId);
  return nonEmpty({
    email: email === undefined ? undefined : hashEmail(email),
    phone: phone === undefined ? undefined : hashPhone(phone),
    external_id: userId === undefined ? undefined : hashExternalId(userId),
    ttp: firstText(context.ttp, properties.ttp),
    ttclid: ttclidOf(context, properties),
    ip: textOf(context.ip),
    user_agent: textOf(context.userAgent),
    locale: textOf(context.locale),
  });
}
