// Go's address text and reverse names, against the forms Go and CoreDNS print.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressFromReverse, canonicalIP, formatIPv6, reverseName } from './addresses.js';

describe('addresses', () => {
  it('formats IPv6 as Go does (RFC 5952, v4-mapped as IPv4)', () => {
    expect(canonicalIP('2001:DB8:0:0:0:0:0:1')?.text).toBe('2001:db8::1');
    expect(canonicalIP('2001:db8:0:0:1:0:0:1')?.text).toBe('2001:db8::1:0:0:1');
    expect(canonicalIP('fd00:0:0:1::')?.text).toBe('fd00:0:0:1::');
    expect(canonicalIP('::')?.text).toBe('::');
    expect(canonicalIP('::ffff:10.0.0.1')).toEqual({ text: '10.0.0.1', family: 4 });
    expect(canonicalIP('2001:db8::1::2')).toBeUndefined();
    expect(canonicalIP('10.0.0.01')).toBeUndefined();
    expect(formatIPv6([1, 0, 2, 0, 0, 3, 0, 0])).toBe('1:0:2::3:0:0');
  });

  it('builds and reads reverse names', () => {
    expect(reverseName('10.96.0.10')).toBe('10.0.96.10.in-addr.arpa.');
    expect(reverseName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.');
    expect(addressFromReverse('10.0.96.10.IN-ADDR.ARPA.')).toBe('10.96.0.10');
    expect(addressFromReverse('0.96.10.in-addr.arpa.')).toBe('');
  });

  it('reverse names round-trip for any address', () => {
    const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
    const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':'));
    fc.assert(
      fc.property(fc.oneof(v4, v6), (ip) => {
        expect(addressFromReverse(reverseName(ip))).toBe(canonicalIP(ip)?.text);
      }),
    );
  });
});
