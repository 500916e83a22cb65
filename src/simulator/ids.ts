import type { Prng } from './prng.ts';

/** Resources that get Shopify's 18-digit numeric ids (all above 2^53, so they must travel as exact text). */
export type IdKind =
  | 'customer'
  | 'address'
  | 'checkout'
  | 'order'
  | 'lineItem'
  | 'shippingLine'
  | 'transaction'
  | 'refund'
  | 'refundLineItem'
  | 'orderAdjustment';

/** Where each kind's ids start (18 digits, like Shopify's sample payloads). */
export const idBases: Readonly<Record<IdKind, bigint>> = {
  customer: 706_405_506_930_000_000n,
  address: 715_243_470_610_000_000n,
  checkout: 320_004_580_640_000_000n,
  order: 820_982_911_940_000_000n,
  lineItem: 487_817_672_270_000_000n,
  shippingLine: 271_878_346_590_000_000n,
  transaction: 245_135_271_310_000_000n,
  refund: 890_088_186_040_000_000n,
  refundLineItem: 537_420_133_450_000_000n,
  orderAdjustment: 193_301_488_310_000_000n,
};

export type NextId = (kind: IdKind) => bigint;

/**
 * Increasing, unique ids per kind, like Shopify's. The seed moves each kind's start, so runs with different
 * seeds do not reuse each other's ids in one store.
 */
export function createIdAllocator(prng: Prng): NextId {
  const last = new Map<IdKind, bigint>();
  for (const kind of Object.keys(idBases) as IdKind[]) {
    last.set(kind, idBases[kind] + BigInt(prng.int(0, 2 ** 30)) * 4_096n);
  }
  return (kind) => {
    const id = (last.get(kind) ?? idBases[kind]) + BigInt(prng.int(1, 4_096));
    last.set(kind, id);
    return id;
  };
}

/** Shopify's GraphQL global id for a REST id: gid://shopify/Order/820982911946154508. */
export function gid(type: string, id: bigint | number): string {
  return `gid://shopify/${type}/${id}`;
}
