import type { SegmentMessage } from '../../pipeline/segment-message.ts';

/**
 * Order Completed as cartstream's mapper produced it from Shopify's orders/create documentation sample
 * (/work/shared/fixtures/shopify/samples/orders_create.json), with the browser's IP and user agent that a real web
 * order carries (the sample has none). Kept as a literal so these tests do not move when the mapper is reworked.
 */
export function sampleOrderCompleted(): SegmentMessage {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId: 'cs-26b0f749246b0358525ea52a196b0785',
    timestamp: '2022-01-01T00:00:00.000Z',
    userId: '115310627314723954',
    anonymousId: 'a72e8ae4-1c6a-8af2-88d8-103fbc74ef4d',
    properties: {
      order_id: '820982911946154508',
      email: 'jon@example.com',
      total: 404.95,
      subtotal: 404.95,
      revenue: 394.95,
      shipping: 10,
      tax: 0,
      discount: 20,
      currency: 'USD',
      presentment_currency: 'USD',
      presentment_total: 404.95,
      payment_method: 'visa, bogus',
      shipping_method: 'Generic Shipping',
      products: [
        { product_id: '788032119674292900', shopify_product_id: '788032119674292900', sku: 'SKU2006-001', name: 'Aviator sunglasses', category: 'all', price: 89.99, quantity: 1, position: 1 },
        { sku: 'LENS-PROTECT-2YR', name: 'Lens Protection Plan (2 Year)', category: 'all', price: 19.99, quantity: 1, position: 2 },
        { sku: 'CASE-LEATHER-PREM', name: 'Premium Leather Case', category: 'all', price: 24.99, quantity: 1, position: 3 },
        { product_id: '788032119674292900', shopify_product_id: '788032119674292900', sku: 'SKU2006-020', name: 'Mid-century lounger', category: 'all', price: 159.99, quantity: 1, position: 4 },
        { product_id: '788032119674292900', shopify_product_id: '788032119674292900', sku: 'SKU2006-035', name: 'Coffee table', category: 'all', price: 119.99, quantity: 1, position: 5 },
      ],
    },
    context: {
      integration: { name: 'shopify_cartstream' },
      ip: '203.0.113.9',
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)',
    },
  };
}
