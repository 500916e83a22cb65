import { z } from 'zod';
import type { CartstreamConfig, ShopConfig } from '../config/config-schema.ts';
import { createAdminClient } from '../shopify-admin/admin-client.ts';
import { AdminApiError } from '../shopify-admin/admin-errors.ts';
import { fail, ok, skip, warn, type CheckResult } from './doctor-check.ts';

const shopNameData = z.looseObject({ shop: z.looseObject({ name: z.string() }) });

/** Shopify's Admin API access tokens: shpat_ (custom apps), shpca_ / shpua_ (OAuth), then 32 hex digits. */
const adminTokenShape = /^shp(at|ca|ua)_[0-9a-f]{32}$/;

function secretsCheck(shop: ShopConfig): CheckResult {
  const name = `shop ${shop.domain}: webhook secret`;
  const secrets = shop.webhookSecrets;
  const short = secrets.filter((secret) => secret.length < 16);
  if (short.length > 0) {
    return fail(name, `${short.length} of ${secrets.length} secret(s) shorter than 16 characters, so not the app's signing secret`, "copy the app's client secret (Partner Dashboard / Dev Dashboard → app → API credentials) into SHOPIFY_WEBHOOK_SECRET or shops[].webhookSecrets");
  }
  return ok(name, `${secrets.length} secret${secrets.length > 1 ? 's (rotation: the first signs new webhooks)' : ''} present`);
}

async function adminTokenCheck(shop: ShopConfig, config: CartstreamConfig): Promise<CheckResult> {
  const name = `shop ${shop.domain}: Admin API token`;
  const token = shop.adminAccessToken;
  if (token === undefined) return skip(name, 'not configured (backfill and `webhooks register` need SHOPIFY_ADMIN_ACCESS_TOKEN or shops[].adminAccessToken)');
  const client = createAdminClient({
    shop: shop.domain, accessToken: token, apiVersion: config.shopifyAdmin.apiVersion, endpoint: config.shopifyAdmin.endpoint, maxAttempts: 2, timeoutMs: 10_000,
  });
  try {
    const data = await client.request('query ShopName { shop { name } }', {}, shopNameData);
    return ok(name, `works (shop "${data.shop.name}", API ${config.shopifyAdmin.apiVersion})`);
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    const shape = adminTokenShape.test(token) ? '' : ` The configured value (${token.length} characters) does not look like an Admin API access token (shpat_/shpca_/shpua_ + 32 hex digits).`;
    return fail(name, `${error.message}${error.kind === 'unauthorized' ? shape : ''}`, fixFor(error));
  }
}

function fixFor(error: AdminApiError): string {
  switch (error.kind) {
    case 'unauthorized': return 'install the app on the shop and copy its Admin API access token into SHOPIFY_ADMIN_ACCESS_TOKEN or shops[].adminAccessToken';
    case 'forbidden': return 'grant the app the scope named above (read_orders for backfill) and reinstall or re-authorize it';
    case 'unavailable': return 'check that this machine can reach the shop over HTTPS (SHOPIFY_ADMIN_ENDPOINT overrides the host)';
    default: return 'see the message above';
  }
}

/** The admin API bearer token: off, or long enough not to be guessed. */
export function adminApiTokenCheck(config: CartstreamConfig): CheckResult {
  const name = 'admin API token';
  const token = config.adminToken;
  if (token === undefined) return skip(name, 'CARTSTREAM_ADMIN_TOKEN not set: the admin API under /api is off');
  if (token.length < 32) return warn(name, `${token.length} characters`, 'use at least 32 random characters, e.g. `openssl rand -hex 32`');
  return ok(name, `${token.length} characters`);
}

/** Per shop: the webhook secret, and the Admin API token when one is configured (a live `shop { name }` query). */
export async function checkShops(config: CartstreamConfig): Promise<CheckResult[]> {
  if (config.shops.length === 0) {
    return [fail('shops', 'no shop configured, so every webhook is refused with 401', 'set SHOPIFY_SHOP_DOMAIN and SHOPIFY_WEBHOOK_SECRET, or list shops in cartstream.config.json')];
  }
  const results: CheckResult[] = [];
  for (const shop of config.shops) {
    results.push(secretsCheck(shop));
    results.push(await adminTokenCheck(shop, config));
  }
  return results;
}
