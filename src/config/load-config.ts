import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { SegmentSettingsInput } from '../destinations/segment/settings.ts';
import type { TikTokSettingsInput } from '../destinations/tiktok/settings.ts';
import type { WarehouseSettingsInput } from '../destinations/warehouse/settings.ts';
import { configSchema, type CartstreamConfig, type CartstreamConfigInput } from './config-schema.ts';

/** A configuration mistake, with every problem named by its field path. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Validates raw config; the error message lists `field.path: what is wrong` for each problem. */
export function parseConfig(raw: unknown, source: string): CartstreamConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  - ${formatPath(issue.path)}: ${issue.message}`);
  throw new ConfigError(`invalid configuration in ${source}:\n${problems.join('\n')}`);
}

function formatPath(path: PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

/** Overlays the one-shop environment variables on a config file's contents. */
export function applyEnv(base: CartstreamConfigInput, env: Env): CartstreamConfigInput {
  const config: CartstreamConfigInput = { ...base };
  if (env.PORT !== undefined) config.port = parsePort(env.PORT);
  if (env.HOST) config.host = env.HOST;
  if (env.CARTSTREAM_DB) config.db = env.CARTSTREAM_DB;
  if (env.CARTSTREAM_ROLE) config.role = env.CARTSTREAM_ROLE as CartstreamConfig['role'];
  if (env.CARTSTREAM_ADMIN_TOKEN) config.adminToken = env.CARTSTREAM_ADMIN_TOKEN;
  if (env.LOG_LEVEL) config.logLevel = env.LOG_LEVEL as CartstreamConfig['logLevel'];
  if (env.SHOPIFY_SHOP_DOMAIN || env.SHOPIFY_WEBHOOK_SECRET || env.SHOPIFY_ADMIN_ACCESS_TOKEN || env.RECHARGE_WEBHOOK_SECRET) config.shops = [...(base.shops ?? []), shopFromEnv(env)];
  if (env.CARTSTREAM_SOURCE_KEY) config.collector = collectorFromEnv(env);
  if (env.CARTSTREAM_PUBLIC_URL) config.publicUrl = env.CARTSTREAM_PUBLIC_URL;
  if (env.SHOPIFY_ADMIN_ENDPOINT) config.shopifyAdmin = { ...base.shopifyAdmin, endpoint: env.SHOPIFY_ADMIN_ENDPOINT };
  const segment = segmentFromEnv(env);
  if (segment) config.destinations = { ...config.destinations, segment };
  const tiktok = tiktokFromEnv(env);
  if (tiktok) config.destinations = { ...config.destinations, tiktok };
  const warehouse = warehouseFromEnv(env);
  if (warehouse) config.destinations = { ...config.destinations, warehouse };
  if (env.SEGMENT_PUBLIC_API_TOKEN || env.CARTSTREAM_EXPORT_DIR) config.privacy = privacyFromEnv(base.privacy, env);
  return config;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port)) throw new ConfigError(`invalid configuration in environment:\n  - PORT: "${value}" is not a port number`);
  return port;
}

type EnvShop = NonNullable<CartstreamConfigInput['shops']>[number];

function shopFromEnv(env: Env): EnvShop {
  // Comma-separated secret lists support rotation: new secret first, old one until the sender stops using it.
  const secrets = list(env.SHOPIFY_WEBHOOK_SECRET);
  const rechargeSecrets = list(env.RECHARGE_WEBHOOK_SECRET);
  const token = env.SHOPIFY_ADMIN_ACCESS_TOKEN?.trim();
  return {
    domain: env.SHOPIFY_SHOP_DOMAIN ?? '', webhookSecrets: secrets,
    ...(token ? { adminAccessToken: token } : {}), ...(rechargeSecrets.length > 0 ? { rechargeSecrets } : {}),
  };
}

function segmentFromEnv(env: Env): SegmentSettingsInput | undefined {
  if (!env.SEGMENT_WRITE_KEY) return undefined;
  return {
    writeKey: env.SEGMENT_WRITE_KEY,
    ...(env.SEGMENT_ENDPOINT ? { endpoint: env.SEGMENT_ENDPOINT } : {}),
    ...(env.SEGMENT_REGION ? { region: env.SEGMENT_REGION as SegmentSettingsInput['region'] } : {}),
  };
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

function collectorFromEnv(env: Env): NonNullable<CartstreamConfigInput['collector']> {
  return {
    sourceKey: env.CARTSTREAM_SOURCE_KEY ?? '',
    shop: env.SHOPIFY_SHOP_DOMAIN ?? '',
    allowedOrigins: list(env.CARTSTREAM_ALLOWED_ORIGINS),
    trustedProxies: list(env.CARTSTREAM_TRUSTED_PROXIES),
  };
}

function privacyFromEnv(base: CartstreamConfigInput['privacy'], env: Env): NonNullable<CartstreamConfigInput['privacy']> {
  const privacy = { ...base };
  if (env.CARTSTREAM_EXPORT_DIR) privacy.exportDir = env.CARTSTREAM_EXPORT_DIR;
  if (env.SEGMENT_PUBLIC_API_TOKEN) {
    privacy.segmentPublicApi = {
      token: env.SEGMENT_PUBLIC_API_TOKEN,
      ...(env.SEGMENT_PUBLIC_API_ENDPOINT ? { endpoint: env.SEGMENT_PUBLIC_API_ENDPOINT } : {}),
    };
  }
  return privacy;
}

function tiktokFromEnv(env: Env): TikTokSettingsInput | undefined {
  if (!env.TIKTOK_ACCESS_TOKEN && !env.TIKTOK_PIXEL_CODE) return undefined;
  return {
    accessToken: env.TIKTOK_ACCESS_TOKEN ?? '',
    pixelCode: env.TIKTOK_PIXEL_CODE ?? '',
    ...(env.TIKTOK_ENDPOINT ? { endpoint: env.TIKTOK_ENDPOINT } : {}),
    ...(env.TIKTOK_TEST_EVENT_CODE ? { testEventCode: env.TIKTOK_TEST_EVENT_CODE } : {}),
  };
}

/** CARTSTREAM_WAREHOUSE: `on`/`true` writes into the store's own database; a SQLite path or postgres:// URL elsewhere. */
function warehouseFromEnv(env: Env): WarehouseSettingsInput | undefined {
  const value = env.CARTSTREAM_WAREHOUSE?.trim();
  if (!value || /^(off|false)$/i.test(value)) return undefined;
  return /^(on|true)$/i.test(value) ? {} : { db: value };
}

/**
 * Loads `cartstream.config.json` (or CARTSTREAM_CONFIG's path) when present, overlays the environment, and
 * validates the result.
 */
export function loadConfig(env: Env = process.env, explicitPath?: string): CartstreamConfig {
  const path = explicitPath ?? env.CARTSTREAM_CONFIG ?? 'cartstream.config.json';
  const mustExist = explicitPath !== undefined || env.CARTSTREAM_CONFIG !== undefined;
  const fileConfig = readConfigFile(path, mustExist);
  const source = fileConfig === undefined ? 'environment' : `${path} and environment`;
  return parseConfig(applyEnv(fileConfig ?? {}, env), source);
}

function readConfigFile(path: string, mustExist: boolean): CartstreamConfigInput | undefined {
  if (!existsSync(path)) {
    if (mustExist) throw new ConfigError(`config file ${path} does not exist`);
    return undefined;
  }
  try {
    return z.record(z.string(), z.unknown()).parse(JSON.parse(readFileSync(path, 'utf8'))) as CartstreamConfigInput;
  } catch (error) {
    throw new ConfigError(`config file ${path} is not a JSON object: ${(error as Error).message}`);
  }
}

/** True when no destination is configured: `npm start` then runs the demo. */
export function hasDestination(config: CartstreamConfig): boolean {
  return Object.values(config.destinations).some((settings) => settings !== undefined);
}
