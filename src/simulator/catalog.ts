import type { CurrencyCode } from './money.ts';

/** A sellable variant; prices are minor units per presentment currency. */
export interface CatalogVariant {
  id: bigint;
  productId: bigint;
  title: string;
  sku: string;
  grams: number;
  prices: Readonly<Record<CurrencyCode, number>>;
}

export interface CatalogProduct {
  id: bigint;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  variants: readonly CatalogVariant[];
}

interface ProductSpec {
  title: string;
  vendor: string;
  productType: string;
  skuPrefix: string;
  grams: number;
  /** [variant title, USD cents] */
  variants: readonly (readonly [string, number])[];
}

const productSpecs: readonly ProductSpec[] = [
  spec('Aviator Sunglasses', 'Northwind Optics', 'Accessories', 'AVI', 100, [['Gold', 8999], ['Black', 8999]]),
  spec('Classic Crew Tee', 'Harbor Apparel', 'T-Shirts', 'TEE', 200, [['S', 2499], ['M', 2499], ['L', 2499]]),
  spec('Merino Wool Beanie', 'Harbor Apparel', 'Hats', 'BEA', 90, [['Charcoal', 3200], ['Navy', 3200]]),
  spec('Canvas Weekender Bag', 'Fieldcraft', 'Bags', 'WKD', 1400, [['Default Title', 14900]]),
  spec('Trail Running Shoes', 'Summit Footwear', 'Shoes', 'TRS', 850, [['8', 12900], ['9', 12900], ['10', 12900], ['11', 12900]]),
  spec('Insulated Water Bottle', 'Fieldcraft', 'Drinkware', 'BTL', 380, [['500 ml', 2800], ['750 ml', 3400]]),
  spec('Organic Cotton Hoodie', 'Harbor Apparel', 'Sweatshirts', 'HOD', 620, [['S', 6800], ['M', 6800], ['L', 6800]]),
  spec('Leather Card Wallet', 'Fieldcraft', 'Accessories', 'WAL', 60, [['Tan', 4500], ['Black', 4500]]),
  spec('Ceramic Pour-Over Set', 'Kiln & Co', 'Kitchen', 'POS', 900, [['Default Title', 5900]]),
  spec('Mid-century Lounger', 'Kiln & Co', 'Furniture', 'LNG', 12000, [['Walnut', 15999], ['Oak', 15999]]),
  spec('Sport Socks 3-Pack', 'Summit Footwear', 'Socks', 'SCK', 150, [['S', 1800], ['M', 1800], ['L', 1800]]),
  spec('Linen Throw Blanket', 'Kiln & Co', 'Home', 'THR', 1100, [['Sand', 7900], ['Sage', 7900]]),
];

function spec(
  title: string,
  vendor: string,
  productType: string,
  skuPrefix: string,
  grams: number,
  variants: ProductSpec['variants'],
): ProductSpec {
  return { title, vendor, productType, skuPrefix, grams, variants };
}

/** Shelf prices per currency: .99 endings in EUR/GBP, round hundreds of yen. */
export function localPrices(usdCents: number): Record<CurrencyCode, number> {
  const charm = (cents: number): number => Math.ceil(cents / 100) * 100 - 1;
  return {
    USD: usdCents,
    EUR: charm(usdCents * 0.92),
    GBP: charm(usdCents * 0.79),
    JPY: Math.round((usdCents * 1.5) / 100) * 100,
  };
}

// Fixed ids (18 digits, above 2^53) so every seed and every test sees the same catalog.
const productIdBase = 740_131_585_220_000_000n;
const variantIdBase = 450_789_469_120_000_000n;

function buildProduct(s: ProductSpec, index: number): CatalogProduct {
  const id = productIdBase + BigInt(index) * 7_919_177n;
  const variants = s.variants.map(([title, usd], v) => ({
    id: variantIdBase + BigInt(index * 10 + v) * 3_331_013n,
    productId: id,
    title,
    sku: title === 'Default Title' ? `${s.skuPrefix}-001` : `${s.skuPrefix}-${title.replace(/\s+/g, '').toUpperCase()}`,
    grams: s.grams,
    prices: localPrices(usd),
  }));
  const handle = s.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return { id, title: s.title, handle, vendor: s.vendor, productType: s.productType, variants };
}

/** The simulated shop's products: a dozen, 1–4 variants each. */
export const catalog: readonly CatalogProduct[] = Object.freeze(productSpecs.map(buildProduct));

/** The product and variant for a variant id, if the catalog sells it. */
export function findVariant(variantId: bigint): { product: CatalogProduct; variant: CatalogVariant } | undefined {
  for (const product of catalog) {
    const variant = product.variants.find((v) => v.id === variantId);
    if (variant) return { product, variant };
  }
  return undefined;
}
