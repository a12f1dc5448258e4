/**
 * IPv4 addresses and ranges as Azure's firewalls and subnets read them (one parser for every
 * provider), on ipaddr.js: strict four-part decimal, so `020.1.2.3` (octal to some readers) is not an
 * address here. The emulator keeps its own thin module: it does not import the product's code.
 */
import ipaddr from 'ipaddr.js';

export interface Ipv4Range {
  /** address as an unsigned 32-bit number */
  base: number;
  prefix: number;
}

export function parseIpv4(text: string): number | undefined {
  const s = String(text).trim();
  if (!ipaddr.IPv4.isValidFourPartDecimal(s)) return undefined;
  return ipaddr.IPv4.parse(s).toByteArray().reduce((n, octet) => n * 256 + octet, 0);
}

export function formatIpv4(n: number): string {
  return ipaddr.fromByteArray([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString();
}

/** `a.b.c.d` (prefix 32) or `a.b.c.d/n`; the address need not be the range's first. */
export function parseIpv4Range(text: string): Ipv4Range | undefined {
  const s = String(text).trim();
  if (!s.includes('/')) {
    const base = parseIpv4(s);
    return base === undefined ? undefined : { base, prefix: 32 };
  }
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(s) || !/\/\d{1,2}$/.test(s)) return undefined;
  const [address, prefix] = ipaddr.IPv4.parseCIDR(s);
  return { base: parseIpv4(address.toString())!, prefix };
}

function toRange(r: Ipv4Range): [ipaddr.IPv4, number] {
  return [ipaddr.IPv4.parse(formatIpv4(r.base)), r.prefix];
}

export function rangeContains(range: Ipv4Range, address: number): boolean {
  return ipaddr.IPv4.parse(formatIpv4(address)).match(toRange(range));
}

export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  const [ra, rb] = [toRange(a), toRange(b)];
  return ra[0].match(rb) || rb[0].match(ra);
}

/** Whether a firewall rule (address or CIDR) admits the address. */
export function ipMatchesRule(ip: string, rule: string): boolean {
  const addr = parseIpv4(ip);
  const range = parseIpv4Range(rule);
  return addr !== undefined && range !== undefined && rangeContains(range, addr);
}

/** Is the listen host a loopback address (127.0.0.0/8, ::1, an IPv4-mapped loopback) or `localhost`? */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (!ipaddr.isValid(h)) return false;
  const parsed = ipaddr.process(h);
  return parsed.range() === 'loopback';
}

/** Is the host an IP literal (as opposed to a DNS name)? */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host.replace(/^\[|\]$/g, ''));
}

/** 0.0.0.0 or :: — listening on every interface. */
export function isUnspecified(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(h) && ipaddr.process(h).range() === 'unspecified';
}
