/** IPv4 addresses and CIDRs as the storage and Cognitive Services firewalls accept them. */

export interface ParsedIp {
  address: string;
  prefix: number;
}

export function parseIpv4OrCidr(value: string): ParsedIp | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return undefined;
  return { address: octets.join('.'), prefix };
}

function toInt(address: string): number {
  return address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

const NON_PUBLIC: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

export function inRange(address: string, base: string, prefix: number): boolean {
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return ((toInt(address) & mask) >>> 0) === ((toInt(base) & mask) >>> 0);
}

export function isPrivateOrReserved(address: string): boolean {
  return NON_PUBLIC.some(([b, p]) => inRange(address, b, p));
}

/** Does the rule (address or CIDR) admit this address? */
export function ruleAdmits(rule: string, address: string): boolean {
  const r = parseIpv4OrCidr(rule);
  const a = parseIpv4OrCidr(address);
  if (!r || !a) return false;
  return inRange(a.address, r.address, r.prefix);
}

/**
 * The storage firewall form of an allow entry: a single address is written without a prefix,
 * /31 and /32 CIDRs are refused by Azure, and so are private and reserved ranges.
 * Returns the normalised value, or an error message naming the fix.
 */
export function storageIpRule(value: string): { value: string } | { error: string } {
  const p = parseIpv4OrCidr(value);
  if (!p) return { error: `'${value}' is not an IPv4 address or CIDR (e.g. 203.0.113.7 or 203.0.113.0/24).` };
  const plain = !value.includes('/');
  if (!plain && (p.prefix === 31 || p.prefix === 32)) {
    return { error: `'${value}': the storage firewall does not accept /31 or /32 ranges; pass the address alone (${p.address}).` };
  }
  if (!plain && p.prefix < 8) return { error: `'${value}' is wider than /8; allow the specific public range you need.` };
  if (isPrivateOrReserved(p.address)) {
    return { error: `'${value}' is a private or reserved range; firewalls allow public addresses only. Clients inside the VNet reach the accounts through the private endpoints instead.` };
  }
  if (p.address === '0.0.0.0' || p.prefix === 0) return { error: `'${value}' would open the firewall to everyone.` };
  return { value: plain ? p.address : `${p.address}/${p.prefix}` };
}
