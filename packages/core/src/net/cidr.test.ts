import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IPv4, IPv4CidrRange, RangedSet, Validator } from 'ip-num';
import {
  addressIndex,
  addressRange,
  addresses,
  cidrBlock,
  cidrText,
  contains,
  containsRange,
  nthAddress,
  nthSubnet,
  overlaps,
  parseCidr,
  parseRange,
  rangeText,
  subRange,
  subnetCount,
  subnets,
  tryParseCidr,
  tryParseRange,
} from './cidr.js';
import { broadcastOf, inSubnet, ipToString, networkOf, parseIPv4, tryParseCIDR } from './ipv4.js';

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const prefixLen = fc.integer({ min: 0, max: 32 });
const arbBlock = fc.tuple(uint32, prefixLen).map(([ip, p]) => cidrBlock(ip, p));
const arbRange = fc.tuple(uint32, uint32).map(([a, b]) => addressRange(Math.min(a, b), Math.max(a, b)));

describe('parseCidr', () => {
  it('gives the bounds as numbers, keeping the address as written', () => {
    const c = parseCidr('10.244.1.7/24');
    expect(c).toEqual({ ip: parseIPv4('10.244.1.7'), prefixLen: 24, first: parseIPv4('10.244.1.0'), last: parseIPv4('10.244.1.255'), size: 256 });
    expect(cidrText(c)).toBe('10.244.1.0/24');
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ first: 0, last: 0xffffffff, size: 2 ** 32 });
    expect(parseCidr('10.96.0.0/12')).toMatchObject({ first: parseIPv4('10.96.0.0'), last: parseIPv4('10.111.255.255'), size: 2 ** 20 });
    expect(parseCidr('192.168.56.10/32')).toMatchObject({ first: parseIPv4('192.168.56.10'), last: parseIPv4('192.168.56.10'), size: 1 });
  });

  it.each([
    '',
    '10.0.0.0',
    '10.0.0.0/',
    '/8',
    '10.0.0.0/33',
    '10.0.0.0/08',
    '10.0.0.0/008',
    '010.0.0.0/8',
    ' 10.0.0.0/8',
    '10.0.0.0/8 ',
    '10.0.0.0/+8',
    '10.0.0.0/8/8',
    '256.0.0.0/8',
    '::/0',
    '2001:db8::/64',
  ])('rejects %j as ./ipv4.ts does', (s) => {
    expect(tryParseCidr(s)).toBeUndefined();
    expect(tryParseCIDR(s)).toBeUndefined();
    expect(() => parseCidr(s)).toThrow(`invalid CIDR: ${JSON.stringify(s)}`);
  });

  it('is stricter than ip-num on a zero-padded prefix length (netip.ParsePrefix, not net.ParseCIDR)', () => {
    // ip-num, like Go's net.ParseCIDR (its dtoi), takes "/08"; Go's netip.ParsePrefix does not.
    expect(Validator.isValidIPv4CidrNotation('10.0.0.0/08')[0]).toBe(true);
    expect(IPv4CidrRange.fromCidr('10.0.0.0/08').toCidrString()).toBe('10.0.0.0/8');
    expect(tryParseCidr('10.0.0.0/08')).toBeUndefined();
    // Both reject a zero-padded octet, which the API server's sloppy validation (ParseCIDRSloppy) reads as decimal.
    expect(Validator.isValidIPv4CidrNotation('010.0.0.0/8')[0]).toBe(false);
  });

  it('hands back the same frozen record for the same text', () => {
    const a = parseCidr('10.244.0.0/16');
    expect(parseCidr('10.244.0.0/16')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('accepts exactly what ./ipv4.ts parseCIDR accepts, with the same numbers (property)', () => {
    const digits = fc.stringMatching(/^[0-9]{1,4}$/);
    const text = fc.oneof(
      fc.tuple(uint32, prefixLen).map(([ip, p]) => `${ipToString(ip)}/${p}`),
      fc.tuple(digits, digits, digits, digits, digits).map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.', '/', ' ', '-', ':'), maxLength: 20 }),
    );
    fc.assert(
      fc.property(text, (s) => {
        const ours = tryParseCidr(s);
        const theirs = tryParseCIDR(s);
        expect(ours === undefined).toBe(theirs === undefined);
        if (ours && theirs) {
          expect(ours.ip).toBe(theirs.ip);
          expect(ours.prefixLen).toBe(theirs.prefixLen);
          expect(ours.first).toBe(networkOf(theirs.ip, theirs.prefixLen));
          expect(ours.last).toBe(broadcastOf(theirs.ip, theirs.prefixLen));
          expect(ours.size).toBe(2 ** (32 - theirs.prefixLen));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('builds the same block from numbers as from text (property)', () => {
    fc.assert(
      fc.property(uint32, prefixLen, (ip, p) => {
        expect(cidrBlock(ip, p)).toEqual(parseCidr(`${ipToString(ip)}/${p}`));
      }),
    );
  });
});

describe('parseRange', () => {
  it('reads MetalLB-style ranges, one address included', () => {
    expect(parseRange('192.168.56.240-192.168.56.250')).toEqual({ first: parseIPv4('192.168.56.240'), last: parseIPv4('192.168.56.250'), size: 11 });
    expect(parseRange('10.0.0.5 - 10.0.0.6')).toMatchObject({ size: 2 });
    // ip-num's Validator.isValidIPv4RangeString rejects "a-a"; RangedSet (used here) and MetalLB take it.
    expect(Validator.isValidIPv4RangeString('10.0.0.5-10.0.0.5')[0]).toBe(false);
    expect(parseRange('10.0.0.5-10.0.0.5')).toEqual({ first: parseIPv4('10.0.0.5'), last: parseIPv4('10.0.0.5'), size: 1 });
    expect(rangeText(parseRange(' 10.0.0.1 -10.0.0.9 '))).toBe('10.0.0.1-10.0.0.9');
  });

  it.each(['', '10.0.0.1', '10.0.0.9-10.0.0.1', '10.0.0.1-', '-10.0.0.1', '010.0.0.1-10.0.0.2', '10.0.0.1-10.0.0.2-10.0.0.3', '10.0.0.0/24', '::1-::2'])('rejects %j', (s) => {
    expect(tryParseRange(s)).toBeUndefined();
    expect(() => parseRange(s)).toThrow(`invalid IPv4 range: ${JSON.stringify(s)}`);
  });

  it('round-trips through its text (property)', () => {
    fc.assert(
      fc.property(arbRange, (r) => {
        expect(parseRange(rangeText(r))).toEqual(r);
      }),
    );
  });
});

describe('contains / containsRange / overlaps', () => {
  it('contains agrees with inSubnet (property)', () => {
    fc.assert(
      fc.property(arbBlock, uint32, (c, ip) => {
        expect(contains(c, ip)).toBe(inSubnet(ip, c.ip, c.prefixLen));
      }),
    );
  });

  it('contains holds for a block’s own ends and not just outside them (property)', () => {
    fc.assert(
      fc.property(arbBlock, (c) => {
        expect(contains(c, c.first)).toBe(true);
        expect(contains(c, c.last)).toBe(true);
        if (c.first > 0) expect(contains(c, c.first - 1)).toBe(false);
        if (c.last < 0xffffffff) expect(contains(c, c.last + 1)).toBe(false);
      }),
    );
  });

  it('overlaps and containsRange agree with interval arithmetic (property)', () => {
    fc.assert(
      fc.property(arbRange, arbRange, (a, b) => {
        expect(overlaps(a, b)).toBe(a.first <= b.last && b.first <= a.last);
        expect(overlaps(a, b)).toBe(overlaps(b, a));
        expect(containsRange(a, b)).toBe(a.first <= b.first && b.last <= a.last);
      }),
    );
  });

  it('counts ranges that share only an end address as overlapping (ip-num 1.6 does not)', () => {
    const a = parseRange('10.0.0.1-10.0.0.5');
    const b = parseRange('10.0.0.5-10.0.0.9');
    const set = (a: string, b: string) => new RangedSet(IPv4.fromString(a), IPv4.fromString(b));
    expect(set('10.0.0.1', '10.0.0.5').isOverlapping(set('10.0.0.5', '10.0.0.9'))).toBe(false);
    expect(overlaps(a, b)).toBe(true);
    expect(overlaps(a, parseRange('10.0.0.6-10.0.0.9'))).toBe(false);
  });

  it('CIDR blocks overlap iff one contains the other (property)', () => {
    fc.assert(
      fc.property(arbBlock, arbBlock, (a, b) => {
        expect(overlaps(a, b)).toBe(inSubnet(a.first, b.first, b.prefixLen) || inSubnet(b.first, a.first, a.prefixLen));
      }),
    );
  });
});

describe('subnets', () => {
  it('splits the pod network into node /24s', () => {
    const net = parseCidr('10.244.0.0/16');
    expect(subnetCount(net, 24)).toBe(256);
    expect(cidrText(nthSubnet(net, 24, 0))).toBe('10.244.0.0/24');
    expect(cidrText(nthSubnet(net, 24, 2))).toBe('10.244.2.0/24');
    expect(cidrText(nthSubnet(net, 24, 255))).toBe('10.244.255.0/24');
    expect(() => nthSubnet(net, 24, 256)).toThrow(RangeError);
    expect(subnetCount(net, 8)).toBe(0);
    expect(subnetCount(net, 33)).toBe(0);
    expect(subnets(net, 8)).toEqual([]);
  });

  it('partition the network: in order, contiguous, aligned, covering it (property)', () => {
    fc.assert(
      fc.property(arbBlock, fc.integer({ min: 0, max: 6 }), (c, extra) => {
        const p = Math.min(32, c.prefixLen + extra);
        const subs = subnets(c, p);
        expect(subs.length).toBe(subnetCount(c, p));
        expect(subs[0]!.first).toBe(c.first);
        expect(subs.at(-1)!.last).toBe(c.last);
        subs.forEach((s, i) => {
          expect(s).toEqual(nthSubnet(c, p, i));
          expect(s.prefixLen).toBe(p);
          expect(s.first).toBe(networkOf(s.first, p));
          expect(s.last).toBe(broadcastOf(s.first, p));
          expect(inSubnet(s.first, c.first, c.prefixLen)).toBe(true);
          if (i > 0) expect(s.first).toBe(subs[i - 1]!.last + 1);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('nthSubnet of any index lies in the network and holds its own network address (property)', () => {
    fc.assert(
      fc.property(
        arbBlock
          .chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: c.prefixLen, max: 32 })))
          .chain(([c, p]) => fc.tuple(fc.constant(c), fc.constant(p), fc.integer({ min: 0, max: subnetCount(c, p) - 1 }))),
        ([c, p, n]) => {
          const s = nthSubnet(c, p, n);
          expect(containsRange(c, s)).toBe(true);
          expect(s.first).toBe(networkOf(c.first + n * 2 ** (32 - p), p));
          expect(parseCidr(cidrText(s))).toEqual(s);
        },
      ),
    );
  });
});

describe('nthAddress / addressIndex / subRange / addresses', () => {
  it('nthAddress round-trips with addressIndex and stays in the block (property)', () => {
    fc.assert(
      fc.property(
        arbBlock.chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 0, max: c.size - 1 }))),
        ([c, n]) => {
          const ip = nthAddress(c, n);
          expect(addressIndex(c, ip)).toBe(n);
          expect(inSubnet(ip, c.ip, c.prefixLen)).toBe(true);
          expect(ip).toBe((networkOf(c.ip, c.prefixLen) + n) >>> 0);
        },
      ),
    );
  });

  it('nthAddress throws outside the range, addressIndex gives −1', () => {
    const r = parseRange('10.0.0.1-10.0.0.3');
    expect(nthAddress(r, 2)).toBe(parseIPv4('10.0.0.3'));
    expect(() => nthAddress(r, 3)).toThrow(RangeError);
    expect(() => nthAddress(r, -1)).toThrow(RangeError);
    expect(addressIndex(r, parseIPv4('10.0.0.4'))).toBe(-1);
    expect(addresses(r)).toEqual([1, 2, 3].map((i) => parseIPv4(`10.0.0.${i}`)));
  });

  it('subRange clips to the range, down to an empty one that contains nothing', () => {
    const svc = parseCidr('10.96.0.0/28');
    const usable = subRange(svc, 1, svc.size - 2);
    expect(rangeText(usable)).toBe('10.96.0.1-10.96.0.14');
    expect(rangeText(subRange(usable, 0, 16))).toBe('10.96.0.1-10.96.0.14');
    const rest = subRange(usable, 16, usable.size - 16);
    expect(rest.size).toBe(0);
    expect(contains(rest, rest.first)).toBe(false);
    expect(addresses(rest)).toEqual([]);
    expect(subRange(parseCidr('10.96.0.0/32'), 1, -1).size).toBe(0);
  });

  it('subRange agrees with offsets into the range (property)', () => {
    fc.assert(
      fc.property(arbRange, fc.nat(), fc.nat(), (r, a, b) => {
        const offset = a % (r.size + 1);
        const count = b % (r.size - offset + 1);
        const s = subRange(r, offset, count);
        expect(s.size).toBe(count);
        expect(s.first).toBe(r.first + offset);
        if (count > 0) expect(containsRange(r, s)).toBe(true);
      }),
    );
  });
});
