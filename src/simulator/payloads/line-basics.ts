import { createHash } from 'node:crypto';
import type { BasketLine } from '../model.ts';

/** "Classic Crew Tee - M"; single-variant products show the product title alone, as Shopify does. */
export function lineName(line: BasketLine): string {
  return hasOnlyDefaultVariant(line) ? line.product.title : `${line.product.title} - ${line.variant.title}`;
}

/** Shopify's variant_title: null for a product's "Default Title" variant. */
export function variantTitle(line: BasketLine): string | null {
  return hasOnlyDefaultVariant(line) ? null : line.variant.title;
}

function hasOnlyDefaultVariant(line: BasketLine): boolean {
  return line.variant.title === 'Default Title';
}

/** A stable hex digest, for keys Shopify derives from other values (cart line keys). */
export function digestHex(...parts: readonly string[]): string {
  return createHash('md5').update(parts.join(':')).digest('hex');
}
