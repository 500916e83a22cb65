import type { z } from 'zod';

/** A request whose query or body does not fit its schema; the message names the fields. */
export class InvalidInput extends Error {
  readonly statusCode = 400;
}

/** What one admin route accepts and answers, as schemas; also what the OpenAPI description is built from. */
export interface AdminRouteSpec {
  method: 'GET' | 'POST';
  /** Relative to the plugin's prefix; `:name` marks a path parameter. */
  path: string;
  summary: string;
  /** Required when the path has parameters. */
  params?: z.ZodType;
  query: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

export interface AdminRoute extends AdminRouteSpec {
  /** Validates the raw query, body and path parameters, runs the route and shapes the answer with `response`. */
  run(query: unknown, body: unknown, params?: unknown): Promise<unknown>;
}

type Where = 'query' | 'body' | 'path';

function describeIssues(where: Where, error: z.ZodError): string {
  const field = (path: PropertyKey[]) => (path.length > 0 ? path.join('.') : where);
  return error.issues.map((issue) => `${field(issue.path)}: ${issue.message}`).join('; ');
}

function parsed<S extends z.ZodType>(where: Where, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInput(describeIssues(where, result.error));
  return result.data;
}

/** Binds a handler to its spec, with the handler's input typed from the spec's schemas. */
export function adminRoute<Q extends z.ZodType, B extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(
  spec: AdminRouteSpec & { query: Q; body?: B; params?: P },
  handle: (input: { query: z.output<Q>; body: z.output<B>; params: z.output<P> }) => Promise<unknown>,
): AdminRoute {
  return {
    ...spec,
    async run(query, body, params) {
      const input = {
        query: parsed('query', spec.query, query),
        body: spec.body === undefined ? undefined : parsed('body', spec.body, body),
        params: spec.params === undefined ? undefined : parsed('path', spec.params, params),
      } as { query: z.output<Q>; body: z.output<B>; params: z.output<P> };
      return spec.response.parse(await handle(input));
    },
  };
}
