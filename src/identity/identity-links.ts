/**
 * The identity links between the storefront and the server: a browser event that names a cart or checkout token
 * records token → the browser's anonymousId; a later webhook about that cart or checkout (an order, a checkout, a
 * cart update) is mapped with that anonymousId even when the cart attribute never arrived (the "Buy Now" race, or
 * a theme without the app embed). Pure: the pipeline does the lookups and the store keeps the links.
 */
import type { IdentityLink, LinkKey, LinkTokenKind } from '../store/store.ts';

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/**
 * A token as webhooks spell it. The web pixel names a cart by its GID with a key (`gid://shopify/Cart/<token>?key=…`
 * or the newer `hWN…` form); webhooks carry the bare token.
 */
export function bareToken(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  let token = String(value).trim();
  const gid = /^gid:\/\/shopify\/(?:Cart|Checkout)\/(.+)$/.exec(token);
  if (gid) token = gid[1]!;
  token = token.split('?')[0]!;
  return token === '' ? undefined : token;
}

/** The tokens a server payload is about, most specific first: the cart's, then the checkout's. */
export function serverLinkKeys(shop: string, topic: string, payload: unknown): LinkKey[] {
  const body = record(payload);
  if (body === undefined) return [];
  const keys: LinkKey[] = [];
  const add = (kind: LinkTokenKind, value: unknown): void => {
    const token = bareToken(value);
    if (token !== undefined) keys.push({ shop, kind, token });
  };
  const resource = topic.split('/')[0];
  if (resource === 'orders') {
    add('cart', body.cart_token);
    add('checkout', body.checkout_token);
  } else if (resource === 'checkouts') {
    add('cart', body.cart_token);
    add('checkout', body.token);
  } else if (resource === 'carts') {
    add('cart', body.token);
  }
  return keys;
}

/**
 * The links a storefront call records: its anonymousId with each cart token (`properties.cart_id`,
 * `context.cart_token`) and checkout token (`properties.checkout_token`, `context.checkout_token`) it carries.
 */
export function browserLinks(shop: string, payload: unknown, linkedAt: number): IdentityLink[] {
  const call = record(payload);
  const anonymousId = call?.anonymousId;
  if (call === undefined || typeof anonymousId !== 'string' || anonymousId.trim() === '') return [];
  const properties = record(call.properties) ?? {};
  const context = record(call.context) ?? {};
  const links = new Map<string, IdentityLink>();
  const add = (kind: LinkTokenKind, value: unknown): void => {
    const token = bareToken(value);
    if (token !== undefined && !links.has(`${kind} ${token}`)) {
      links.set(`${kind} ${token}`, { shop, kind, token, anonymousId: anonymousId.trim(), linkedAt });
    }
  };
  add('cart', properties.cart_id);
  add('cart', context.cart_token);
  add('checkout', properties.checkout_token);
  add('checkout', context.checkout_token);
  return [...links.values()];
}
