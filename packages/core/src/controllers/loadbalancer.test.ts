import { describe, expect, it } from 'vitest';
import { ipToString } from '../net/ipv4.js';
import { poolAddresses } from './loadbalancer.js';

const texts = (pool: string[]) => poolAddresses(pool).map(ipToString);

describe("MetalLB's pool", () => {
  it('lists a range in order, a one-address range included', () => {
    expect(texts(['192.168.56.240-192.168.56.242', '10.0.0.9 - 10.0.0.9'])).toEqual(['192.168.56.240', '192.168.56.241', '192.168.56.242', '10.0.0.9']);
  });

  it("hands out a CIDR's network and broadcast addresses too", () => {
    expect(texts(['10.0.0.0/30'])).toEqual(['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(texts(['10.0.0.7/32'])).toEqual(['10.0.0.7']);
  });

  it('skips an unreadable or reversed range, and refuses an unreadable CIDR', () => {
    expect(texts(['10.0.0.9-10.0.0.1', '10.0.0.1-x', '10.0.0.1-10.0.0.2'])).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(() => poolAddresses(['10.0.0.0/33'])).toThrow('invalid CIDR: "10.0.0.0/33"');
  });
});
