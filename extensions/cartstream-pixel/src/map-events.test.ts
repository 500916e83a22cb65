import { describe, expect, it } from 'vitest';
import {
  addressInfoSubmitted, cartViewed, checkoutCompleted, checkoutStarted, collectionViewed, contactInfoSubmitted, pageViewed,
  paymentInfoSubmitted, productAddedToCart, productRemovedFromCart, productViewed, sampleCartToken, sampleCheckoutToken, sampleClientId,
  sampleOrderId, searchSubmitted, shippingInfoSubmitted,
} from '../../../test/browser/shopify-pixel-events.ts';
import { mapStandardEvent, pixelEvents, type MapOptions } from './map-events.js';

const allowed: MapOptions = { privacy: { analyticsProcessingAllowed: true, marketingAllowed: true, saleOfDataAllowed: true }, cartToken: sampleCartToken };

const trailJacket = {
  product_id: '8123456789012', sku: 'TJ-NAVY-M', name: 'Trail Jacket', variant: 'Navy / M', brand: 'Northwind', category: 'Jackets', price: 129.5,
  url: 'https://outfitters.example/products/trail-jacket', image_url: 'https://outfitters.example/cdn/shop/files/trail-jacket.jpg?v=1',
  shopify_product_id: '8123456789012', shopify_variant_id: '44012345678901',
};
const campMug = {
  product_id: '8123456789013', sku: 'CM-ENAMEL', name: 'Camp Mug', variant: 'Default Title', brand: 'Northwind', category: 'Kitchen', price: 18,
  url: 'https://outfitters.example/products/camp-mug', image_url: 'https://outfitters.example/cdn/shop/files/camp-mug.jpg?v=1',
  shopify_product_id: '8123456789013', shopify_variant_id: '44012345678902',
};

describe('mapStandardEvent', () => {
  it('turns page_viewed into a page call from the clientId, with the page and the ttclid of its URL', () => {
    const event = pageViewed();
    const call = mapStandardEvent(event, allowed);
    expect(call).toStrictEqual({
      type: 'page', messageId: `shopify-pixel-${event.id}`, anonymousId: sampleClientId, timestamp: event.timestamp,
      properties: { url: 'https://outfitters.example/collections/jackets?ttclid=E.C.P.tt-click-1', path: '/collections/jackets', search: '?ttclid=E.C.P.tt-click-1', referrer: 'https://outfitters.example/', title: 'Jackets' },
      context: {
        library: { name: 'cartstream-web-pixel', version: '0.1.0' },
        page: { url: 'https://outfitters.example/collections/jackets?ttclid=E.C.P.tt-click-1', path: '/collections/jackets', search: '?ttclid=E.C.P.tt-click-1', referrer: 'https://outfitters.example/', title: 'Jackets' },
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36', locale: 'en-GB', cart_token: sampleCartToken,
        ttclid: 'E.C.P.tt-click-1', consent: { marketing: true },
      },
    });
  });

  it('maps product_viewed to Product Viewed with the spec product properties and absolute URLs', () => {
    const call = mapStandardEvent(productViewed(), allowed);
    expect(call?.event).toBe('Product Viewed');
    expect(call?.properties).toStrictEqual({ ...trailJacket, currency: 'GBP' });
  });

  it('maps collection_viewed to Product List Viewed with list_id, list_name and positions', () => {
    expect(mapStandardEvent(collectionViewed(), allowed)?.properties).toStrictEqual({
      list_id: '301234567890', list_name: 'Jackets', currency: 'GBP',
      products: [{ ...trailJacket, position: 1 }, { ...campMug, position: 2 }],
    });
  });

  it('maps search_submitted to Products Searched with the query', () => {
    const call = mapStandardEvent(searchSubmitted(), allowed);
    expect(call).toMatchObject({ event: 'Products Searched', properties: { query: 'mug', products: [{ ...campMug, position: 1 }] } });
  });

  it('maps cart changes to Product Added / Removed with the quantity and the cart token from the cookie', () => {
    expect(mapStandardEvent(productAddedToCart(), allowed)).toMatchObject({
      event: 'Product Added', properties: { ...trailJacket, quantity: 2, cart_id: sampleCartToken, currency: 'GBP' }, context: { cart_token: sampleCartToken },
    });
    expect(mapStandardEvent(productRemovedFromCart(), allowed)).toMatchObject({ event: 'Product Removed', properties: { ...campMug, quantity: 1, cart_id: sampleCartToken } });
  });

  it('names the cart of Cart Viewed by its bare token, as webhooks do', () => {
    const call = mapStandardEvent(cartViewed(), { ...allowed, cartToken: undefined });
    expect(call?.properties).toStrictEqual({
      cart_id: sampleCartToken, value: 277, currency: 'GBP', products: [{ ...trailJacket, quantity: 2 }, { ...campMug, quantity: 1 }],
    });
  });

  it('maps checkout_started to Checkout Started with the order-level amounts, coupon and market, and the checkout token in context', () => {
    const call = mapStandardEvent(checkoutStarted(), allowed);
    expect(call?.event).toBe('Checkout Started');
    expect(call?.properties).toStrictEqual({
      checkout_id: sampleCheckoutToken, value: 238.05, total: 238.05, subtotal: 233.1, revenue: 233.1, shipping: 4.95, tax: 39.68, discount: 25.9,
      coupon: 'WELCOME10', currency: 'GBP', shipping_method: 'Standard', market_handle: 'uk', market_id: '12345',
      products: [{ ...trailJacket, quantity: 2 }],
    });
    expect(call?.context.checkout_token).toBe(sampleCheckoutToken);
  });

  it.each([
    ['contact info', contactInfoSubmitted, 'Checkout Step Completed', 1],
    ['address', addressInfoSubmitted, 'Checkout Step Viewed', 2],
    ['delivery option', shippingInfoSubmitted, 'Checkout Step Completed', 2],
  ] as const)('maps the submitted %s to %s with step %i, numbered as the server numbers steps', (_name, build, event, step) => {
    const call = mapStandardEvent(build(), allowed);
    expect(call).toMatchObject({ event, properties: { checkout_id: sampleCheckoutToken, step } });
  });

  it('maps payment_info_submitted to Payment Info Entered', () => {
    expect(mapStandardEvent(paymentInfoSubmitted(), allowed)).toMatchObject({ event: 'Payment Info Entered', properties: { checkout_id: sampleCheckoutToken } });
  });

  it('maps checkout_completed to Thankyou Page Viewed with the order id, never to Order Completed', () => {
    const call = mapStandardEvent(checkoutCompleted(), allowed);
    expect(call).toMatchObject({ event: 'Thankyou Page Viewed', properties: { order_id: sampleOrderId, total: 238.05, payment_method: 'visa' } });
    expect(Object.values(pixelEvents)).not.toContain('Order Completed');
  });

  it('strips a GID from the order id so it matches the webhook order id', () => {
    expect(mapStandardEvent(checkoutCompleted(`gid://shopify/Order/${sampleOrderId}`), allowed)?.properties.order_id).toBe(sampleOrderId);
  });

  it('sends nothing without analytics consent', () => {
    const withheld: MapOptions = { privacy: { analyticsProcessingAllowed: false, marketingAllowed: true } };
    expect(mapStandardEvent(productViewed(), withheld)).toBeNull();
    expect(mapStandardEvent(checkoutCompleted(), withheld)).toBeNull();
  });

  it.each([
    ['marketing withheld', { analyticsProcessingAllowed: true, marketingAllowed: false, saleOfDataAllowed: true }],
    ['sale of data withheld', { analyticsProcessingAllowed: true, marketingAllowed: true, saleOfDataAllowed: false }],
  ])('marks the call marketing: false when %s, so the server leaves TikTok out', (_name, privacy) => {
    expect(mapStandardEvent(productAddedToCart(), { ...allowed, privacy })?.context.consent).toStrictEqual({ marketing: false });
  });

  it('skips disabled events and events it does not map', () => {
    expect(mapStandardEvent(productViewed(), { ...allowed, disabledEvents: ['Product Viewed'] })).toBeNull();
    expect(mapStandardEvent({ name: 'clicked' }, allowed)).toBeNull();
    expect(mapStandardEvent({ name: 'toString' }, allowed)).toBeNull();
  });

  it('puts the TikTok ids it was given into the context', () => {
    const call = mapStandardEvent(productViewed(), { ...allowed, ttp: 'ttp-cookie-1', ttclid: 'stored-click' });
    expect(call?.context).toMatchObject({ ttp: 'ttp-cookie-1', ttclid: 'stored-click' });
  });
});
