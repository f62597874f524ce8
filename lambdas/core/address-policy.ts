/**
 * Which IP addresses a JWKS URL may reach (contract, PUT /admin/clients/{clientName}/keys:
 * "never from link-local or private addresses"). Without this, registering
 * `https://169.254.169.254/...` or a name that resolves to 10.x would let any operator-API
 * or settings caller make the authorizer probe the VPC or the instance metadata service.
 * Ranges: RFC 6890 special-purpose registries (IPv4 and IPv6).
 */
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
const loopback = new BlockList();

for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['169.254.0.0', 16], // link-local (instance metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96,
 * 6to4 2002::/16, IPv4-compatible ::a.b.c.d): judged by the IPv4 address inside.
 */
function embeddedIpv4(address: string): string | undefined {
  const groups = expandIpv6(address);
  if (!groups) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6] as number, groups[7] as number);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6] as number, groups[7] as number);
  if (groups[0] === 0x2002) return v4(groups[1] as number, groups[2] as number);
  if (zeros(0, 6) && !(groups[6] === 0 && (groups[7] as number) <= 1)) return v4(groups[6] as number, groups[7] as number);
  return undefined;
}

function expandIpv6(address: string): number[] | undefined {
  let a = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted?.[1]) {
    const o = dotted[1].split('.').map(Number);
    if (o.some((n) => n > 255)) return undefined;
    const [b0, b1, b2, b3] = o as [number, number, number, number];
    a = a.slice(0, -dotted[1].length) + `${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = a.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = a.includes('::') ? 8 - h.length - t.length : 0;
  const all = [...h, ...Array<string>(Math.max(0, fill)).fill('0'), ...t];
  if (all.length !== 8) return undefined;
  return all.map((g) => parseInt(g, 16));
}

export type AddressVerdict = 'public' | 'loopback' | 'blocked';

export function classifyAddress(address: string): AddressVerdict {
  const family = isIP(address);
  if (family === 4) {
    if (loopback.check(address, 'ipv4')) return 'loopback';
    return blocked.check(address, 'ipv4') ? 'blocked' : 'public';
  }
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4 !== undefined) return classifyAddress(v4);
    if (loopback.check(address, 'ipv6')) return 'loopback';
    return blocked.check(address, 'ipv6') ? 'blocked' : 'public';
  }
  return 'blocked';
}

/** True when a JWKS fetch may connect to `address`. Loopback only for the local gateway. */
export function addressAllowed(address: string, allowLoopback: boolean): boolean {
  const verdict = classifyAddress(address);
  return verdict === 'public' || (verdict === 'loopback' && allowLoopback);
}
