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

  it('refuses a shop secret without a shop domain from the environment, naming the field', () => {
    expect(() => loadConfig({ SHOPIFY_WEBHOOK_SECRET: 'secret' })).toThrow('shops.0.domain');
  });
});
