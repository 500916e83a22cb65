import type { CartstreamConfig, ShopConfig } from '../config/config-schema.ts';
import { createAdminClient, type AdminClient } from '../shopify-admin/admin-client.ts';

/** A configured shop with an Admin API token, or why there is none to use. */
export type AdminShop = { ok: true; shop: ShopConfig & { adminAccessToken: string } } | { ok: false; reason: string };

/**
 * The shop an Admin API command works on: the one `--shop` names, else the only shop that has an Admin API token.
 */
export function adminShop(config: CartstreamConfig, domain: string | undefined): AdminShop {
  const withToken = config.shops.filter((shop): shop is ShopConfig & { adminAccessToken: string } => shop.adminAccessToken !== undefined);
  if (domain !== undefined) {
    const shop = config.shops.find((s) => s.domain === domain.trim().toLowerCase());
    if (shop === undefined) return { ok: false, reason: `${domain} is not a configured shop (configured: ${config.shops.map((s) => s.domain).join(', ') || 'none'})` };
    if (shop.adminAccessToken === undefined) return { ok: false, reason: `${shop.domain} has no Admin API token: set SHOPIFY_ADMIN_ACCESS_TOKEN or shops[].adminAccessToken` };
    return { ok: true, shop: { ...shop, adminAccessToken: shop.adminAccessToken } };
  }
  const [only, ...others] = withToken;
  if (only === undefined) return { ok: false, reason: 'no shop has an Admin API token: set SHOPIFY_SHOP_DOMAIN and SHOPIFY_ADMIN_ACCESS_TOKEN (or shops[].adminAccessToken in the config file)' };
  if (others.length > 0) return { ok: false, reason: `several shops have an Admin API token; name one with --shop (${withToken.map((s) => s.domain).join(', ')})` };
  return { ok: true, shop: only };
}

export function adminClientFor(config: CartstreamConfig, shop: ShopConfig & { adminAccessToken: string }): AdminClient {
  return createAdminClient({ shop: shop.domain, accessToken: shop.adminAccessToken, apiVersion: config.shopifyAdmin.apiVersion, endpoint: config.shopifyAdmin.endpoint });
}

/** Prints the reason and ends the process with 2 (a usage or configuration problem) when there is no shop to use. */
export function exitWithoutShop(result: AdminShop): ShopConfig & { adminAccessToken: string } {
  if (result.ok) return result.shop;
  console.error(result.reason);
  process.exit(2);
}
