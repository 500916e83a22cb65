/** CORS for the shop's storefront origins: reflect an allowed origin, never `*`. */
export interface CorsPolicy {
  /** True when the request carries no Origin (server-side libraries) or an allowed one. */
  allows(origin: string | undefined): boolean;
  /** Headers for any response to this origin (empty unless allowed). */
  headersFor(origin: string | undefined): Record<string, string>;
  /** Extra headers answering a preflight from an allowed origin. */
  preflightHeaders(): Record<string, string>;
}

function normalisedOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

/** analytics.js sends text/plain (no preflight); fetch with JSON or analytics-node-style auth needs these. */
const allowedRequestHeaders = 'content-type, authorization';

export function corsPolicy(allowedOrigins: readonly string[]): CorsPolicy {
  const allowed = new Set(allowedOrigins.map(normalisedOrigin));
  const isAllowed = (origin: string) => allowed.has(normalisedOrigin(origin));
  return {
    allows: (origin) => origin === undefined || isAllowed(origin),
    headersFor(origin): Record<string, string> {
      // Vary on every answer, so a cache never serves one origin's answer to another.
      if (origin === undefined || !isAllowed(origin)) return { vary: 'Origin' };
      return { vary: 'Origin', 'access-control-allow-origin': origin };
    },
    preflightHeaders: () => ({
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': allowedRequestHeaders,
      'access-control-max-age': '86400',
    }),
  };
}
