// Which network addresses a webhook may reach. Only globally routable unicast is allowed: every
// special-purpose range of ipaddr.js (IANA's IPv4 and IPv6 special-purpose registries: unspecified,
// loopback, private, link-local, CGNAT, benchmarking, documentation, multicast, reserved, ...) is
// refused, and IPv6 forms that carry an IPv4 address (mapped, compatible, SIIT, NAT64, 6to4,
// Teredo) are decoded and the IPv4 address is checked again. The check runs at submission and on
// the address the connection is actually made to (lookup hook), so DNS rebinding cannot pass.
import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';

import ipaddr from 'ipaddr.js';

const v4 = (n: number) =>
  ipaddr.fromByteArray([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]) as ipaddr.IPv4;

/** The IPv4 addresses an IPv6 address carries (transition mechanisms), or undefined. */
function embeddedV4(a: ipaddr.IPv6): ipaddr.IPv4[] | undefined {
  const p = a.parts;
  const low32 = ((p[6] << 16) | p[7]) >>> 0;
  const range = a.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return [v4(low32)];
  // 64:ff9b:1::/48 is local use
  if (range === 'rfc6052') return a.match(ipaddr.IPv6.parse('64:ff9b::'), 96) ? [v4(low32)] : [];
  if (range === '6to4') return [v4(((p[1] << 16) | p[2]) >>> 0)];
  if (range === 'teredo') return [v4(((p[2] << 16) | p[3]) >>> 0), v4(~low32 >>> 0)]; // server, client (obfuscated)
  // IPv4-compatible (::a.b.c.d, deprecated): the first 96 bits zero, beyond :: and ::1.
  if (p.slice(0, 6).every((x) => x === 0) && low32 > 1) return [v4(low32)];
  return undefined;
}

/** Why `ip` may not be reached ("loopback", "reserved", "6to4 → loopback"...); undefined when it is public. */
export function addressProblem(ip: string): string | undefined {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(ip.replace(/^\[|\]$/g, ''));
  } catch {
    return 'not an IP address';
  }
  if (addr.kind() === 'ipv4') {
    const range = addr.range();
    return range === 'unicast' ? undefined : range;
  }
  const six = addr as ipaddr.IPv6;
  const carried = embeddedV4(six);
  if (carried) {
    if (!carried.length) return six.range();
    for (const inner of carried) {
      const why = addressProblem(inner.toString());
      if (why) return `${six.range() === 'unicast' ? 'ipv4Compatible' : six.range()} → ${why}`;
    }
    return undefined;
  }
  const range = six.range();
  if (range !== 'unicast') return range;
  // Global unicast is 2000::/3; the rest of the space is unassigned.
  return six.match(ipaddr.IPv6.parse('2000::'), 3) ? undefined : 'unassigned';
}

export function isPrivateAddress(ip: string): boolean {
  return addressProblem(ip) !== undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request / net.connect that refuses private addresses: the connection goes
 * only to an address that was checked, whatever DNS answers between the checks.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad) {
      const e: NodeJS.ErrnoException = new Error(
        `${hostname} resolves to ${bad.address} (${addressProblem(bad.address)}), which webhooks may not reach`,
      );
      e.code = 'EPRIVATE';
      return callback(e, []);
    }
    if (options.all) return callback(null, list);
    callback(null, list[0].address, list[0].family);
  });
}
