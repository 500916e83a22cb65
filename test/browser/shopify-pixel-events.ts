/**
 * Shopify standard customer events as a web pixel receives them, typed with Shopify's own definitions from
 * `@shopify/web-pixels-extension` (so tsc rejects a sample whose shape drifts from Shopify's). Ids are the plain
 * numeric strings the pixel API uses; the cart id is the GID-with-key form Shopify gives carts.
 */
import {
  EventType,
  type Checkout, type CheckoutLineItem, type Context, type PixelEventsCartViewed, type PixelEventsCheckoutAddressInfoSubmitted,
  type PixelEventsCheckoutCompleted, type PixelEventsCheckoutContactInfoSubmitted, type PixelEventsCheckoutShippingInfoSubmitted,
  type PixelEventsCheckoutStarted, type PixelEventsCollectionViewed, type PixelEventsPageViewed, type PixelEventsPaymentInfoSubmitted,
  type PixelEventsProductAddedToCart, type PixelEventsProductRemovedFromCart, type PixelEventsProductViewed,
  type PixelEventsSearchSubmitted, type ProductVariant,
} from '@shopify/web-pixels-extension';

export const sampleClientId = 'a1b2c3d4-0f9e-4d2c-9a8b-7c6d5e4f3a2b';
export const sampleCartToken = 'Z2NwLWV1cm9wZS13ZXN0NDowMUpCN0Q5';
export const sampleCheckoutToken = '5c1f2b3e4d6a7b8c9d0e1f2a3b4c5d6e';
export const sampleOrderId = '5820412395678';
const origin = 'https://outfitters.example';

function location(path: string, search = ''): Context['document']['location'] {
  return { hash: '', host: 'outfitters.example', hostname: 'outfitters.example', href: `${origin}${path}${search}`, origin, pathname: path, port: '', protocol: 'https:', search };
}

/** The browser snapshot Shopify attaches to each event. */
export function sampleContext(path: string, search = '', title = 'Outfitters'): Context {
  const loc = location(path, search);
  return {
    document: { characterSet: 'UTF-8', location: loc, referrer: `${origin}/`, title },
    navigator: { cookieEnabled: true, language: 'en-GB', languages: ['en-GB', 'en'], userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36' },
    window: {
      innerHeight: 900, innerWidth: 1400, location: loc, origin, outerHeight: 1000, outerWidth: 1400, pageXOffset: 0, pageYOffset: 0,
      screen: { height: 1080, width: 1920 }, screenX: 0, screenY: 0, scrollX: 0, scrollY: 0,
    },
  };
}

export const trailJacketVariant: ProductVariant = {
  id: '44012345678901',
  image: { src: '//outfitters.example/cdn/shop/files/trail-jacket.jpg?v=1' },
  price: { amount: 129.5, currencyCode: 'GBP' },
  product: { id: '8123456789012', title: 'Trail Jacket', type: 'Jackets', untranslatedTitle: 'Trail Jacket', url: '/products/trail-jacket', vendor: 'Northwind' },
  sku: 'TJ-NAVY-M',
  title: 'Navy / M',
  untranslatedTitle: 'Navy / M',
};

export const campMugVariant: ProductVariant = {
  id: '44012345678902',
  image: { src: '//outfitters.example/cdn/shop/files/camp-mug.jpg?v=1' },
  price: { amount: 18, currencyCode: 'GBP' },
  product: { id: '8123456789013', title: 'Camp Mug', type: 'Kitchen', untranslatedTitle: 'Camp Mug', url: '/products/camp-mug', vendor: 'Northwind' },
  sku: 'CM-ENAMEL',
  title: 'Default Title',
  untranslatedTitle: 'Default Title',
};

let sequence = 0;

/** The envelope every standard event shares; `id` is Shopify's event id. */
function envelope(name: string, context: Context) {
  sequence += 1;
  return { clientId: sampleClientId, context, id: `sh-${name}-${sequence}`, seq: sequence, timestamp: `2026-11-22T10:${String(sequence % 60).padStart(2, '0')}:00.000Z`, type: EventType.Standard } as const;
}

export function pageViewed(): PixelEventsPageViewed {
  return { ...envelope('page_viewed', sampleContext('/collections/jackets', '?ttclid=E.C.P.tt-click-1', 'Jackets')), name: 'page_viewed', data: {} };
}

export function productViewed(): PixelEventsProductViewed {
  return { ...envelope('product_viewed', sampleContext('/products/trail-jacket')), name: 'product_viewed', data: { productVariant: trailJacketVariant } };
}

export function collectionViewed(): PixelEventsCollectionViewed {
  return {
    ...envelope('collection_viewed', sampleContext('/collections/jackets')), name: 'collection_viewed',
    data: { collection: { id: '301234567890', title: 'Jackets', productVariants: [trailJacketVariant, campMugVariant] } },
  };
}

export function searchSubmitted(): PixelEventsSearchSubmitted {
  return { ...envelope('search_submitted', sampleContext('/search', '?q=mug')), name: 'search_submitted', data: { searchResult: { query: 'mug', productVariants: [campMugVariant] } } };
}

export function productAddedToCart(): PixelEventsProductAddedToCart {
  return {
    ...envelope('product_added_to_cart', sampleContext('/products/trail-jacket')), name: 'product_added_to_cart',
    data: { cartLine: { cost: { totalAmount: { amount: 259, currencyCode: 'GBP' } }, merchandise: trailJacketVariant, quantity: 2 } },
  };
}

export function productRemovedFromCart(): PixelEventsProductRemovedFromCart {
  return {
    ...envelope('product_removed_from_cart', sampleContext('/cart')), name: 'product_removed_from_cart',
    data: { cartLine: { cost: { totalAmount: { amount: 18, currencyCode: 'GBP' } }, merchandise: campMugVariant, quantity: 1 } },
  };
}

export function cartViewed(): PixelEventsCartViewed {
  return {
    ...envelope('cart_viewed', sampleContext('/cart')), name: 'cart_viewed',
    data: {
      cart: {
        attributes: [], cost: { totalAmount: { amount: 277, currencyCode: 'GBP' } }, id: `gid://shopify/Cart/${sampleCartToken}?key=7f3a9c`, totalQuantity: 3,
        lines: [
          { cost: { totalAmount: { amount: 259, currencyCode: 'GBP' } }, merchandise: trailJacketVariant, quantity: 2 },
          { cost: { totalAmount: { amount: 18, currencyCode: 'GBP' } }, merchandise: campMugVariant, quantity: 1 },
        ],
      },
    },
  };
}

function lineItem(variant: ProductVariant, quantity: number): CheckoutLineItem {
  return {
    discountAllocations: [], finalLinePrice: { amount: variant.price.amount * quantity, currencyCode: 'GBP' }, id: `gid://shopify/CheckoutLineItem/${variant.id}`,
    properties: [], quantity, sellingPlanAllocation: null, title: variant.product.title, variant,
  };
}

/** A checkout at its last step; earlier events carry the same object with less filled in. */
export function sampleCheckout(orderId: string | null = null): Checkout {
  return {
    attributes: [], billingAddress: null, buyerAcceptsEmailMarketing: false, buyerAcceptsSmsMarketing: false, currencyCode: 'GBP',
    delivery: { selectedDeliveryOptions: [{ cost: { amount: 4.95, currencyCode: 'GBP' }, costAfterDiscounts: { amount: 4.95, currencyCode: 'GBP' }, description: null, handle: 'standard', title: 'Standard', type: 'shipping' }] },
    discountApplications: [{ allocationMethod: 'ACROSS', targetSelection: 'ALL', targetType: 'LINE_ITEM', title: 'WELCOME10', type: 'DISCOUNT_CODE', value: { percentage: 10 } }],
    discountsAmount: { amount: 25.9, currencyCode: 'GBP' }, email: null, lineItems: [lineItem(trailJacketVariant, 2)],
    localization: { country: { isoCode: 'GB' }, language: { isoCode: 'en' }, market: { handle: 'uk', id: 'gid://shopify/Market/12345' } },
    order: orderId === null ? null : { customer: { id: '7001', isFirstOrder: true }, id: orderId },
    phone: null, shippingAddress: null, shippingLine: { price: { amount: 4.95, currencyCode: 'GBP' } }, smsMarketingPhone: null,
    subtotalPrice: { amount: 233.1, currencyCode: 'GBP' }, token: sampleCheckoutToken, totalPrice: { amount: 238.05, currencyCode: 'GBP' },
    totalTax: { amount: 39.68, currencyCode: 'GBP' },
    transactions: orderId === null ? [] : [{ amount: { amount: 238.05, currencyCode: 'GBP' }, gateway: 'shopify_payments', paymentMethod: { name: 'visa', type: 'creditCard' } }],
  };
}

const checkoutPath = `/checkouts/cn/${sampleCheckoutToken}`;

export function checkoutStarted(): PixelEventsCheckoutStarted {
  return { ...envelope('checkout_started', sampleContext(checkoutPath)), name: 'checkout_started', data: { checkout: sampleCheckout() } };
}

export function contactInfoSubmitted(): PixelEventsCheckoutContactInfoSubmitted {
  return { ...envelope('checkout_contact_info_submitted', sampleContext(checkoutPath)), name: 'checkout_contact_info_submitted', data: { checkout: sampleCheckout() } };
}

export function addressInfoSubmitted(): PixelEventsCheckoutAddressInfoSubmitted {
  return { ...envelope('checkout_address_info_submitted', sampleContext(checkoutPath)), name: 'checkout_address_info_submitted', data: { checkout: sampleCheckout() } };
}

export function shippingInfoSubmitted(): PixelEventsCheckoutShippingInfoSubmitted {
  return { ...envelope('checkout_shipping_info_submitted', sampleContext(checkoutPath)), name: 'checkout_shipping_info_submitted', data: { checkout: sampleCheckout() } };
}

export function paymentInfoSubmitted(): PixelEventsPaymentInfoSubmitted {
  return { ...envelope('payment_info_submitted', sampleContext(checkoutPath)), name: 'payment_info_submitted', data: { checkout: sampleCheckout() } };
}

export function checkoutCompleted(orderId = sampleOrderId): PixelEventsCheckoutCompleted {
  return { ...envelope('checkout_completed', sampleContext(`${checkoutPath}/thank-you`)), name: 'checkout_completed', data: { checkout: sampleCheckout(orderId) } };
}
