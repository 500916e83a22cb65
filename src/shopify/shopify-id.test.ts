import { describe, expect, it } from 'vitest';
import { exactShopifyId, idFromGid } from './shopify-id.ts';

describe('shopify ids', () => {
  it('reads the numeric id of a GraphQL id of the expected type only', () => {
    expect(idFromGid('gid://shopify/Order/820982911946154508', 'Order')).toBe('820982911946154508');
    expect(idFromGid('gid://shopify/Customer/115310627314723954', 'Order')).toBeUndefined();
    expect(idFromGid('https://www.example.com/', 'Order')).toBeUndefined();
    expect(idFromGid(null, 'Order')).toBeUndefined();
  });

  it('prefers the exact GraphQL id over a REST id that may have been rounded', () => {
    expect(exactShopifyId('820982911946154500', 'gid://shopify/Order/820982911946154508', 'Order')).toBe(
      '820982911946154508',
    );
    expect(exactShopifyId('123', 'https://www.example.com/', 'Order')).toBe('123');
    expect(exactShopifyId(undefined, undefined, 'Order')).toBeUndefined();
  });
});
