/** IPv4 addresses and ranges as Azure's firewalls and subnets read them (one parser for every provider). */

export interface Ipv4Range {
  /** address as an unsigned 32-bit number */
  base: number;
  prefix: number;
}

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(String(text).trim());
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `a.b.c.d` (prefix 32) or `a.b.c.d/n`; the address need not be the range's first. */
export function parseIpv4Range(text: string): Ipv4Range | undefined {
  const [addr, len, ...rest] = String(text).trim().split('/');
  if (rest.length) return undefined;
  const base = parseIpv4(addr);
  if (base === undefined) return undefined;
  if (len === undefined) return { base, prefix: 32 };
  if (!/^\d{1,2}$/.test(len) || Number(len) > 32) return undefined;
  return { base, prefix: Number(len) };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function rangeContains(range: Ipv4Range, address: number): boolean {
  const m = mask(range.prefix);
  return ((range.base & m) >>> 0) === ((address & m) >>> 0);
}

export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  const m = mask(Math.min(a.prefix, b.prefix));
  return ((a.base & m) >>> 0) === ((b.base & m) >>> 0);
}

/** Whether a firewall rule (address or CIDR) admits the address. */
export function ipMatchesRule(ip: string, rule: string): boolean {
  const addr = parseIpv4(ip);
  const range = parseIpv4Range(rule);
  return addr !== undefined && range !== undefined && rangeContains(range, addr);
}
