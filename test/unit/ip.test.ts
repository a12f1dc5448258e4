/** The product's address checks (src/core/ip.ts, on ipaddr.js): any part of a range counts, not only its base. */
import { describe, it, expect } from 'vitest';
import { storageIpRule, ruleAdmits, isPrivateOrReserved, parseIpv4OrCidr, nonPublicPart } from '../../src/core/ip.js';

const error = (v: string) => {
  const r = storageIpRule(v);
  return 'error' in r ? r.error : undefined;
};

describe('firewall allow entries', () => {
  it.each([
    ['172.0.0.0/8', '172.16.0.0/12 (private)'],
    ['100.0.0.0/8', '100.64.0.0/10 (shared)'],
    ['127.0.0.0/9', '127.0.0.0/8 (loopback)'],
    ['169.0.0.0/8', '169.254.0.0/16 (link-local)'],
    ['169.254.1.1', '169.254.0.0/16 (link-local)'],
    ['198.16.0.0/12', '198.18.0.0/15 (reserved)'],
    ['224.0.0.0/8', '224.0.0.0/4 (multicast)'],
    ['240.0.0.1', '240.0.0.0/4 (reserved)'],
  ])('%s is refused: it includes %s', (value, part) => {
    expect(error(value)).toContain(`includes ${part}, a private or reserved range`);
  });

  it.each(['11.0.0.0/8', '52.168.0.0/16', '8.8.8.0/24', '20.3.165.95', '203.0.113.0/24', '198.51.100.7'])('%s is public', (value) => {
    expect(storageIpRule(value)).toEqual({ value, prefix: value.includes('/') ? Number(value.split('/')[1]) : 32 });
  });

  it('refuses host bits and names the network address', () => {
    expect(error('1.2.3.4/8')).toMatch(/host bits set: the range it names starts at 1\.0\.0\.0\. Pass 1\.0\.0\.0\/8/);
    expect(error('52.168.1.1/16')).toMatch(/Pass 52\.168\.0\.0\/16/);
  });

  it('refuses leading zeros and shows the plain decimal form', () => {
    expect(error('020.001.002.003')).toMatch(/leading zeros.*\(20\.1\.2\.3\)/);
    expect(error('052.168.0.0/16')).toMatch(/\(52\.168\.0\.0\/16\)/);
    expect(parseIpv4OrCidr('020.001.002.003')).toBeUndefined();
  });

  it('refuses what is not dotted decimal', () => {
    for (const v of ['0x14.1.2.3', '1.2.3', '20.1.2.3/8/1', '20.1.2.3/ 8', '20.1.2.3/033', ' ', '::1']) expect(error(v), v).toMatch(/is not an IPv4 address or CIDR/);
  });
});

describe('matching', () => {
  it('a rule admits the addresses of its range only', () => {
    expect(ruleAdmits('203.0.113.64/26', '203.0.113.70')).toBe(true);
    expect(ruleAdmits('203.0.113.64/26', '203.0.113.10')).toBe(false);
    expect(ruleAdmits('52.168.1.1', '52.168.1.1')).toBe(true);
    expect(ruleAdmits('not-an-ip', '52.168.1.1')).toBe(false);
  });

  it('tells private and reserved addresses from public ones', () => {
    expect(isPrivateOrReserved('10.0.0.4')).toBe(true);
    expect(isPrivateOrReserved('100.64.0.1')).toBe(true);
    expect(isPrivateOrReserved('52.1.1.1')).toBe(false);
    expect(isPrivateOrReserved('nonsense')).toBe(true);
    expect(nonPublicPart('11.0.0.0', 8)).toBeUndefined();
  });
});
