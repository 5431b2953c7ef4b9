import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { broadcastOf, cidrToString, inSubnet, ipToString, maskToPrefix, networkOf, parseCIDR, parseIPv4, prefixMask, tryParseCIDR, tryParseIPv4 } from './ipv4.js';

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const prefixLen = fc.integer({ min: 0, max: 32 });

describe('ipToString / parseIPv4', () => {
  it('formats and parses the extremes unsigned', () => {
    expect(ipToString(0)).toBe('0.0.0.0');
    expect(ipToString(0xffffffff)).toBe('255.255.255.255');
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIPv4('10.244.1.2')).toBe(0x0af40102);
    expect(parseIPv4('192.168.56.11')).toBe(0xc0a8380b);
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.-1', '01.2.3.4', '1.2.3.04', ' 1.2.3.4', '1.2.3.4 ', '1..3.4', '.1.2.3', '1.2.3.', 'a.b.c.d', '1.2.3.4/24', '1111.1.1.1'])(
    'rejects %j',
    (s) => {
      expect(tryParseIPv4(s)).toBeUndefined();
      expect(() => parseIPv4(s)).toThrow(/invalid IPv4/);
    },
  );

  it('accepts a lone zero octet', () => {
    expect(parseIPv4('10.0.0.0')).toBe(0x0a000000);
  });

  it('round-trips every uint32 (property)', () => {
    fc.assert(
      fc.property(uint32, (n) => {
        expect(parseIPv4(ipToString(n))).toBe(n);
      }),
    );
  });

  it('round-trips every canonical dotted quad (property)', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), (o) => {
        const s = o.join('.');
        expect(ipToString(parseIPv4(s))).toBe(s);
      }),
    );
  });
});

describe('masks and subnets', () => {
  it('prefixMask covers /0 and /32 without sign or shift surprises', () => {
    expect(prefixMask(0)).toBe(0);
    expect(prefixMask(1)).toBe(0x80000000);
    expect(prefixMask(16)).toBe(0xffff0000);
    expect(prefixMask(24)).toBe(0xffffff00);
    expect(prefixMask(32)).toBe(0xffffffff);
  });

  it('networkOf / broadcastOf / inSubnet on the flannel layout', () => {
    const pod = parseIPv4('10.244.1.2');
    expect(ipToString(networkOf(pod, 24))).toBe('10.244.1.0');
    expect(ipToString(broadcastOf(pod, 24))).toBe('10.244.1.255');
    expect(ipToString(broadcastOf(parseIPv4('172.17.0.1'), 16))).toBe('172.17.255.255');
    expect(inSubnet(pod, parseIPv4('10.244.0.0'), 16)).toBe(true);
    expect(inSubnet(pod, parseIPv4('10.244.2.0'), 24)).toBe(false);
    expect(inSubnet(parseIPv4('8.8.8.8'), 0, 0)).toBe(true);
    expect(broadcastOf(0, 0)).toBe(0xffffffff);
  });

  it('maskToPrefix inverts prefixMask and rejects holes', () => {
    for (let len = 0; len <= 32; len++) expect(maskToPrefix(prefixMask(len))).toBe(len);
    expect(maskToPrefix(parseIPv4('255.0.255.0'))).toBe(-1);
  });

  it('network <= ip <= broadcast, all unsigned and in the subnet (property)', () => {
    fc.assert(
      fc.property(uint32, prefixLen, (ip, len) => {
        const net = networkOf(ip, len);
        const brd = broadcastOf(ip, len);
        expect(net).toBeGreaterThanOrEqual(0);
        expect(net).toBeLessThanOrEqual(ip);
        expect(brd).toBeGreaterThanOrEqual(ip);
        expect(brd).toBeLessThanOrEqual(0xffffffff);
        expect(inSubnet(ip, net, len)).toBe(true);
        expect(inSubnet(brd, net, len)).toBe(true);
        expect(brd - net).toBe(2 ** (32 - len) - 1);
      }),
    );
  });
});

describe('parseCIDR / cidrToString', () => {
  it('parses the pod network and keeps host bits', () => {
    expect(parseCIDR('10.244.0.0/16')).toEqual({ ip: 0x0af40000, prefixLen: 16 });
    expect(parseCIDR('10.244.1.1/24')).toEqual({ ip: 0x0af40101, prefixLen: 24 });
    expect(parseCIDR('0.0.0.0/0')).toEqual({ ip: 0, prefixLen: 0 });
    expect(cidrToString(parseCIDR('10.96.0.0/12'))).toBe('10.96.0.0/12');
    expect(cidrToString(0x0af40100, 24)).toBe('10.244.1.0/24');
  });

  it.each(['10.244.0.0', '10.244.0.0/', '10.244.0.0/33', '10.244.0.0/08', '10.244.0.0/1a', '10.244.0/16', '/16'])('rejects %j', (s) => {
    expect(tryParseCIDR(s)).toBeUndefined();
    expect(() => parseCIDR(s)).toThrow(/invalid CIDR/);
  });

  it('round-trips (property)', () => {
    fc.assert(
      fc.property(uint32, prefixLen, (ip, len) => {
        const s = cidrToString(ip, len);
        expect(parseCIDR(s)).toEqual({ ip, prefixLen: len });
        expect(cidrToString(parseCIDR(s))).toBe(s);
      }),
    );
  });
});
