import type { CatalogProduct, CatalogVariant } from './catalog.ts';
import type { CurrencyCode } from './money.ts';
import type { Person } from './people.ts';
import type { Discount, PricedOrder, TaxPolicy } from './pricing.ts';

/** The simulator's own model of the store; payload builders turn it into Shopify's webhook shapes. */

/** Shopify's `source_name` of an order. */
export type Channel = 'web' | 'pos' | 'shopify_draft_order' | 'iphone';

export interface ShopContext {
  domain: string;
  /** The shop's numeric id as it appears in order status URLs. */
  numericId: number;
  utcOffsetMinutes: number;
}

export interface CustomerRecord {
  id: bigint;
  addressId: bigint;
  person: Person;
  createdAtMs: number;
  /** "enabled" once the customer has an account; guest-checkout customers are "disabled". */
  state: 'enabled' | 'disabled';
  acceptsMarketing: boolean;
  /** The storefront id of the shopper's last web session (a returning shopper may come back on it). */
  lastAnonymousId: string | null;
}

export interface BasketLine {
  product: CatalogProduct;
  variant: CatalogVariant;
  quantity: number;
}

export interface CartModel {
  token: string;
  currency: CurrencyCode;
  createdAtMs: number;
}

export interface ShippingChoice {
  title: string;
  code: string;
  price: number;
}

export interface CheckoutModel {
  id: bigint;
  token: string;
  cartToken: string;
  currency: CurrencyCode;
  lines: readonly BasketLine[];
  person: Person;
  customer: CustomerRecord | null;
  anonymousId: string | null;
  discount: Discount | null;
  tax: TaxPolicy;
  shipping: ShippingChoice;
  createdAtMs: number;
  landingSite: string;
  referringSite: string | null;
  acceptsMarketing: boolean;
}

/** How far the shopper got when a checkouts/* webhook fired. */
export type CheckoutStage = 'contact' | 'shipping' | 'completed';

export interface OrderLine extends BasketLine {
  id: bigint;
}

export interface ClientDetails {
  browserIp: string;
  userAgent: string;
  acceptLanguage: string;
  landingSite: string;
  referringSite: string | null;
}

export interface OrderModel {
  id: bigint;
  number: number;
  token: string;
  confirmationNumber: string;
  createdAtMs: number;
  channel: Channel;
  currency: CurrencyCode;
  person: Person;
  customer: CustomerRecord | null;
  email: string | null;
  lines: readonly OrderLine[];
  discount: Discount | null;
  shipping: (ShippingChoice & { id: bigint }) | null;
  tax: TaxPolicy;
  priced: PricedOrder;
  financialStatus: 'paid' | 'pending';
  gateway: string;
  checkout: { id: bigint; token: string } | null;
  cartToken: string | null;
  /** Written by the storefront into the cart's attributes; web orders carry it as a note attribute. */
  anonymousId: string | null;
  client: ClientDetails | null;
  locationId: bigint | null;
  /** Staff member and POS device of in-person sales. */
  userId: number | null;
  deviceId: number | null;
  saleTransactionId: bigint;
  acceptsMarketing: boolean;
}

export interface RefundLine {
  id: bigint;
  line: OrderLine;
  quantity: number;
  /** After the line's discount; for tax-included prices it contains the tax. */
  subtotal: number;
  tax: number;
}

export interface RefundModel {
  id: bigint;
  order: OrderModel;
  createdAtMs: number;
  lines: readonly RefundLine[];
  /** Shipping refunded on a full refund (an order adjustment of kind shipping_refund). */
  shipping: { adjustmentId: bigint; amount: number; tax: number } | null;
  transactionId: bigint;
  /** What goes back to the buyer: the refund transaction's amount. */
  amount: number;
  note: string | null;
  restock: boolean;
}
