import type { Command } from 'commander';
import type { CartstreamConfig } from '../config/config-schema.ts';
import { loadConfig } from '../config/load-config.ts';
import { AdminApiError } from '../shopify-admin/admin-errors.ts';
import { listSubscriptions, registerWebhooks, topicEnum, webhookUri, type RegistrationReport } from '../shopify-admin/webhook-registration.ts';
import { adminClientFor, adminShop, exitWithoutShop } from './admin-shop.ts';
import { exitOnConfigError } from './process-helpers.ts';
import { appTomlWebhooks, complianceTopics, shopifyTopics } from './webhook-subscriptions.ts';

/** The topics to subscribe through the API: Shopify accepts compliance topics only from shopify.app.toml. */
function apiTopics(): string[] {
  return shopifyTopics().filter((topic) => !(complianceTopics as readonly string[]).includes(topic));
}

interface AdminOptions {
  config?: string;
  shop?: string;
}

/** The public URL from --url or the config, or an exit naming both ways to give it. */
function publicUrl(url: string | undefined, config: CartstreamConfig): string {
  const chosen = url ?? config.publicUrl;
  if (chosen === undefined) {
    console.error('no public URL: pass --url https://your.host or set CARTSTREAM_PUBLIC_URL (publicUrl in the config file)');
    process.exit(2);
  }
  if (!/^https:\/\//.test(chosen)) {
    console.error(`${chosen}: Shopify delivers webhooks to https:// URLs only`);
    process.exit(2);
  }
  return chosen;
}

/** Runs an Admin API command; its failures are printed as they are (they say what to fix) with exit code 1. */
async function withAdminErrors(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}

function printReport(shop: string, uri: string, report: RegistrationReport): void {
  if (report.created.length === 0) console.log(`${shop} is already subscribed to all ${report.unchanged.length} topics at ${uri}; nothing changed`);
  else console.log(`${shop}: subscribed ${report.created.length} topic(s) at ${uri}:\n${report.created.map((topic) => `  + ${topic}`).join('\n')}`);
  if (report.created.length > 0 && report.unchanged.length > 0) console.log(`already subscribed: ${report.unchanged.join(', ')}`);
  for (const other of report.elsewhere) {
    console.log(`note: ${other.topic} is also delivered to ${other.uri} (left alone; remove it in the shop's admin if it is stale)`);
  }
}

async function register(options: AdminOptions & { url?: string; apiVersion: string }): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(process.env, options.config));
  const shop = exitWithoutShop(adminShop(config, options.shop));
  const base = publicUrl(options.url, config);
  await withAdminErrors(async () => {
    const uri = webhookUri(base);
    printReport(shop.domain, uri, await registerWebhooks(adminClientFor(config, shop), apiTopics(), uri));
    console.log(`\nThe compliance topics (${complianceTopics.join(', ')}) cannot be subscribed through the API; declare them in shopify.app.toml. The equivalent of everything above:\n`);
    console.log(appTomlWebhooks(base, options.apiVersion));
  });
}

async function list(options: AdminOptions): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(process.env, options.config));
  const shop = exitWithoutShop(adminShop(config, options.shop));
  await withAdminErrors(async () => {
    const subscriptions = await listSubscriptions(adminClientFor(config, shop));
    for (const subscription of subscriptions) console.log(`${subscription.topic.padEnd(28)} ${subscription.uri}`);
    const subscribed = new Set(subscriptions.map((subscription) => subscription.topic));
    const missing = apiTopics().filter((topic) => !subscribed.has(topicEnum(topic)));
    console.log(missing.length === 0
      ? `${shop.domain}: every topic cartstream maps has a subscription (${subscriptions.length} in all)`
      : `${shop.domain}: no subscription for ${missing.join(', ')} — \`npx cartstream webhooks register\` adds them`);
  });
}

export function registerWebhooksCommand(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('the Shopify webhook topics cartstream maps: a shopify.app.toml [webhooks] section, or `register` / `list` through the Admin API')
    .option('--url <url>', 'public base URL of this cartstream (default: publicUrl / CARTSTREAM_PUBLIC_URL)')
    .option('--api-version <version>', 'Shopify API version', '2026-04')
    .option('--list', 'only the topic names, one per line')
    .option('-c, --config <path>', 'config file')
    .action((options: { url?: string; apiVersion: string; list?: boolean; config?: string }) => {
      if (options.list) return console.log(shopifyTopics().join('\n'));
      const config = options.url === undefined ? exitOnConfigError(() => loadConfig(process.env, options.config)) : undefined;
      console.log(appTomlWebhooks(options.url ?? config?.publicUrl ?? 'https://cartstream.example.com', options.apiVersion));
    });

  webhooks
    .command('register')
    .description('subscribe the shop to every topic cartstream maps (creates only the missing subscriptions)')
    .option('--url <url>', 'public base URL of this cartstream (default: publicUrl / CARTSTREAM_PUBLIC_URL)')
    .option('--shop <domain>', 'which configured shop (default: the only one with an Admin API token)')
    .option('--api-version <version>', 'API version in the printed shopify.app.toml', '2026-04')
    .option('-c, --config <path>', 'config file')
    .action(register);

  webhooks
    .command('list')
    .description("the shop's webhook subscriptions, and which mapped topics have none")
    .option('--shop <domain>', 'which configured shop (default: the only one with an Admin API token)')
    .option('-c, --config <path>', 'config file')
    .action(list);
}
