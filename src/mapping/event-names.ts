/**
 * Every Segment track event cartstream sends, in one place: its name (Segment Ecommerce Spec v2 where the spec has
 * one, else the names the paid Shopify connectors use) and the messageId kind that makes its ids (see
 * message-id.ts). Mappers refer to these entries, never to literal names. Changing an `idKind` changes every
 * messageId of that event, so Segment would no longer drop re-sent duplicates: don't.
 */
export const specEvents = {
  orderCompleted: { name: 'Order Completed', idKind: 'order-completed' },
  posOrderPlaced: { name: 'POS Order Placed', idKind: 'pos-order-placed' },
  orderPaid: { name: 'Order Paid', idKind: 'order-paid' },
  orderCancelled: { name: 'Order Cancelled', idKind: 'order-cancelled' },
  orderFulfilled: { name: 'Order Fulfilled', idKind: 'order-fulfilled' },
  orderPartiallyFulfilled: { name: 'Order Partially Fulfilled', idKind: 'order-partially-fulfilled' },
  orderRefunded: { name: 'Order Refunded', idKind: 'order-refunded' },
  paymentFailure: { name: 'Payment Failure', idKind: 'payment-failure' },
  customerCreated: { name: 'Customer Created', idKind: 'customer-created' },
  customerUpdated: { name: 'Customer Updated', idKind: 'customer-updated' },
  customerEnabled: { name: 'Customer Enabled', idKind: 'customer-enabled' },
  fulfillmentCreated: { name: 'Fulfillment Created', idKind: 'fulfillment-created' },
  fulfillmentUpdated: { name: 'Fulfillment Updated', idKind: 'fulfillment-updated' },
  checkoutStarted: { name: 'Checkout Started', idKind: 'checkout-started' },
  couponApplied: { name: 'Coupon Applied', idKind: 'coupon-applied' },
  checkoutStepViewed: { name: 'Checkout Step Viewed', idKind: 'checkout-step-viewed' },
  checkoutStepCompleted: { name: 'Checkout Step Completed', idKind: 'checkout-step-completed' },
  paymentInfoEntered: { name: 'Payment Info Entered', idKind: 'payment-info-entered' },
  productCreated: { name: 'Product Created', idKind: 'product-created' },
  productUpdated: { name: 'Product Updated', idKind: 'product-updated' },
  productDeleted: { name: 'Product Deleted', idKind: 'product-deleted' },
  inventoryUpdated: { name: 'Inventory Updated', idKind: 'inventory-updated' },
  // ReCharge subscription events (the names the paid connector's ReCharge connection sends).
  subscriptionCreated: { name: 'Subscription Created', idKind: 'recharge-subscription-created' },
  subscriptionUpdated: { name: 'Subscription Updated', idKind: 'recharge-subscription-updated' },
  subscriptionCancelled: { name: 'Subscription Cancelled', idKind: 'recharge-subscription-cancelled' },
  orderProcessed: { name: 'Order Processed', idKind: 'recharge-order-processed' },
  chargeFailed: { name: 'Charge Failed', idKind: 'recharge-charge-failed' },
  chargeMaxTriesReached: { name: 'Charge Max Tries Reached', idKind: 'recharge-charge-max-tries-reached' },
  paymentMethodUpdated: { name: 'Payment Method Updated', idKind: 'recharge-payment-method-updated' },
  /** ReCharge's customer record changed; its own idKind, so it never shares a messageId with Shopify's. */
  rechargeCustomerUpdated: { name: 'Customer Updated', idKind: 'recharge-customer-updated' },
  orderUpdated: { name: 'Order Updated', idKind: 'order-updated' },
  productAdded: { name: 'Product Added', idKind: 'product-added' },
  productRemoved: { name: 'Product Removed', idKind: 'product-removed' },
  checkoutAbandoned: { name: 'Checkout Abandoned', idKind: 'checkout-abandoned' },
  postPurchaseUpsell: { name: 'Post Purchase Upsell', idKind: 'post-purchase-upsell' },
} as const;

export type SpecEventKey = keyof typeof specEvents;
export type SpecEvent = (typeof specEvents)[SpecEventKey];
