import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FaultAction } from './fault-plan.ts';

/**
 * Answers a fault the way the sink's API would fail; returns false when the request should then be handled
 * normally (a timed hang only delays it). `body` is the API's own error body for an injected status.
 */
export async function answerFault(action: FaultAction, reply: FastifyReply, body: (status: number) => string): Promise<boolean> {
  if (action.kind === 'hang') {
    if (action.ms === undefined) {
      reply.hijack(); // never answer: the client times out; close() destroys the socket
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, action.ms));
    return false;
  }
  if (action.retryAfter !== undefined) reply.header('retry-after', action.retryAfter);
  await reply.code(action.status).type('application/json').send(action.body ?? body(action.status));
  return true;
}

/** Listens on loopback (a free port unless one is given) and returns the base URL. */
export async function listenOnLoopback(app: FastifyInstance, options: { port?: number; host?: string }): Promise<string> {
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return `http://${host}:${port}`;
}
