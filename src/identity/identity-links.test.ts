import { describe, expect, it } from 'vitest';
import { bareToken, browserLinks, serverLinkKeys } from './identity-links.ts';

const shop = 'links.myshopify.com';

describe('bareToken', () => {
  it.each([
    ['c1-7a1f0e6b3d', 'c1-7a1f0e6b3d'],
    ['gid://shopify/Cart/c1-7a1f0e6b3d?key=9f8e7d', 'c1-7a1f0e6b3d'],
    ['gid://shopify/Checkout/ab12cd?key=x', 'ab12cd'],
    ['  hWN1abc  ', 'hWN1abc'],
    [12345, '12345'],
  ])('reads %j as the token webhooks carry (%s)', (value, token) => {
    expect(bareToken(value)).toBe(token);
  });

  it.each([null, undefined, '', '   ', {}, ['x']])('finds no token in %j', (value) => {
    expect(bareToken(value)).toBeUndefined();
  });
});

describe('serverLinkKeys', () => {
  it("looks up an order by its cart token first, then by its checkout token", () => {
    expect(serverLinkKeys(shop, 'orders/create', { cart_token: 'cart-1', checkout_token: 'co-1' })).toEqual([
      { shop, kind: 'cart', token: 'cart-1' }, { shop, kind: 'checkout', token: 'co-1' },
    ]);
  });

  it('looks up a checkout by its cart token and its own token, and a cart by its token', () => {
    expect(serverLinkKeys(shop, 'checkouts/update', { cart_token: null, token: 'co-2' })).toEqual([{ shop, kind: 'checkout', token: 'co-2' }]);
    expect(serverLinkKeys(shop, 'carts/update', { token: 'cart-3' })).toEqual([{ shop, kind: 'cart', token: 'cart-3' }]);
  });

  it('looks nothing up for topics without a cart, or a body that is not an object', () => {
    expect(serverLinkKeys(shop, 'customers/update', { cart_token: 'x' })).toEqual([]);
    expect(serverLinkKeys(shop, 'orders/create', [1, 2])).toEqual([]);
    expect(serverLinkKeys(shop, 'orders/create', null)).toEqual([]);
  });
});

describe('browserLinks', () => {
  it("links every cart and checkout token a storefront call carries to its anonymousId, once each", () => {
    const call = {
      type: 'track', event: 'Product Added', anonymousId: 'anon-1',
      properties: { cart_id: 'gid://shopify/Cart/cart-1?key=k', checkout_token: 'co-1' },
      context: { cart_token: 'cart-1' },
    };
    expect(browserLinks(shop, call, 5)).toEqual([
      { shop, kind: 'cart', token: 'cart-1', anonymousId: 'anon-1', linkedAt: 5 },
      { shop, kind: 'checkout', token: 'co-1', anonymousId: 'anon-1', linkedAt: 5 },
    ]);
  });

  it('links nothing without an anonymousId (a userId alone is not the browser) or without a token', () => {
    expect(browserLinks(shop, { type: 'track', userId: 'u1', properties: { cart_id: 'c' } }, 5)).toEqual([]);
    expect(browserLinks(shop, { type: 'page', anonymousId: 'anon-1', properties: {} }, 5)).toEqual([]);
    expect(browserLinks(shop, 'not a call', 5)).toEqual([]);
  });
});
