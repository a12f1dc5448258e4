/** IPv4 prefixes: parsing, containment, overlap and the addresses Azure hands out in a subnet. */
import { formatIpv4, parseIpv4, parseIpv4Range } from '../../arm/ipv4.js';

export interface Ipv4Prefix {
  /** network address as an unsigned 32-bit number */
  base: number;
  length: number;
  /** number of addresses */
  size: number;
}

/** Parses `a.b.c.d/len`; undefined unless the address is the prefix's network address. */
export function parsePrefix(text: string): Ipv4Prefix | undefined {
  if (!String(text).includes('/')) return undefined;
  const range = parseIpv4Range(text);
  if (!range) return undefined;
  const size = 2 ** (32 - range.prefix);
  if (range.base % size !== 0) return undefined;
  return { base: range.base, length: range.prefix, size };
}
export function prefixContains(outer: Ipv4Prefix, inner: Ipv4Prefix): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

export function prefixesOverlap(a: Ipv4Prefix, b: Ipv4Prefix): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

export function addressIn(prefix: Ipv4Prefix, address: string): boolean {
  const n = parseIpv4(address);
  return n !== undefined && n >= prefix.base && n < prefix.base + prefix.size;
}

/**
 * The first address Azure may assign in a subnet that is not in `used`: Azure reserves the
 * network address, the next three (gateway and DNS) and the broadcast address.
 */
export function nextFreeAddress(prefix: Ipv4Prefix, used: Set<string>): string | undefined {
  for (let n = prefix.base + 4; n < prefix.base + prefix.size - 1; n++) {
    const ip = formatIpv4(n);
    if (!used.has(ip)) return ip;
  }
  return undefined;
}
