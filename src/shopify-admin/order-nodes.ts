import { z } from 'zod';

/**
 * The Admin GraphQL shapes the backfill queries select (order-queries.ts asks for exactly these fields). Loose
 * objects: a field Shopify adds later passes through; one the query asks for and does not get fails loudly.
 */

const money = z.looseObject({ amount: z.string(), currencyCode: z.string() });
/** A MoneyBag as selected: shop money always, presentment money where the query asks for it. */
export const moneyBagNode = z.looseObject({ shopMoney: money, presentmentMoney: money.nullish() });

export const addressNode = z.looseObject({
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  company: z.string().nullish(),
  address1: z.string().nullish(),
  address2: z.string().nullish(),
  city: z.string().nullish(),
  province: z.string().nullish(),
  provinceCode: z.string().nullish(),
  zip: z.string().nullish(),
  country: z.string().nullish(),
  countryCodeV2: z.string().nullish(),
  phone: z.string().nullish(),
});

const idNode = z.looseObject({ id: z.string() });

export const lineItemNode = z.looseObject({
  id: z.string(),
  sku: z.string().nullish(),
  title: z.string(),
  name: z.string().nullish(),
  variantTitle: z.string().nullish(),
  vendor: z.string().nullish(),
  quantity: z.number().int(),
  isGiftCard: z.boolean().nullish(),
  originalUnitPriceSet: moneyBagNode,
  totalDiscountSet: moneyBagNode.nullish(),
  product: idNode.nullish(),
  variant: idNode.nullish(),
});

export const transactionNode = z.looseObject({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  gateway: z.string().nullish(),
  errorCode: z.string().nullish(),
  createdAt: z.string().nullish(),
  processedAt: z.string().nullish(),
  amountSet: moneyBagNode,
});

export const customerNode = z.looseObject({
  id: z.string(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  note: z.string().nullish(),
  state: z.string().nullish(),
  verifiedEmail: z.boolean().nullish(),
  tags: z.array(z.string()).nullish(),
  defaultEmailAddress: z.looseObject({ emailAddress: z.string().nullish() }).nullish(),
  defaultPhoneNumber: z.looseObject({ phoneNumber: z.string().nullish() }).nullish(),
  defaultAddress: addressNode.nullish(),
});

export const pageInfoNode = z.looseObject({ hasNextPage: z.boolean(), endCursor: z.string().nullish() });

/** A connection's selected nodes and where the next page starts. */
export function connectionOf<T extends z.ZodType>(node: T) {
  return z.looseObject({ nodes: z.array(node), pageInfo: pageInfoNode });
}

export const shippingLineNode = z.looseObject({
  title: z.string().nullish(),
  code: z.string().nullish(),
  originalPriceSet: moneyBagNode.nullish(),
  discountedPriceSet: moneyBagNode.nullish(),
});

export const orderNode = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  createdAt: z.string(),
  processedAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  cancelledAt: z.string().nullish(),
  cancelReason: z.string().nullish(),
  displayFinancialStatus: z.string().nullish(),
  displayFulfillmentStatus: z.string().nullish(),
  test: z.boolean().nullish(),
  tags: z.array(z.string()).nullish(),
  note: z.string().nullish(),
  sourceName: z.string().nullish(),
  cartToken: z.string().nullish(),
  checkoutToken: z.string().nullish(),
  clientIp: z.string().nullish(),
  currencyCode: z.string(),
  presentmentCurrencyCode: z.string().nullish(),
  totalPriceSet: moneyBagNode,
  subtotalPriceSet: moneyBagNode.nullish(),
  totalTaxSet: moneyBagNode.nullish(),
  totalDiscountsSet: moneyBagNode.nullish(),
  totalShippingPriceSet: moneyBagNode.nullish(),
  discountCodes: z.array(z.string()).nullish(),
  paymentGatewayNames: z.array(z.string()).nullish(),
  customAttributes: z.array(z.looseObject({ key: z.string(), value: z.string().nullish() })).nullish(),
  shippingLines: connectionOf(shippingLineNode).nullish(),
  billingAddress: addressNode.nullish(),
  shippingAddress: addressNode.nullish(),
  customer: customerNode.nullish(),
  transactions: z.array(transactionNode).nullish(),
  lineItems: connectionOf(lineItemNode),
  /** Only the ids here: each refund's details cost too much to select inside an orders page. */
  refunds: z.array(idNode).nullish(),
});

export const refundLineItemNode = z.looseObject({
  quantity: z.number().int(),
  subtotalSet: moneyBagNode.nullish(),
  totalTaxSet: moneyBagNode.nullish(),
  lineItem: lineItemNode,
});

export const refundNode = z.looseObject({
  id: z.string(),
  createdAt: z.string().nullish(),
  note: z.string().nullish(),
  order: idNode,
  refundLineItems: connectionOf(refundLineItemNode),
  transactions: connectionOf(transactionNode),
});

export type MoneyBagNode = z.infer<typeof moneyBagNode>;
export type AddressNode = z.infer<typeof addressNode>;
export type LineItemNode = z.infer<typeof lineItemNode>;
export type TransactionNode = z.infer<typeof transactionNode>;
export type CustomerNode = z.infer<typeof customerNode>;
export type OrderNode = z.infer<typeof orderNode>;
export type RefundNode = z.infer<typeof refundNode>;
export type RefundLineItemNode = z.infer<typeof refundLineItemNode>;
