/** Shopify's two timestamp styles, from epoch milliseconds passed in (the generator never reads a clock). */

/** "2021-12-31T19:00:00-05:00": orders, checkouts, customers and refunds use the shop's time zone. */
export function shopTimestamp(epochMs: number, utcOffsetMinutes: number): string {
  const local = new Date(epochMs + utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

/** "2022-01-01T00:00:00.000Z": carts and the X-Shopify-Triggered-At header use UTC. */
export function utcTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
