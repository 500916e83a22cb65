import { z } from 'zod';
import type { AdminRouteSpec } from './admin-route.ts';
import { errorResponse } from './admin-schemas.ts';

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, which OpenAPI 3.1 uses) of what a client sends (`input`) or receives (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** One OpenAPI parameter per property of the query schema, its description lifted onto the parameter. */
function queryParameters(query: z.ZodType): JsonSchema[] {
  const { properties = {}, required = [] } = jsonSchema(query, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, { description, ...schema }]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    ...(description === undefined ? {} : { description }),
    schema,
  }));
}

/** One required path parameter per property of the params schema. */
function pathParameters(params: z.ZodType | undefined): JsonSchema[] {
  if (params === undefined) return [];
  const { properties = {} } = jsonSchema(params, 'input') as { properties?: Record<string, JsonSchema> };
  return Object.entries(properties).map(([name, { description, ...schema }]) => ({
    name,
    in: 'path',
    required: true,
    ...(description === undefined ? {} : { description }),
    schema,
  }));
}

/** `/customers/:id/journey` → `/customers/{id}/journey`, OpenAPI's template syntax. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

function json(schema: JsonSchema, description: string): JsonSchema {
  return { description, content: { 'application/json': { schema } } };
}

const errorSchema = { $ref: '#/components/schemas/Error' };

function operation(route: AdminRouteSpec): JsonSchema {
  const parameters = [...pathParameters(route.params), ...queryParameters(route.query)];
  return {
    summary: route.summary,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, ...json(jsonSchema(route.body, 'input'), 'JSON body') } } : {}),
    responses: {
      200: json(jsonSchema(route.response, 'output'), 'OK'),
      400: json(errorSchema, 'The query or body does not fit; the error names the field'),
      401: json(errorSchema, 'Missing or wrong bearer token'),
    },
  };
}

/** OpenAPI 3.1 description of the given routes, mounted under `prefix` (e.g. `/api`). */
export function openApiDocument(routes: readonly AdminRouteSpec[], prefix: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = `${prefix}${openApiPath(route.path)}`;
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'cartstream admin API',
      version: '1',
      description:
        'Queue health, failed deliveries, dead letters, replay, event search, delivery time series, the accuracy ' +
        'report, customer profiles and customer journeys. ' +
        'Every route needs `Authorization: Bearer <CARTSTREAM_ADMIN_TOKEN>`.',
    },
    security: [{ bearerToken: [] }],
    paths,
    components: {
      securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: jsonSchema(errorResponse, 'output') },
    },
  };
}
