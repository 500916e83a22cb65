/**
 * ReCharge webhook header names in one table (Node lower-cases incoming names). ReCharge sends no shop header and
 * no delivery id: cartstream learns the shop from the URL (or the one configured ReCharge shop) and deduplicates on
 * a digest of topic and body (see recharge-intake.ts).
 */
export const rechargeHeaders = {
  /** Legacy scheme: hex sha256 of API client secret + raw body (a plain hash, despite the name). */
  legacySignature: 'x-recharge-hmac-sha256',
  /** Timestamp-bound scheme: `t=<epoch seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
  signature: 'x-recharge-webhook-signature',
  timestamp: 'x-recharge-webhook-timestamp',
  topic: 'x-recharge-topic',
  apiVersion: 'x-recharge-version',
} as const;

/** Headers never stored with a delivery. */
export const rechargeSignatureHeaders: ReadonlySet<string> = new Set([rechargeHeaders.legacySignature, rechargeHeaders.signature]);
