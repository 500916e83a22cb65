import { roundDiv } from './money.ts';
import type { OrderLine, OrderModel, RefundLine, RefundModel } from './model.ts';
import { refundBody } from './payloads/refund.ts';
import type { SimState } from './sim-state.ts';

/** Schedules refunds/create for a paid order some minutes after `afterMs`: full, or some units of some lines. */
export function scheduleRefund(state: SimState, order: OrderModel, afterMs: number): void {
  const { prng, settings } = state;
  const [minMinutes, maxMinutes] = settings.refundDelayMinutes;
  const atMs = afterMs + 1_000 + prng.int(Math.round(minMinutes * 60_000), Math.round(Math.max(minMinutes, maxMinutes) * 60_000));
  const refund = createRefund(state, order, atMs, prng.chance(settings.fullRefundShare));
  state.schedule(atMs, {
    topic: 'refunds/create',
    kind: 'refund',
    body: () => refundBody(refund, state.shop),
    expectOrderCompleted: false,
    orderId: order.id,
    customerId: order.customer?.id,
  });
}

/** The refund's lines and money; a full refund returns every unit and the shipping, i.e. the order's total. */
export function createRefund(state: SimState, order: OrderModel, atMs: number, full: boolean): RefundModel {
  const { prng, nextId } = state;
  const picks = full ? order.lines.map((line) => ({ line, quantity: line.quantity })) : partialPicks(state, order);
  const lines = picks.map(({ line, quantity }) => refundLine(order, line, quantity, nextId('refundLineItem')));
  const included = order.tax.included;
  const shipping = full && order.shipping && order.priced.shipping > 0
    ? { adjustmentId: nextId('orderAdjustment'), amount: order.priced.shipping, tax: order.priced.shippingTax }
    : null;
  const linesAmount = lines.reduce((sum, l) => sum + l.subtotal + (included ? 0 : l.tax), 0);
  const shippingAmount = shipping ? shipping.amount + (included ? 0 : shipping.tax) : 0;
  const restock = prng.chance(0.6);
  return {
    id: nextId('refund'),
    order,
    createdAtMs: atMs,
    lines,
    shipping,
    transactionId: nextId('transaction'),
    amount: linesAmount + shippingAmount,
    note: restock ? 'Returned by customer' : prng.pick(['Arrived damaged', 'Wrong size', null]),
    restock,
  };
}

function partialPicks(state: SimState, order: OrderModel): { line: OrderLine; quantity: number }[] {
  const { prng } = state;
  const chosen = order.lines.filter(() => prng.chance(0.5));
  const lines = chosen.length > 0 ? chosen : [prng.pick(order.lines)];
  return lines.map((line) => ({ line, quantity: prng.int(1, line.quantity) }));
}

/** Refunded share of a line: its discounted price and tax in proportion to the units returned. */
function refundLine(order: OrderModel, line: OrderLine, quantity: number, id: bigint): RefundLine {
  const priced = order.priced.lines[order.lines.indexOf(line)] ?? { linePrice: 0, discount: 0, tax: 0 };
  const net = priced.linePrice - priced.discount;
  const all = quantity === line.quantity;
  return {
    id,
    line,
    quantity,
    subtotal: all ? net : roundDiv(net * quantity, line.quantity),
    tax: all ? priced.tax : roundDiv(priced.tax * quantity, line.quantity),
  };
}
