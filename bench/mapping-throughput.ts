// Mapping throughput per topic on one core (this thread, timed by its own CPU clock): the pure mapper on a parsed
// payload, and the whole CPU path of one delivery without the store (exact-id JSON parse → map → Segment wire JSON),
// on Shopify's webhook samples.
import { existsSync } from 'node:fs';
import { createSegmentDestination } from '../src/destinations/segment/index.ts';
import { segmentSettingsSchema } from '../src/destinations/segment/settings.ts';
import { sampleResponseText } from '../src/mapping/samples-for-tests.ts';
import { topicCatalog } from '../src/mapping/topic-mappers.ts';
import type { MapContext } from '../src/mapping/mapper.ts';
import { parseJsonExact } from '../src/shopify/parse-json-exact.ts';

export interface TopicThroughput {
  topic: string;
  bodyBytes: number;
  messages: number;
  /** Mapper only, on an already parsed payload. */
  mapsPerSecond: number;
  /** Parse the stored bytes, map, and serialize each message for Segment. */
  deliveriesPerSecond: number;
}

const samples = new URL('../../shared/fixtures/shopify/samples/', import.meta.url);
const segment = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'bench' }), { fetch: globalThis.fetch });

/** This thread's CPU time in ms (user + system): robust to other processes sharing the cores, unlike the clock. */
function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

/** Runs `work` in rounds until `ms` of this thread's CPU time have passed (after a warm-up): calls per CPU second. */
function rate(work: () => void, ms: number): number {
  for (let i = 0; i < 5_000; i++) work();
  let calls = 0;
  const started = threadCpuMs();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 500; i++) work();
    calls += 500;
    elapsed = threadCpuMs() - started;
  }
  return (calls / elapsed) * 1000;
}

function measureTopic(topic: string, ms: number): TopicThroughput | undefined {
  const file = `${topic.replace('/', '_')}.json`;
  const entry = topicCatalog.get(topic);
  if (!entry || !existsSync(new URL(file, samples))) return undefined;
  const body = Buffer.from(sampleResponseText(file));
  const context: MapContext = { shop: 'bench-store.myshopify.com', topic, webhookId: 'w', apiVersion: '2026-07', triggeredAt: null };
  const payload = parseJsonExact(body);
  const first = entry.mapper(payload, context);
  const messages = first.kind === 'mapped' ? first.messages.length : 0;
  const mapsPerSecond = rate(() => entry.mapper(payload, context), ms);
  const deliveriesPerSecond = rate(() => {
    const result = entry.mapper(parseJsonExact(body), context);
    if (result.kind === 'mapped') for (const message of result.messages) segment.transform(message);
  }, ms);
  return { topic, bodyBytes: body.length, messages, mapsPerSecond, deliveriesPerSecond };
}

/** Every Shopify topic with a mapper and a sample, `ms` of measuring for each figure. */
export function benchMappingThroughput(ms = 1_000): TopicThroughput[] {
  return [...topicCatalog.keys()].flatMap((topic) => measureTopic(topic, ms) ?? []);
}
