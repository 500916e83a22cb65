import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), 'public');
/** uPlot's built files, served from node_modules as they are (no build step, no CDN). */
const uplotDir = dirname(createRequire(import.meta.url).resolve('uplot'));
const vendorFiles = new Set(['/uPlot.iife.min.js', '/uPlot.min.css']);

/**
 * Only this origin's files run or load: the page shows data from webhooks and storefronts, and the admin token sits
 * in sessionStorage, so no inline script, no other origin, no framing.
 */
const contentSecurityPolicy = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/**
 * The web console's static files under the plugin's prefix (e.g. /console/). Loading them needs no token; every data
 * call the page makes goes to the admin API with the token the operator types in.
 */
export async function consoleRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });
  // /console → /console/, so the page's relative links (js/app.js, ../api) resolve under the prefix.
  const withSlash = `${app.prefix}/`;
  app.route({ method: 'GET', url: '/', prefixTrailingSlash: 'no-slash', handler: (_request, reply) => reply.redirect(withSlash) });
  await app.register(fastifyStatic, { root: publicDir, prefix: '/', index: 'index.html', cacheControl: false });
  await app.register(fastifyStatic, {
    root: uplotDir, prefix: '/vendor/', decorateReply: false, allowedPath: (path) => vendorFiles.has(path), maxAge: '1d',
  });
}
