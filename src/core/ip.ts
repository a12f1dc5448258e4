/**
 * IPv4 addresses and CIDRs as the storage and Cognitive Services firewalls accept them, on
 * ipaddr.js: strict four-part decimal (no leading zeros, which some tools read as octal), and a
 * range is public only when no part of it is private, shared, loopback or otherwise special.
 */
import ipaddr from 'ipaddr.js';

export interface ParsedIp {
  address: string;
  prefix: number;
}

type IPv4 = ipaddr.IPv4;

/**
 * Special ranges (ipaddr.js's IPv4 table: private, carrierGradeNat = shared 100.64/10, loopback,
 * linkLocal, unspecified, multicast, broadcast, reserved, benchmarking…) that a firewall rule must
 * not touch. The RFC 5737 documentation networks, which ipaddr.js files under `reserved`, stay
 * usable: they are what documentation and examples (ours included) use for public addresses.
 */
const ALLOWED_SPECIAL = new Set(['as112', 'amt']);
const DOCUMENTATION = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'];
const KIND_NAMES: Record<string, string> = { carrierGradeNat: 'shared', linkLocal: 'link-local' };
const NON_PUBLIC: { range: [IPv4, number]; kind: string }[] = Object.entries(
  (ipaddr.IPv4.prototype as unknown as { SpecialRanges: Record<string, [IPv4, number] | [IPv4, number][]> }).SpecialRanges,
)
  .filter(([name]) => !ALLOWED_SPECIAL.has(name))
  .flatMap(([name, ranges]) => (Array.isArray(ranges[0]) ? (ranges as [IPv4, number][]) : [ranges as [IPv4, number]]).map((range) => ({ range, kind: KIND_NAMES[name] ?? name })))
  .filter(({ range: [base, prefix] }) => !DOCUMENTATION.includes(`${base.toString()}/${prefix}`));

const DOTTED = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A strict dotted-decimal address or CIDR; undefined for anything else (leading zeros included). */
export function parseIpv4OrCidr(value: string): ParsedIp | undefined {
  const text = value.trim();
  const [address, prefixText, ...rest] = text.split('/');
  if (rest.length || !DOTTED.test(address) || !ipaddr.IPv4.isValidFourPartDecimal(address)) return undefined;
  if (prefixText !== undefined && !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (prefix > 32) return undefined;
  return { address: ipaddr.IPv4.parse(address).toString(), prefix };
}

function overlaps(a: [IPv4, number], b: [IPv4, number]): boolean {
  return a[0].match(b) || b[0].match(a);
}

/** The first special (non-public) range the range touches, e.g. '172.16.0.0/12 (private)'. */
export function nonPublicPart(address: string, prefix = 32): string | undefined {
  const range: [IPv4, number] = [ipaddr.IPv4.parse(address), prefix];
  const hit = NON_PUBLIC.find((special) => overlaps(range, special.range));
  return hit && `${hit.range[0].toString()}/${hit.range[1]} (${hit.kind})`;
}

export function isPrivateOrReserved(address: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(address) ? nonPublicPart(address) !== undefined : true;
}

/** Does the rule (address or CIDR) admit this address? */
export function ruleAdmits(rule: string, address: string): boolean {
  const r = parseIpv4OrCidr(rule);
  const a = parseIpv4OrCidr(address);
  if (!r || !a) return false;
  return ipaddr.IPv4.parse(a.address).match(ipaddr.IPv4.parse(r.address), r.prefix);
}

/** Ranges wider than this many bits of prefix need a confirmation (or --yes). */
export const WIDE_PREFIX = 24;

/**
 * The storage firewall form of an allow entry: a single address is written without a prefix,
 * /31 and /32 CIDRs are refused by Azure, and so are ranges that touch private or reserved space.
 * Returns the normalised value, or an error message naming the fix.
 */
export function storageIpRule(value: string): { value: string; prefix: number } | { error: string } {
  const text = value.trim();
  const [address] = text.split('/');
  if (DOTTED.test(address) && address.split('.').some((o) => /^0\d/.test(o))) {
    const decimal = address.split('.').map((o) => String(Number(o))).join('.');
    return { error: `'${value}' has leading zeros, which some tools read as octal; write the address in plain decimal (${decimal}${text.slice(address.length)}) if that is what you mean.` };
  }
  const p = parseIpv4OrCidr(text);
  if (!p) return { error: `'${value}' is not an IPv4 address or CIDR (e.g. 203.0.113.7 or 203.0.113.0/24).` };
  const plain = !text.includes('/');
  if (!plain && (p.prefix === 31 || p.prefix === 32)) {
    return { error: `'${value}': the storage firewall does not accept /31 or /32 ranges; pass the address alone (${p.address}).` };
  }
  if (p.address === '0.0.0.0' || p.prefix === 0) return { error: `'${value}' would open the firewall to everyone.` };
  if (!plain && p.prefix < 8) return { error: `'${value}' is wider than /8; allow the specific public range you need.` };
  if (!plain) {
    const network = ipaddr.IPv4.networkAddressFromCIDR(`${p.address}/${p.prefix}`).toString();
    if (network !== p.address) {
      return { error: `'${value}' has host bits set: the range it names starts at ${network}. Pass ${network}/${p.prefix}, or the address ${p.address} alone.` };
    }
  }
  const special = nonPublicPart(p.address, p.prefix);
  if (special) {
    return { error: `'${value}' includes ${special}, a private or reserved range; firewalls allow public addresses only. Allow a public range that avoids it; clients inside the VNet reach the accounts through the private endpoints instead.` };
  }
  return { value: plain ? p.address : `${p.address}/${p.prefix}`, prefix: p.prefix };
}
