import { z } from 'zod';
import { defaultLtvTiers, ltvTiersSchema } from '../profiles/ltv-tier.ts';
import { segmentRegulationsSettingsSchema } from '../destinations/segment-regulations/index.ts';
import { segmentSettingsSchema } from '../destinations/segment/settings.ts';
import { tiktokSettingsSchema } from '../destinations/tiktok/settings.ts';
import { warehouseSettingsSchema } from '../destinations/warehouse/settings.ts';

const shopDomain = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'must be a *.myshopify.com domain, e.g. my-store.myshopify.com');

export const shopConfigSchema = z.strictObject({
  domain: shopDomain,
  /** Several during a rotation: the new one first, the old one until Shopify stops using it. */
  webhookSecrets: z.array(z.string().min(1, 'must not be empty')).min(1, 'needs at least one secret'),
  /** Admin API access token (backfill, webhook registration, doctor); never logged. */
  adminAccessToken: z.string().min(1, 'must not be empty').optional(),
  /**
   * The shop's ReCharge API client secret(s), which sign ReCharge webhooks (POST /webhooks/recharge[/{shop}]);
   * several during a rotation, the new one first. Absent: ReCharge webhooks for this shop are refused.
   */
  rechargeSecrets: z.array(z.string().min(1, 'must not be empty')).min(1, 'needs at least one secret').optional(),
});

/** How cartstream reaches the Shopify Admin GraphQL API. */
export const shopifyAdminConfigSchema = z.strictObject({
  /** Replaces `https://{shop}` (tests point it at a local fake); the path /admin/api/{version}/graphql.json stays. */
  endpoint: z.url().optional(),
  /** 2026-07 is the first version whose Order has cartToken and checkoutToken, which the mappers need. */
  apiVersion: z.string().regex(/^\d{4}-\d{2}$/, 'must be a Shopify API version, e.g. 2026-07').default('2026-07'),
});

export const pipelineConfigSchema = z.strictObject({
  /** Inbox rows claimed and mapped per transaction. */
  batchSize: z.number().int().min(1).max(5000).default(100),
  /** A claim is a lease: a crashed worker's rows are taken over after this long. */
  leaseMs: z.number().int().min(1000).default(30_000),
  /** How long an idle worker waits before looking for work again. */
  idleDelayMs: z.number().int().min(1).default(50),
  /**
   * How long a storefront order with neither the cart attribute nor a browser link waits for the browser event that
   * names its cart (the thank-you page's event often comes a second after the order webhook). Default: 10 s when
   * the collector is on, else 0 (no browser events can come).
   */
  identityWaitMs: z.number().int().min(0).max(600_000).optional(),
  /**
   * Lifetime value tiers for the Identify trait `ltvTier`: each customer gets the last tier whose `from` (in the
   * shop's currency, net of refunds) their lifetime value reaches. Default: none 0, low 0.01, medium 100, high 500,
   * vip 2000.
   */
  ltvTiers: ltvTiersSchema.default(defaultLtvTiers),
  /** Product Added is sent once an added cart line stayed this long (a durable job, not a timer in memory). */
  productAddedAfterMs: z.number().int().min(0).max(3_600_000).default(10_000),
  /** A checkout with no order this long after it was created is sent as Checkout Abandoned (default 60 min). */
  checkoutAbandonedAfterMs: z.number().int().min(60_000).max(30 * 86_400_000).default(3_600_000),
});

/** Shopify's compliance webhooks (customers/redact, customers/data_request, shop/redact); see privacy/. */
export const privacyConfigSchema = z.strictObject({
  /** Where customers/data_request exports are written, one JSON file per request (readable by the owner only). */
  exportDir: z.string().min(1).default('./data/exports'),
  /** Files a Segment SUPPRESS_WITH_DELETE regulation for each redacted customer when set. */
  segmentPublicApi: segmentRegulationsSettingsSchema.optional(),
});

/** The first-party collector for the storefront (Segment's HTTP API), for one shop. */
export const collectorConfigSchema = z.strictObject({
  /** The shop's public source key (analytics.js writeKey). */
  sourceKey: z.string().min(8, 'must be at least 8 characters'),
  shop: shopDomain,
  /** Storefront origins allowed by CORS, e.g. https://my-store.com. */
  allowedOrigins: z.array(z.url()).default([]),
  /** Proxies whose X-Forwarded-For is believed (IPs or CIDR ranges). */
  trustedProxies: z.array(z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()])).default([]),
  bodyLimitBytes: z.number().int().min(1024).default(512 * 1024),
  maxEventBytes: z.number().int().min(1024).default(32 * 1024),
  rateLimit: z.strictObject({ perMinute: z.number().int().min(1).default(600) }).default({ perMinute: 600 }),
});

export const configSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).default(8080),
  host: z.string().default('0.0.0.0'),
  /** A SQLite file path (the embedded default) or a postgres:// URL. */
  db: z.string().min(1).default('./data/cartstream.db'),
  /** Largest webhook body accepted; larger ones get 413. */
  bodyLimitBytes: z.number().int().min(1024).default(5 * 1024 * 1024),
  /** Which parts of cartstream this process runs (several processes can share one PostgreSQL). */
  role: z.enum(['all', 'ingest', 'worker']).default('all'),
  /** Bearer token for /api; without one the admin API is off. */
  adminToken: z.string().min(16, 'must be at least 16 characters (use a random value)').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  shops: z.array(shopConfigSchema).default([]),
  /** The public base URL of this cartstream (webhook subscriptions point at {publicUrl}/webhooks/shopify). */
  publicUrl: z.url().optional(),
  shopifyAdmin: shopifyAdminConfigSchema.default(shopifyAdminConfigSchema.parse({})),
  collector: collectorConfigSchema.optional(),
  destinations: z
    .strictObject({
      segment: segmentSettingsSchema.optional(),
      tiktok: tiktokSettingsSchema.optional(),
      /** Segment's warehouse tables, written by cartstream into the store's database or its own (`db`). */
      warehouse: warehouseSettingsSchema.optional(),
    })
    .default({}),
  pipeline: pipelineConfigSchema.default(pipelineConfigSchema.parse({})),
  privacy: privacyConfigSchema.default(privacyConfigSchema.parse({})),
});

export type CartstreamConfig = z.infer<typeof configSchema>;
export type ShopConfig = z.infer<typeof shopConfigSchema>;
/** What a config file or the environment may say before defaults are applied. */
export type CartstreamConfigInput = z.input<typeof configSchema>;
