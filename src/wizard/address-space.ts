/** Address prefixes for a new virtual network and subnet that overlap nothing that exists. */
import { parseIpv4OrCidr } from '../core/ip.js';

interface Range {
  start: number;
  end: number;
}

function toInt(address: string): number {
  return address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

function toAddress(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function rangeOf(cidr: string): Range | undefined {
  const p = parseIpv4OrCidr(cidr);
  if (!p) return undefined;
  const size = 2 ** (32 - p.prefix);
  const start = Math.floor(toInt(p.address) / size) * size;
  return { start, end: start + size - 1 };
}

export function overlaps(a: string, b: string): boolean {
  const x = rangeOf(a);
  const y = rangeOf(b);
  return !!x && !!y && x.start <= y.end && y.start <= x.end;
}

export function contains(outer: string, inner: string): boolean {
  const x = rangeOf(outer);
  const y = rangeOf(inner);
  return !!x && !!y && x.start <= y.start && y.end <= x.end;
}

/** A CIDR whose address is its network address (10.1.0.0/16, not 10.1.2.3/16): what Azure accepts for address spaces. */
export function isNetworkCidr(cidr: string): boolean {
  const p = parseIpv4OrCidr(cidr);
  return !!p && cidr.includes('/') && rangeOf(cidr)!.start === toInt(p.address);
}

/** The first 10.N.0.0/16 that overlaps none of `taken`. */
export function freeVnetPrefix(taken: string[]): string | undefined {
  for (let n = 0; n < 256; n++) {
    const candidate = `10.${n}.0.0/16`;
    if (!taken.some((t) => overlaps(candidate, t))) return candidate;
  }
  return undefined;
}

/** The first /24 (or the whole space, if smaller) inside `space` that overlaps none of `taken`. */
export function freeSubnetPrefix(space: string[], taken: string[]): string | undefined {
  for (const s of space) {
    const r = rangeOf(s);
    const p = parseIpv4OrCidr(s);
    if (!r || !p) continue;
    const bits = Math.max(p.prefix, 24);
    const size = 2 ** (32 - bits);
    for (let start = r.start; start + size - 1 <= r.end; start += size) {
      const candidate = `${toAddress(start)}/${bits}`;
      if (!taken.some((t) => overlaps(candidate, t))) return candidate;
    }
  }
  return undefined;
}
