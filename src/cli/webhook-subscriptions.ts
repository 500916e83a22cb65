import { topicCatalog } from '../mapping/topic-mappers.ts';

/** Shopify's mandatory privacy topics, which every app must subscribe to (sent to the compliance URI). */
export const complianceTopics = ['customers/data_request', 'customers/redact', 'shop/redact'] as const;

/** Topics in the table that are not Shopify's: the storefront collector's and ReCharge's (subscribed in ReCharge). */
const otherSources = ['collector/', 'recharge/'];

/** The Shopify webhook topics cartstream maps, from the topic table. */
export function shopifyTopics(): string[] {
  return [...topicCatalog.keys()].filter((topic) => !otherSources.some((prefix) => topic.startsWith(prefix))).sort();
}

/** The `[webhooks]` section of a shopify.app.toml that subscribes the app to every topic cartstream maps. */
export function appTomlWebhooks(baseUrl: string, apiVersion: string): string {
  const uri = `${baseUrl.replace(/\/$/, '')}/webhooks/shopify`;
  const quoted = (topics: readonly string[]) => topics.map((topic) => `"${topic}"`).join(', ');
  return [
    '[webhooks]',
    `api_version = "${apiVersion}"`,
    '',
    '  [[webhooks.subscriptions]]',
    `  topics = [ ${quoted(shopifyTopics())} ]`,
    `  uri = "${uri}"`,
    '',
    '  # Required of every app. cartstream stores these deliveries; acting on them (redaction, export) is not built yet.',
    '  [[webhooks.subscriptions]]',
    `  compliance_topics = [ ${quoted(complianceTopics)} ]`,
    `  uri = "${uri}"`,
  ].join('\n');
}
