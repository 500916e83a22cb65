import type { z } from 'zod';

/** A request whose query or body does not fit its schema; the message names the fields. */
export class InvalidInput extends Error {
  readonly statusCode = 400;
}

/** What one admin route accepts and answers, as schemas; also what the OpenAPI description is built from. */
export interface AdminRouteSpec {
  method: 'GET' | 'POST';
  /** Relative to the plugin's prefix. */
  path: string;
  summary: string;
  query: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

export interface AdminRoute extends AdminRouteSpec {
  /** Validates the raw query and body, runs the route and shapes the answer with `response`. */
  run(query: unknown, body: unknown): Promise<unknown>;
}

function describeIssues(where: 'query' | 'body', error: z.ZodError): string {
  const field = (path: PropertyKey[]) => (path.length > 0 ? path.join('.') : where);
  return error.issues.map((issue) => `${field(issue.path)}: ${issue.message}`).join('; ');
}

function parsed<S extends z.ZodType>(where: 'query' | 'body', schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInput(describeIssues(where, result.error));
  return result.data;
}

/** Binds a handler to its spec, with the handler's input typed from the spec's schemas. */
export function adminRoute<Q extends z.ZodType, B extends z.ZodType = z.ZodUndefined>(
  spec: AdminRouteSpec & { query: Q; body?: B },
  handle: (input: { query: z.output<Q>; body: z.output<B> }) => Promise<unknown>,
): AdminRoute {
  return {
    ...spec,
    async run(query, body) {
      const input = {
        query: parsed('query', spec.query, query),
        body: spec.body === undefined ? undefined : parsed('body', spec.body, body),
      } as { query: z.output<Q>; body: z.output<B> };
      return spec.response.parse(await handle(input));
    },
  };
}
