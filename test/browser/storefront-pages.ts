/**
 * Test storefront pages: what a Shopify theme renders with the cartstream app embed on — Shopify's globals
 * (`Shopify.routes`, a Customer Privacy API answering from `window.__consent`), the `cartstreamLayer` the embed's
 * Liquid writes, and the embed's module script.
 */
export interface Consent {
  analytics: boolean;
  marketing: boolean;
}

export const jacketHandles = Array.from({ length: 12 }, (_, i) => `jacket-${i + 1}`);

/** What the embed's Liquid writes for the products of a collection page, by handle. */
export const collectionProducts = Object.fromEntries(jacketHandles.map((handle, i) => [handle, {
  product_id: String(8_000_000_000_100 + i), shopify_product_id: String(8_000_000_000_100 + i), sku: `JK-${i + 1}`,
  name: `Jacket ${i + 1}`, brand: 'Northwind', category: 'Jackets', price: 100 + i,
}]));

export function storefrontPage(options: { title: string; layer: Record<string, unknown>; consent: Consent; body: string }): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${options.title}</title>
<style>body { margin: 0; font-family: sans-serif } .card { display: block; height: 300px; border-bottom: 1px solid #ccc }</style>
<script>
  window.__consent = ${JSON.stringify(options.consent)};
  window.Shopify = {
    routes: { root: '/' },
    customerPrivacy: {
      analyticsProcessingAllowed: () => window.__consent.analytics,
      marketingAllowed: () => window.__consent.marketing,
      saleOfDataAllowed: () => true,
    },
  };
  window.cartstreamLayer = ${JSON.stringify(options.layer)};
</script>
<script type="module" src="/assets/cartstream.js"></script>
</head><body>${options.body}</body></html>`;
}

/** A collection grid: one 300 px card per product, so only the first two are in view at first. */
export function collectionGrid(): string {
  return `<h1>Jackets</h1>${jacketHandles.map((handle, i) => `<a class="card" href="/products/${handle}">Jacket ${i + 1}</a>`).join('')}`;
}

/** The product page body: a gallery image, a share link and an add-to-cart button posting to the cart AJAX API. */
export function productPageBody(variantId: string): string {
  return `<h1>Trail Jacket</h1>
<img id="gallery" alt="Trail Jacket" width="400" height="300" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<a id="share" href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Foutfitters.example%2Fproducts%2Ftrail-jacket" onclick="event.preventDefault()">Share</a>
<button id="add" onclick="fetch('/cart/add.js', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: ${variantId}, quantity: 1 }) })">Add to cart</button>`;
}
