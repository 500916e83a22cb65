/**
 * The Admin GraphQL documents the backfill sends, selecting what order-nodes.ts reads. Sizes are chosen for the
 * query cost limit: a query may ask for at most 1,000 points, and every connection is charged for all the nodes it
 * asks for, so an orders page selects the first 10 line items of each order (the rest are fetched per order when
 * an order has more) and only the ids of its refunds (each refund is fetched on its own).
 */

const money = 'amount currencyCode';
const shopMoney = `{ shopMoney { ${money} } }`;
const bothMonies = `{ shopMoney { ${money} } presentmentMoney { ${money} } }`;
const address = '{ firstName lastName company address1 address2 city province provinceCode zip country countryCodeV2 phone }';

export const lineItemSelection = `id sku title name variantTitle vendor quantity isGiftCard
  originalUnitPriceSet ${shopMoney} totalDiscountSet ${shopMoney} product { id } variant { id }`;

const transactionSelection = `id kind status gateway errorCode createdAt processedAt amountSet ${bothMonies}`;

const customerSelection = `id firstName lastName createdAt updatedAt note state verifiedEmail tags
  defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } defaultAddress ${address}`;

/** Line items per order in an orders page (more are fetched with moreLineItemsQuery). */
export const lineItemsPerOrder = 10;

const orderSelection = `id name email phone createdAt processedAt updatedAt cancelledAt cancelReason
  displayFinancialStatus displayFulfillmentStatus test tags note sourceName cartToken checkoutToken clientIp
  currencyCode presentmentCurrencyCode
  totalPriceSet ${bothMonies} subtotalPriceSet ${shopMoney} totalTaxSet ${shopMoney} totalDiscountsSet ${shopMoney}
  totalShippingPriceSet ${shopMoney}
  discountCodes paymentGatewayNames customAttributes { key value }
  shippingLines(first: 5) { nodes { title code originalPriceSet ${shopMoney} discountedPriceSet ${shopMoney} } pageInfo { hasNextPage endCursor } }
  billingAddress ${address} shippingAddress ${address}
  customer { ${customerSelection} }
  transactions(first: 10) { ${transactionSelection} }
  lineItems(first: ${lineItemsPerOrder}) { nodes { ${lineItemSelection} } pageInfo { hasNextPage endCursor } }
  refunds(first: 20) { id }`;

/** One page of orders created in the period ($query is Shopify search syntax), oldest first. */
export const ordersPageQuery = `query BackfillOrders($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
    nodes { ${orderSelection} }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** How many orders the period holds (for the progress bar; Shopify may answer "at least" for large counts). */
export const ordersCountQuery = `query BackfillOrdersCount($query: String!) {
  ordersCount(query: $query) { count precision }
}`;

/** The line items of one order after the first page. */
export const moreLineItemsQuery = `query BackfillMoreLineItems($id: ID!, $after: String) {
  node(id: $id) { ... on Order { lineItems(first: 100, after: $after) { nodes { ${lineItemSelection} } pageInfo { hasNextPage endCursor } } } }
}`;

/** Refund line items per refund in refundQuery (more are fetched with moreRefundLineItemsQuery). */
export const refundLineItemsPerRefund = 30;

const refundLineSelection = `quantity subtotalSet ${bothMonies} totalTaxSet ${bothMonies} lineItem { ${lineItemSelection} }`;

/** One refund with what refunds/create carries. */
export const refundQuery = `query BackfillRefund($id: ID!) {
  node(id: $id) { ... on Refund {
    id createdAt note order { id }
    refundLineItems(first: ${refundLineItemsPerRefund}) { nodes { ${refundLineSelection} } pageInfo { hasNextPage endCursor } }
    transactions(first: 20) { nodes { ${transactionSelection} } pageInfo { hasNextPage endCursor } }
  } }
}`;

export const moreRefundLineItemsQuery = `query BackfillMoreRefundLineItems($id: ID!, $after: String) {
  node(id: $id) { ... on Refund { refundLineItems(first: 50, after: $after) { nodes { ${refundLineSelection} } pageInfo { hasNextPage endCursor } } } }
}`;

/** An ISO time as Shopify's search examples write it: no milliseconds when there are none. */
function searchTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

/** Shopify search syntax for orders created in [since, until). */
export function createdBetween(since: Date, until: Date | undefined): string {
  const from = `created_at:>='${searchTime(since)}'`;
  return until === undefined ? from : `${from} AND created_at:<'${searchTime(until)}'`;
}
