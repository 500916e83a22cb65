// @ts-check
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Products as the theme shows them: links to `/products/<handle>` in lists (collections, search, recommendations),
 * enriched with what the embed's Liquid wrote into `cartstreamLayer.products`, and the list views, clicks, image
 * clicks and shares a shopper makes with them. The embed cannot change the theme's markup, so it reads links.
 */

/** @typedef {Record<string, unknown>} Bag */
/** @typedef {{ id?: string, name?: string }} ProductList */

const productLinkSelector = 'a[href*="/products/"]';

/** Where a click on a share link sends the product, by the link's address. */
const shareTargets = [
  [/facebook\.com\/sharer/, 'facebook'], [/(twitter|x)\.com\/intent/, 'twitter'], [/pinterest\.[a-z.]+\/pin\/create/, 'pinterest'],
  [/^mailto:/, 'email'], [/(wa\.me|whatsapp\.com)\//, 'whatsapp'],
];

/**
 * The product handle a link points at (`/collections/x/products/handle?variant=1` → `handle`).
 * @param {string} href
 */
export function productHandle(href) {
  const match = /\/products\/([^/?#]+)/.exec(new URL(href, 'https://storefront.invalid').pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/**
 * Segment product properties for a link: what the layer knows about the handle, else the link's own text.
 * @param {HTMLAnchorElement} link
 * @param {Record<string, Bag>} known products by handle, from the layer
 */
function productOfLink(link, known) {
  const handle = productHandle(link.href);
  if (handle === undefined) return undefined;
  const name = link.textContent?.trim().replace(/\s+/g, ' ') || link.querySelector('img')?.alt || handle;
  return { ...(known[handle] ?? { product_id: handle, name }), url: new URL(link.href, location.href).origin + new URL(link.href, location.href).pathname, handle };
}

/**
 * The distinct products linked from the page, in page order, with their 1-based position; the product whose page
 * this is (`excludeHandle`) is not part of a list.
 * @param {ParentNode} root
 * @param {Record<string, Bag>} known
 * @param {string | undefined} excludeHandle
 */
function listedProducts(root, known, excludeHandle) {
  /** @type {Map<string, { product: Bag, links: HTMLAnchorElement[] }>} */
  const byHandle = new Map();
  for (const link of /** @type {NodeListOf<HTMLAnchorElement>} */ (root.querySelectorAll(productLinkSelector))) {
    const product = productOfLink(link, known);
    const handle = /** @type {string | undefined} */ (product?.handle);
    if (!product || handle === undefined || handle === excludeHandle) continue;
    const entry = byHandle.get(handle) ?? { product: { ...product, position: byHandle.size + 1 }, links: [] };
    entry.links.push(link);
    byHandle.set(handle, entry);
  }
  return byHandle;
}

/** @param {Bag} product */
function withoutHandle({ handle: _handle, ...product }) {
  return product;
}

/**
 * Calls `onViewed(products)` for products as they scroll into view, each product once per page, grouped: views
 * within `flushMs` of each other make one Product List Viewed. Links added later (recommendations, infinite
 * scroll) are picked up as they appear.
 * @param {{ known: Record<string, Bag>, excludeHandle?: string, onViewed: (products: Bag[]) => void, flushMs?: number }} options
 */
export function watchListViews({ known, excludeHandle, onViewed, flushMs = 300 }) {
  const seen = new Set();
  /** @type {Bag[]} */
  let pending = [];
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const flush = () => {
    timer = undefined;
    if (pending.length > 0) onViewed(pending.map(withoutHandle));
    pending = [];
  };
  /** @type {Map<Element, Bag>} */
  const productOf = new Map();
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const product = productOf.get(entry.target);
      if (!entry.isIntersecting || !product || seen.has(product.handle)) continue;
      seen.add(product.handle);
      pending.push(product);
    }
    if (pending.length > 0 && timer === undefined) timer = setTimeout(flush, flushMs);
  }, { threshold: 0.5 });
  const scan = () => {
    for (const { product, links } of listedProducts(document, known, excludeHandle).values()) {
      for (const link of links) {
        if (productOf.has(link)) continue;
        productOf.set(link, product);
        observer.observe(link);
      }
    }
  };
  scan();
  new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
  addEventListener('pagehide', flush);
}

/**
 * Product Clicked (a link to another product), Product Image Clicked (an image of the product whose page this
 * is) and Product Shared (a share link or button), reported through `on`.
 * @param {{ known: Record<string, Bag>, current?: Bag, list?: ProductList, on: (event: string, properties: Bag) => void }} options
 */
export function watchProductClicks({ known, current, list, on }) {
  const currentHandle = /** @type {string | undefined} */ (current?.handle);
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const link = /** @type {HTMLAnchorElement | null} */ (target.closest(productLinkSelector));
    if (link && productHandle(link.href) !== currentHandle) {
      const listed = listedProducts(document, known, currentHandle).get(productHandle(link.href) ?? '');
      const product = listed?.product ?? productOfLink(link, known);
      if (product) on('Product Clicked', { ...withoutHandle(product), ...listProperties(list) });
      return;
    }
    if (!current) return;
    const shareVia = shareTarget(target);
    if (shareVia) {
      on('Product Shared', { ...withoutHandle(current), share_via: shareVia, share_url: location.origin + location.pathname });
      return;
    }
    if (target instanceof HTMLImageElement) on('Product Image Clicked', { ...withoutHandle(current), image_url: target.currentSrc || target.src });
  }, { capture: true });
}

/** @param {Element} target */
function shareTarget(target) {
  const link = /** @type {HTMLAnchorElement | null} */ (target.closest('a[href]'));
  for (const [pattern, via] of shareTargets) {
    if (link && /** @type {RegExp} */ (pattern).test(link.href)) return /** @type {string} */ (via);
  }
  return target.closest('share-button, [data-cartstream-share]') ? 'share_button' : undefined;
}

/** @param {ProductList | undefined} list */
export function listProperties(list) {
  return { ...(list?.id ? { list_id: list.id } : {}), ...(list?.name ? { list_name: list.name } : {}) };
}
