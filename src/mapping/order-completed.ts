/**
 * The first slice's entry points, kept under their names because other folders import them: mapOrderCompleted is
 * the orders/create mapper (Identify + Order Completed for web orders, POS Order Placed for POS sales).
 */
export { mapOrderCreated as mapOrderCompleted } from './order-topics.ts';
export { integrationContext } from './message-context.ts';
