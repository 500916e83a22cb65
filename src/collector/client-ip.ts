import { BlockList, isIP } from 'node:net';

/** Decides which addresses are proxies we trust to tell us the client's address. */
export interface TrustedProxies {
  has(address: string): boolean;
}

/** IPv4 clients on a dual-stack socket show up as `::ffff:1.2.3.4`; compare them as IPv4. */
function normalised(address: string): string {
  const trimmed = address.trim();
  return trimmed.toLowerCase().startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

function addEntry(list: BlockList, entry: string): void {
  const [address = '', prefix] = entry.trim().split('/');
  const family = isIP(address);
  if (family === 0) throw new Error(`trusted proxy "${entry}" is not an IP address or CIDR range`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) list.addAddress(address, type);
  else list.addSubnet(address, Number(prefix), type);
}

/** Trusted proxies from exact addresses and CIDR ranges (`10.0.0.0/8`, `::1`); throws on a malformed entry. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) addEntry(list, normalised(entry));
  return {
    has(address) {
      const ip = normalised(address);
      const family = isIP(ip);
      return family !== 0 && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client's address. X-Forwarded-For is believed only when the direct peer is a trusted proxy, and then read
 * from the right, skipping trusted hops: anything left of the first untrusted hop could have been written by the
 * client itself.
 */
export function clientIp(peer: string, forwardedFor: string | undefined, trusted: TrustedProxies): string {
  const direct = normalised(peer);
  if (!forwardedFor || !trusted.has(direct)) return direct;
  const hops = forwardedFor.split(',').map(normalised).filter((hop) => isIP(hop) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trusted.has(hop)) return hop;
  }
  return hops[0] ?? direct;
}
