import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object: credentials and personal data never reach logs.
 * Code logs ids and counts, not payloads; this is the safety net when an object slips through.
 */
export const redactedPaths = [
  'secret', '*.secret', 'webhookSecrets', '*.webhookSecrets', '*.*.webhookSecrets', 'rechargeSecrets', '*.rechargeSecrets', '*.*.rechargeSecrets',
  'writeKey', '*.writeKey', '*.*.writeKey', 'token', '*.token', '*.*.token', 'accessToken', '*.accessToken', 'adminToken', '*.adminToken', 'adminAccessToken', '*.adminAccessToken', '*.*.adminAccessToken', 'sourceKey', '*.sourceKey',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
  'req.headers["x-shopify-hmac-sha256"]', 'headers["x-shopify-hmac-sha256"]',
  'headers["x-recharge-hmac-sha256"]', 'headers["x-recharge-webhook-signature"]',
  'email', '*.email', 'phone', '*.phone', 'first_name', 'last_name', '*.first_name', '*.last_name',
  'body', '*.body', 'payload', '*.payload', 'traits', '*.traits',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'cartstream' }, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}
