/** Defaults for a new VNet and subnet overlap nothing that exists. */
import { describe, it, expect } from 'vitest';
import { contains, freeSubnetPrefix, freeVnetPrefix, isNetworkCidr, overlaps } from '../../src/wizard/address-space.js';

describe('address space for a new virtual network', () => {
  it('the default VNet space is the first 10.N.0.0/16 that overlaps no existing space', () => {
    expect(freeVnetPrefix([])).toBe('10.0.0.0/16');
    expect(freeVnetPrefix(['10.0.0.0/16', '10.1.4.0/24'])).toBe('10.2.0.0/16');
    expect(freeVnetPrefix(['10.0.0.0/8'])).toBeUndefined();
  });

  it('the default subnet is the first free /24 inside the space', () => {
    expect(freeSubnetPrefix(['10.10.0.0/16'], ['10.10.0.0/24', '10.10.1.0/24'])).toBe('10.10.2.0/24');
    expect(freeSubnetPrefix(['192.168.5.0/26'], [])).toBe('192.168.5.0/26');
    expect(freeSubnetPrefix(['10.10.1.0/24'], ['10.10.1.0/25'])).toBeUndefined();
  });

  it('overlap, containment and network addresses', () => {
    expect(overlaps('10.10.0.0/16', '10.10.1.0/24')).toBe(true);
    expect(overlaps('10.10.0.0/16', '10.11.0.0/16')).toBe(false);
    expect(contains('10.10.0.0/16', '10.10.1.0/24')).toBe(true);
    expect(contains('10.10.1.0/24', '10.10.0.0/16')).toBe(false);
    expect(isNetworkCidr('10.10.0.0/16')).toBe(true);
    expect(isNetworkCidr('10.10.1.0/16')).toBe(false);
    expect(isNetworkCidr('10.10.1.0')).toBe(false);
  });
});
