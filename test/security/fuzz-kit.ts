/**
 * Shared pieces of the bad-input tests: the real Shopify payloads and mangled copies of them, header-safe text, the
 * "clear answer" check, and a watch for unhandled rejections. Every test using them runs with a fixed seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { expect } from 'vitest';
import { createSegmentDestination, segmentSettingsSchema } from '../../src/destinations/segment/index.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createPipelineWorker } from '../../src/pipeline/pipeline-worker.ts';
import type { Store } from '../../src/store/store.ts';

const fixtures = new URL('../../../shared/fixtures/shopify/', import.meta.url);

/** Shopify's documentation samples (the `response` of each file), compact. */
export const samples = readdirSync(new URL('samples/', fixtures)).map((name) =>
  Buffer.from(JSON.stringify(JSON.parse(readFileSync(new URL(`samples/${name}`, fixtures), 'utf8')).response)));
/** The anonymized real webhook bodies, byte for byte. */
export const exemplars = readdirSync(new URL('exemplars/', fixtures)).map((name) => readFileSync(new URL(`exemplars/${name}`, fixtures)));
export const realBodies = [...samples, ...exemplars];

/** Truncated and garbled (some bytes overwritten) copies of the given bodies. */
export function mangledCopies(bodies: Buffer[]): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.tuple(fc.constantFrom(...bodies), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([body, at]) => body.subarray(0, Math.floor(body.length * at))),
    fc.tuple(fc.constantFrom(...bodies), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }))
      .map(([body, edits]) => {
        const copy = Buffer.from(body);
        for (const [position, byte] of edits) copy[position % copy.length] = byte;
        return copy;
      }),
  );
}

/** Text a real HTTP client can put in a header value (printable Latin-1). */
export const latin1Text = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 64,
});

/** A JSON object (`prefix` holds its first members) whose `properties` nests `depth` arrays deep. */
export function deeplyNested(prefix: string, depth: number): Buffer {
  return Buffer.from(`{${prefix}"properties":${'['.repeat(depth)}${']'.repeat(depth)}}`);
}

export interface Answer { status: number; text: string; headers?: Record<string, unknown> }

/** Never a 5xx; every 4xx carries a JSON body with an `error` string. */
export function expectClearAnswer(answer: Answer): void {
  expect(answer.status, answer.text).toBeLessThan(500);
  if (answer.status < 400) return;
  const json = JSON.parse(answer.text) as Record<string, unknown>;
  expect(typeof json.error, answer.text).toBe('string');
}

/** Collects unhandled rejections and uncaught exceptions until `stop()`. */
export function watchUnhandled(): { seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const record = (reason: unknown) => { seen.push(reason); };
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    seen,
    stop() {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}

/** One request over a fresh connection (a socket the server closed after an early 4xx is never reused). */
export function httpExchange(url: string, method: string, headers: Record<string, string | string[]>, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent: false, headers: { ...headers, 'content-length': String(body.length) } });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: response.headers }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** The base URL of a fastify app listening on an ephemeral loopback port. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** Runs the pipeline over every pending inbox row (Segment unreachable, so mapped rows stay pending in the outbox). */
export async function drainPipeline(store: Store, now: number): Promise<void> {
  const destination = createSegmentDestination(segmentSettingsSchema.parse({ writeKey: 'fuzz', endpoint: 'http://127.0.0.1:9' }));
  const pipeline = createPipelineWorker({
    store, destinations: [destination], worker: 'fuzz-worker', batchSize: 7, leaseMs: 30_000, idleDelayMs: 10,
    now: () => now, logger: createLogger('silent'), metrics: createMetrics(),
  });
  while ((await pipeline.runOnce()) > 0) { /* until nothing is pending */ }
}

const fuzzScale = Number(process.env.FUZZ_SCALE ?? 1);

/** `numRuns` for a property: the fixed count in `npm test`, times FUZZ_SCALE for a long run (e.g. FUZZ_SCALE=20). */
export function fuzzRuns(inNpmTest: number): number {
  return Math.max(1, Math.round(inNpmTest * fuzzScale));
}

/** The timeout of a property test: vitest's 30 s, times FUZZ_SCALE in a long run. */
export const fuzzTimeoutMs = 30_000 * Math.max(1, fuzzScale);
