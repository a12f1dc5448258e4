/** IPv4 rule matching for the Cognitive Services firewall: a rule is an address or a CIDR range. */

function toNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function ipMatchesRule(ip: string, rule: string): boolean {
  const [base, bitsText] = rule.split('/');
  const addr = toNumber(ip);
  const net = toNumber(base);
  if (addr === undefined || net === undefined) return false;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!(bits >= 0 && bits <= 32)) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(addr / size) === Math.floor(net / size);
}
