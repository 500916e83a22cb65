import { describe, expect, it } from 'vitest';
import { clientIp, trustedProxies } from './client-ip.ts';

const trusted = trustedProxies(['10.0.0.0/8', '192.0.2.1', '::1']);

describe('clientIp', () => {
  it.each([
    ['an untrusted peer, whatever it forwards', '203.0.113.7', '1.1.1.1', '203.0.113.7'],
    ['a trusted peer without X-Forwarded-For', '10.0.0.1', undefined, '10.0.0.1'],
    ['a trusted peer: the last untrusted hop', '10.0.0.1', '6.6.6.6, 198.51.100.9, 10.2.2.2', '198.51.100.9'],
    ['a trusted IPv4-mapped IPv6 peer', '::ffff:192.0.2.1', '198.51.100.9', '198.51.100.9'],
    ['a trusted IPv6 peer', '::1', '2001:db8::5', '2001:db8::5'],
    ['only trusted hops: the first of them', '10.0.0.1', '10.0.0.9, 10.0.0.8', '10.0.0.9'],
    ['garbage hops are skipped', '10.0.0.1', 'unknown, 198.51.100.9', '198.51.100.9'],
    ['an IPv4-mapped untrusted peer, as IPv4', '::ffff:203.0.113.7', undefined, '203.0.113.7'],
  ])('%s', (_name, peer, forwarded, expected) => {
    expect(clientIp(peer, forwarded, trusted)).toBe(expected);
  });

  it('refuses a trusted proxy entry that is not an address', () => {
    expect(() => trustedProxies(['proxy.internal'])).toThrow('trusted proxy "proxy.internal" is not an IP address or CIDR range');
  });
});
