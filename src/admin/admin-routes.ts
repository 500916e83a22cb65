import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { isStoreBusy, type Store } from '../store/store.ts';
import { adminRoute, InvalidInput, type AdminRoute } from './admin-route.ts';
import { adminRouteTable } from './admin-route-table.ts';
import { noQuery, openApiResponse } from './admin-schemas.ts';
import { bearerTokenCheck } from './bearer-token.ts';
import { openApiDocument } from './openapi-document.ts';

export interface AdminRoutesOptions {
  store: Store;
  /**
   * The bearer token every request must present (CARTSTREAM_ADMIN_TOKEN). Undefined or empty disables the admin
   * API: every path under the prefix answers 404, as if it did not exist — an API with no token must not look like a
   * protected one that some token could open, and 401 would invite guessing.
   */
  token: string | undefined;
  now: () => number;
}

function openApiRoute(routes: AdminRoute[], prefix: string): AdminRoute {
  const spec = { method: 'GET', path: '/openapi.json', summary: 'This OpenAPI 3.1 description' } as const;
  const described = [...routes, { ...spec, query: noQuery, response: openApiResponse }];
  const document = openApiDocument(described, prefix);
  return adminRoute({ ...spec, query: noQuery, response: openApiResponse }, async () => document);
}

function sendError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof InvalidInput) return reply.code(400).send({ error: error.message });
  const status = error.statusCode ?? 500;
  // Fastify's own client errors (malformed JSON, wrong content type) keep their status; anything else is ours.
  if (status >= 400 && status < 500) return reply.code(status).send({ error: error.message });
  request.log.error({ err: error }, 'admin API request failed');
  return reply.code(500).send({ error: 'internal error' });
}

/** How long a request keeps retrying a write that another connection's lock refused. */
const busyRetryForMs = 5_000;

/**
 * Runs a route, again a moment later while the store is busy. In the default role this process's SQLite connection
 * does not wait for the processing thread's write lock (so webhooks never stall), which makes a replay or reprocess
 * fail with SQLITE_BUSY under load; a busy statement wrote nothing, so running it again is safe.
 */
async function runWhileBusy(run: () => Promise<unknown>): Promise<unknown> {
  const giveUpAt = performance.now() + busyRetryForMs;
  for (let delayMs = 2; ; delayMs = Math.min(delayMs * 2, 100)) {
    try {
      return await run();
    } catch (error) {
      if (!isStoreBusy(error) || performance.now() > giveUpAt) throw error;
      await sleep(delayMs);
    }
  }
}

function registerEnabled(app: FastifyInstance, options: AdminRoutesOptions & { token: string }): void {
  const authorized = bearerTokenCheck(options.token);
  // Registered first, so it also guards the not-found handler: without the token nobody learns which paths exist.
  app.addHook('onRequest', async (request, reply) => {
    if (!authorized(request.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer realm="cartstream admin"');
      return reply.code(401).send({ error: 'missing or wrong bearer token' });
    }
  });
  app.setErrorHandler(sendError);
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: `no admin route ${request.method} ${request.url}` }));
  const routes = adminRouteTable(options);
  for (const route of [...routes, openApiRoute(routes, app.prefix)]) {
    const handler = async (request: FastifyRequest) => runWhileBusy(() => route.run(request.query, request.body, request.params));
    app.route({ method: route.method, url: route.path, handler });
  }
}

/**
 * The admin HTTP API as a fastify plugin. Register it with a prefix, e.g.
 * `app.register(adminRoutes, { prefix: '/api', store, token: process.env.CARTSTREAM_ADMIN_TOKEN, now: Date.now })`.
 * Not wrapped in fastify-plugin on purpose: its auth hook and error handlers stay inside the prefix.
 */
export async function adminRoutes(app: FastifyInstance, options: AdminRoutesOptions): Promise<void> {
  const { token } = options;
  if (token === undefined || token === '') {
    app.setNotFoundHandler(async (_request, reply) =>
      reply.code(404).send({ error: 'the admin API is disabled: no admin token is configured' }));
    return;
  }
  registerEnabled(app, { ...options, token });
}
