import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoutes } from './console-routes.ts';

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  await app.register(consoleRoutes, { prefix: '/console' });
  await app.ready();
});
afterAll(() => app.close());

describe('the console files', () => {
  it('serves the page without a token, under a policy that lets only this origin run or load anything', async () => {
    const reply = await app.inject({ method: 'GET', url: '/console/' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/html/);
    expect(reply.body).toContain('<form id="sign-in-form"');
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends /console on to /console/, so the page’s relative links resolve', async () => {
    const reply = await app.inject({ method: 'GET', url: '/console' });
    expect(reply.statusCode).toBe(302);
    expect(reply.headers.location).toBe('/console/');
  });

  it.each([
    ['/console/js/app.js', /javascript/],
    ['/console/console.css', /text\/css/],
    ['/console/vendor/uPlot.iife.min.js', /javascript/],
    ['/console/vendor/uPlot.min.css', /text\/css/],
  ])('serves %s', async (url, type) => {
    const reply = await app.inject({ method: 'GET', url });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(type);
  });

  it.each(['/console/vendor/uPlot.cjs.js', '/console/vendor/../package.json', '/console/../package.json', '/console/%2e%2e/console-routes.ts'])(
    'serves nothing else: %s', async (url) => {
      const reply = await app.inject({ method: 'GET', url });
      expect(reply.statusCode).toBeGreaterThanOrEqual(400);
      expect(reply.body).not.toContain('"version"');
    },
  );
});
