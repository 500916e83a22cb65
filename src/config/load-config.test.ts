import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, hasDestination, loadConfig, parseConfig } from './load-config.ts';

const dirs: string[] = [];
function configFile(contents: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cartstream-config-'));
  dirs.push(dir);
  const path = join(dir, 'cartstream.config.json');
  writeFileSync(path, contents);
  return path;
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('configuration', () => {
  it('runs on the embedded default with nothing configured, which means the demo', () => {
    const config = loadConfig({}, undefined);
    expect(config).toMatchObject({ port: 8080, db: './data/cartstream.db', bodyLimitBytes: 5 * 1024 * 1024, role: 'all', shops: [] });
    expect(hasDestination(config)).toBe(false);
  });

  it('configures one shop and Segment from the environment, with rotated secrets new-first', () => {
    const config = loadConfig({
      PORT: '9090', CARTSTREAM_DB: 'postgres://postgres@127.0.0.1:5432/test', SHOPIFY_SHOP_DOMAIN: 'my-store.myshopify.com',
      SHOPIFY_WEBHOOK_SECRET: 'new-secret, old-secret', SEGMENT_WRITE_KEY: 'wk', SEGMENT_ENDPOINT: 'http://127.0.0.1:1234',
    });
    expect(config.port).toBe(9090);
    expect(config.db).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(config.shops).toStrictEqual([{ domain: 'my-store.myshopify.com', webhookSecrets: ['new-secret', 'old-secret'] }]);
    expect(config.destinations.segment).toMatchObject({ writeKey: 'wk', endpoint: 'http://127.0.0.1:1234', region: 'us' });
    expect(hasDestination(config)).toBe(true);
  });

  it('configures TikTok from the environment next to Segment, with the real endpoint by default', () => {
    const config = loadConfig({ SEGMENT_WRITE_KEY: 'wk', TIKTOK_ACCESS_TOKEN: 'token', TIKTOK_PIXEL_CODE: 'PIXEL1' });
    expect(config.destinations.tiktok).toMatchObject({ accessToken: 'token', pixelCode: 'PIXEL1', endpoint: 'https://business-api.tiktok.com' });
    expect(config.destinations.segment).toMatchObject({ writeKey: 'wk' });
    expect(() => loadConfig({ TIKTOK_PIXEL_CODE: 'PIXEL1' })).toThrow('destinations.tiktok.accessToken');
  });

  it('takes the privacy export folder and the Segment Public API token from the environment, the real API by default', () => {
    const config = loadConfig({ SEGMENT_PUBLIC_API_TOKEN: 'sgp_token', CARTSTREAM_EXPORT_DIR: '/var/lib/cartstream/exports' });
    expect(config.privacy).toEqual({
      exportDir: '/var/lib/cartstream/exports',
      segmentPublicApi: { token: 'sgp_token', endpoint: 'https://api.segmentapis.com', requestTimeoutMs: 15_000 },
    });
    expect(loadConfig({ SEGMENT_PUBLIC_API_TOKEN: 't', SEGMENT_PUBLIC_API_ENDPOINT: 'http://127.0.0.1:9' }).privacy.segmentPublicApi?.endpoint)
      .toBe('http://127.0.0.1:9');
    expect(loadConfig({}).privacy).toEqual({ exportDir: './data/exports' });
  });

  it('reads a config file for several shops, and the environment overrides it', () => {
    const path = configFile(JSON.stringify({
      port: 7000,
      shops: [{ domain: 'one.myshopify.com', webhookSecrets: ['a'] }, { domain: 'two.myshopify.com', webhookSecrets: ['b'] }],
      destinations: { segment: { writeKey: 'file-key', region: 'eu' } },
    }));
    const config = loadConfig({ CARTSTREAM_CONFIG: path, PORT: '7001' });
    expect(config.port).toBe(7001);
    expect(config.shops.map((shop) => shop.domain)).toStrictEqual(['one.myshopify.com', 'two.myshopify.com']);
    expect(config.destinations.segment).toMatchObject({ writeKey: 'file-key', region: 'eu' });
  });

  it.each([
    [{ shops: [{ domain: 'my-store.com', webhookSecrets: ['s'] }] }, 'shops.0.domain: must be a *.myshopify.com domain'],
    [{ shops: [{ domain: 'a.myshopify.com', webhookSecrets: [] }] }, 'shops.0.webhookSecrets: needs at least one secret'],
    [{ port: 'eighty' }, 'port:'],
    [{ destinations: { segment: { writeKey: '' } } }, 'destinations.segment.writeKey'],
    [{ destinations: { segment: { writeKey: 'k', region: 'mars' } } }, 'destinations.segment.region'],
    [{ prot: 8080 }, 'prot'],
  ])('names the field and the problem when the config is wrong (%j)', (raw, expected) => {
    expect(() => parseConfig(raw, 'cartstream.config.json')).toThrow(ConfigError);
    expect(() => parseConfig(raw, 'cartstream.config.json')).toThrow(expected);
  });

  it('says so when a named config file is missing or not JSON', () => {
    expect(() => loadConfig({ CARTSTREAM_CONFIG: '/nonexistent/cartstream.json' })).toThrow('does not exist');
    expect(() => loadConfig({ CARTSTREAM_CONFIG: configFile('{ not json') })).toThrow('is not a JSON object');
  });

  it('takes the Shopify Admin API token, admin endpoint and public URL from the environment, the real host by default', () => {
    const config = loadConfig({
      SHOPIFY_SHOP_DOMAIN: 'my-store.myshopify.com', SHOPIFY_WEBHOOK_SECRET: 's', SHOPIFY_ADMIN_ACCESS_TOKEN: 'shpat_x',
      CARTSTREAM_PUBLIC_URL: 'https://cs.example.com',
    });
    expect(config.shops[0]?.adminAccessToken).toBe('shpat_x');
    expect(config.publicUrl).toBe('https://cs.example.com');
    expect(config.shopifyAdmin).toStrictEqual({ apiVersion: '2026-07' });
    expect(loadConfig({ SHOPIFY_ADMIN_ENDPOINT: 'http://127.0.0.1:9' }).shopifyAdmin.endpoint).toBe('http://127.0.0.1:9');
    expect(() => loadConfig({ SHOPIFY_ADMIN_ACCESS_TOKEN: 'shpat_x' })).toThrow('shops.0.domain');
  });

  it("takes the one shop's ReCharge API client secrets from RECHARGE_WEBHOOK_SECRET (new first during a rotation)", () => {
    const config = loadConfig({ SHOPIFY_SHOP_DOMAIN: 'my-store.myshopify.com', SHOPIFY_WEBHOOK_SECRET: 's', RECHARGE_WEBHOOK_SECRET: 'rc-new, rc-old' });
    expect(config.shops).toStrictEqual([{ domain: 'my-store.myshopify.com', webhookSecrets: ['s'], rechargeSecrets: ['rc-new', 'rc-old'] }]);
    expect(() => parseConfig({ shops: [{ domain: 'my-store.myshopify.com', webhookSecrets: ['s'], rechargeSecrets: [''] }] }, 'test'))
      .toThrow('shops.0.rechargeSecrets.0: must not be empty');
  });

  it('refuses a shop secret without a shop domain from the environment, naming the field', () => {
    expect(() => loadConfig({ SHOPIFY_WEBHOOK_SECRET: 'secret' })).toThrow('shops.0.domain');
  });

  it('turns the warehouse on from the environment: the store\'s database, or a SQLite path or PostgreSQL URL of its own', () => {
    const onStore = loadConfig({ CARTSTREAM_WAREHOUSE: 'on' });
    expect(onStore.destinations.warehouse).toStrictEqual({
      maxBatchEvents: 500, maxColumnsPerTable: 1000, busyTimeoutMs: 5000, statementTimeoutMs: 30_000,
      orders: { channels: ['web'], includeTags: [], excludeTags: [], excludeGateways: [] }, userId: 'shopify_customer_id', negativeRefunds: false,
    });
    expect(hasDestination(onStore)).toBe(true);
    expect(loadConfig({ CARTSTREAM_WAREHOUSE: 'TRUE' }).destinations.warehouse?.db).toBeUndefined();
    expect(loadConfig({ CARTSTREAM_WAREHOUSE: './data/warehouse.db' }).destinations.warehouse?.db).toBe('./data/warehouse.db');
    expect(loadConfig({ CARTSTREAM_WAREHOUSE: 'postgres://u@db:5432/shop?schema=analytics' }).destinations.warehouse?.db)
      .toBe('postgres://u@db:5432/shop?schema=analytics');
    expect(loadConfig({ CARTSTREAM_WAREHOUSE: 'off' }).destinations.warehouse).toBeUndefined();
  });

  it('names the warehouse field when its database is wrong', () => {
    expect(() => loadConfig({ CARTSTREAM_WAREHOUSE: 'postgres://u@db/shop?schema=Robert%27);DROP' }))
      .toThrow('destinations.warehouse.db: ?schema= must be a lower-case SQL identifier');
    expect(() => parseConfig({ destinations: { warehouse: { maxColumnsPerTable: 5000 } } }, 'cartstream.config.json'))
      .toThrow('destinations.warehouse.maxColumnsPerTable');
  });

  it('names the field of a destination option it cannot take', () => {
    expect(() => parseConfig({ destinations: { segment: { writeKey: 'k', userId: 'email' } } }, 'cartstream.config.json'))
      .toThrow('destinations.segment.userId');
    expect(() => parseConfig({ destinations: { warehouse: { orders: { channels: ['web', 'pos'] } } } }, 'cartstream.config.json'))
      .toThrow('destinations.warehouse.orders.channels: pos orders are sent as POS Order Placed; leave pos out');
  });
});
