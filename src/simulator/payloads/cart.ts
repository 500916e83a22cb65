import { formatMoney, moneySet, type CurrencyCode } from '../money.ts';
import type { BasketLine, CartModel } from '../model.ts';
import { utcTimestamp } from '../timestamps.ts';
import { digestHex, lineName } from './line-basics.ts';
import { exactId } from '../json-bytes.ts';

/** carts/create and carts/update body: the cart as it stands at `updatedAtMs`. */
export function cartBody(cart: CartModel, lines: readonly BasketLine[], updatedAtMs: number): Record<string, unknown> {
  return {
    id: cart.token,
    token: cart.token,
    line_items: lines.map((line) => cartLine(line, cart)),
    note: null,
    updated_at: utcTimestamp(updatedAtMs),
    created_at: utcTimestamp(cart.createdAtMs),
  };
}

function cartLine(line: BasketLine, cart: CartModel): Record<string, unknown> {
  const currency: CurrencyCode = cart.currency;
  const unit = line.variant.prices[currency];
  const linePrice = unit * line.quantity;
  const money = (minor: number): string => formatMoney(minor, currency);
  return {
    id: exactId(line.variant.id),
    properties: null,
    quantity: line.quantity,
    variant_id: exactId(line.variant.id),
    key: `${line.variant.id}:${digestHex(cart.token, String(line.variant.id))}`,
    discounted_price: money(unit),
    discounts: [],
    gift_card: false,
    grams: line.variant.grams,
    line_price: money(linePrice),
    original_line_price: money(linePrice),
    original_price: money(unit),
    price: money(unit),
    product_id: exactId(line.product.id),
    sku: line.variant.sku,
    taxable: true,
    title: lineName(line),
    total_discount: money(0),
    vendor: line.product.vendor,
    discounted_price_set: moneySet(unit, currency),
    line_price_set: moneySet(linePrice, currency),
    original_line_price_set: moneySet(linePrice, currency),
    price_set: moneySet(unit, currency),
    total_discount_set: moneySet(0, currency),
    parent_relationship: null,
  };
}
