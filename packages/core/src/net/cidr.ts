// Configuration-time IPv4 address math, on ip-num: the cluster's CIDRs (pod network, Service
// range, node network), node IPAM's per-node subnets, host-local's range, the Service ClusterIP
// bands and MetalLB's pools. The packet hot path uses ./ipv4.ts's number helpers instead.
//
// ip-num parses and validates the text and computes the bounds and sizes; results are small
// frozen records of uint32 numbers (as ./ipv4.ts uses them), so whatever the hot path later
// consumes is a number. ip-num's objects are bigint-based and cost microseconds each, so they never
// leave this file, parsed text is memoised, and the per-index steps the allocators take in their
// loops (nthAddress, nthSubnet) are plain arithmetic on bounds ip-num produced.
//
// Acceptance is ./ipv4.ts's parseCIDR's (Go's netip.ParsePrefix): ip-num also accepts a prefix
// length with leading zeros ("10.0.0.0/08", as Go's net.ParseCIDR does), which is rejected here.

import { type AbstractIPNum, IPv4, IPv4CidrRange, IPv4Prefix, RangedSet, Validator } from 'ip-num';
import { ipToString } from './ipv4.js';

/** An inclusive run of IPv4 addresses as uint32s. An empty range has size 0 and last = first − 1. */
export interface AddressRange {
  readonly first: number;
  readonly last: number;
  /** last − first + 1: up to 2^32 (0.0.0.0/0). */
  readonly size: number;
}

/** A parsed "a.b.c.d/p": first is the network address, last the broadcast address. */
export interface CidrBlock extends AddressRange {
  /** The address as written: "10.244.1.1/24" keeps 10.244.1.1 (first is 10.244.1.0). */
  readonly ip: number;
  readonly prefixLen: number;
}

const v4 = (n: number): IPv4 => IPv4.fromNumber(n);
const num = (ip: AbstractIPNum): number => Number(ip.getValue());

function range(first: number, last: number): AddressRange {
  return Object.freeze({ first, last, size: last - first + 1 });
}

function block(ip: number, prefixLen: number, first: number, last: number): CidrBlock {
  return Object.freeze({ ip, prefixLen, first, last, size: last - first + 1 });
}

/** Memoised parses: configuration strings and per-node subnets (room for the 32,768 nodes a generated cluster allows). */
const MEMO_LIMIT = 1 << 16;
const cidrMemo = new Map<string, CidrBlock | null>();
const rangeMemo = new Map<string, AddressRange | null>();

function memo<T>(cache: Map<string, T | null>, key: string, parse: (s: string) => T | undefined): T | undefined {
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const value = parse(key);
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, value ?? null);
  return value;
}

function parseCidrUncached(s: string): CidrBlock | undefined {
  if (!Validator.isValidIPv4CidrNotation(s)[0]) return undefined;
  // ip-num takes "/08" (as Go's net.ParseCIDR does); netip.ParsePrefix and ./ipv4.ts do not.
  const bits = s.slice(s.indexOf('/') + 1);
  if (bits.length > 1 && bits.startsWith('0')) return undefined;
  const cidr = IPv4CidrRange.fromCidr(s);
  const written = s.slice(0, s.indexOf('/'));
  return block(num(IPv4.fromString(written)), Number(cidr.getPrefix().getValue()), num(cidr.getFirst()), num(cidr.getLast()));
}

/** Parse "a.b.c.d/p", or undefined. Host bits are allowed (kept in `ip`). */
export function tryParseCidr(s: string): CidrBlock | undefined {
  return memo(cidrMemo, s, parseCidrUncached);
}

/** Parse "a.b.c.d/p"; throws `invalid CIDR: "…"` (./ipv4.ts's parseCIDR's words). */
export function parseCidr(s: string): CidrBlock {
  const c = tryParseCidr(s);
  if (c === undefined) throw new Error(`invalid CIDR: ${JSON.stringify(s)}`);
  return c;
}

/** The block `ip/prefixLen` from numbers (prefixLen 0..32). */
export function cidrBlock(ip: number, prefixLen: number): CidrBlock {
  if (!Number.isInteger(prefixLen) || prefixLen < 0 || prefixLen > 32) throw new RangeError(`invalid prefix length ${prefixLen}`);
  const cidr = new IPv4CidrRange(v4(ip >>> 0), IPv4Prefix.fromNumber(BigInt(prefixLen)));
  return block(ip >>> 0, prefixLen, num(cidr.getFirst()), num(cidr.getLast()));
}

/** "network/prefixLen" (host bits cleared: "10.244.1.1/24" → "10.244.1.0/24"). */
export function cidrText(c: CidrBlock): string {
  return `${ipToString(c.first)}/${c.prefixLen}`;
}

function parseRangeUncached(s: string): AddressRange | undefined {
  // RangedSet.fromRangeString trims each end and takes "a-a" (one address); it rejects a first
  // address above the last. (Validator.isValidIPv4RangeString would also reject "a-a".)
  let set: ReturnType<typeof RangedSet.fromRangeString>;
  try {
    set = RangedSet.fromRangeString(s);
  } catch {
    return undefined;
  }
  const first = set.getFirst();
  const last = set.getLast();
  if (!(first instanceof IPv4) || !(last instanceof IPv4)) return undefined;
  return range(num(first), num(last));
}

/** Parse "a.b.c.d-e.f.g.h" (spaces around either end allowed; first ≤ last), or undefined. */
export function tryParseRange(s: string): AddressRange | undefined {
  return memo(rangeMemo, s, parseRangeUncached);
}

/** Parse "a.b.c.d-e.f.g.h"; throws `invalid IPv4 range: "…"`. */
export function parseRange(s: string): AddressRange {
  const r = tryParseRange(s);
  if (r === undefined) throw new Error(`invalid IPv4 range: ${JSON.stringify(s)}`);
  return r;
}

/** The range first..last from numbers (first ≤ last). */
export function addressRange(first: number, last: number): AddressRange {
  const set = new RangedSet(v4(first >>> 0), v4(last >>> 0));
  return range(num(set.getFirst()), num(set.getLast()));
}

/** "a.b.c.d-e.f.g.h", as MetalLB's pools write a range. */
export function rangeText(r: AddressRange): string {
  return `${ipToString(r.first)}-${ipToString(r.last)}`;
}

function rangedSet(r: AddressRange): RangedSet<IPv4> {
  return new RangedSet(v4(r.first), v4(r.last));
}

/** Whether `ip` (uint32) lies in the range (never in an empty one). */
export function contains(r: AddressRange, ip: number): boolean {
  if (r.size <= 0) return false;
  return rangedSet(r).contains(RangedSet.fromSingleIP(v4(ip >>> 0)));
}

/** Whether every address of `inner` lies in `outer` (an empty inner lies anywhere). */
export function containsRange(outer: AddressRange, inner: AddressRange): boolean {
  if (inner.size <= 0) return true;
  if (outer.size <= 0) return false;
  return rangedSet(outer).contains(rangedSet(inner));
}

/** Whether the two ranges share at least one address. */
export function overlaps(a: AddressRange, b: AddressRange): boolean {
  if (a.size <= 0 || b.size <= 0) return false;
  // Not RangedSet.isOverlapping: in ip-num 1.6 it misses ranges that share only an end address
  // (10.0.0.1-10.0.0.5 and 10.0.0.5-10.0.0.9). Two runs overlap iff one holds the other's start.
  return contains(a, b.first) || contains(b, a.first);
}

/**
 * `count` addresses from `offset` within the range, clipped to it: an offset or count beyond the
 * range gives fewer addresses, down to an empty range. The ClusterIP allocator's bands.
 */
export function subRange(r: AddressRange, offset: number, count: number): AddressRange {
  const from = Math.min(Math.max(0, offset), Math.max(0, r.size));
  const n = Math.min(Math.max(0, count), Math.max(0, r.size - from));
  if (n === 0) return range(r.first + from, r.first + from - 1);
  const sub = rangedSet(r).takeSubRange(BigInt(from), BigInt(n));
  return range(num(sub.getFirst()), num(sub.getLast()));
}

const hostRanges = new WeakMap<CidrBlock, AddressRange>();

/**
 * The block without its network and broadcast addresses (network+1 .. broadcast−1): host-local's
 * rangeStart..rangeEnd, the ClusterIP allocator's range. Empty for a /31 or /32. Memoised per block.
 */
export function hostRange(c: CidrBlock): AddressRange {
  let r = hostRanges.get(c);
  if (!r) hostRanges.set(c, (r = subRange(c, 1, c.size - 2)));
  return r;
}

/**
 * The n-th address (0-based) of the range; throws a RangeError outside 0..size−1. Arithmetic on
 * the bounds: allocators call it inside their loops.
 */
export function nthAddress(r: AddressRange, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= r.size) throw new RangeError(`address index ${n} outside a range of ${r.size}`);
  return r.first + n;
}

/** The index of `ip` in the range (nthAddress's inverse), or −1 when it lies outside. */
export function addressIndex(r: AddressRange, ip: number): number {
  return ip >= r.first && ip <= r.last ? ip - r.first : -1;
}

/** Every address of the range, in order (MetalLB's pool; keep ranges small). */
export function addresses(r: AddressRange): number[] {
  const out = new Array<number>(Math.max(0, r.size));
  for (let i = 0; i < out.length; i++) out[i] = r.first + i;
  return out;
}

/** How many /prefixLen subnets the block splits into: 0 when prefixLen is shorter than the block's or beyond 32. */
export function subnetCount(c: CidrBlock, prefixLen: number): number {
  if (!Number.isInteger(prefixLen) || prefixLen < c.prefixLen || prefixLen > 32) return 0;
  return 2 ** (prefixLen - c.prefixLen);
}

/**
 * The n-th (0-based) /prefixLen subnet of the block, in address order (node IPAM's CidrSet);
 * throws a RangeError outside 0..subnetCount−1. Arithmetic on the block's bounds, as nthAddress.
 */
export function nthSubnet(c: CidrBlock, prefixLen: number, n: number): CidrBlock {
  const count = subnetCount(c, prefixLen);
  if (!Number.isInteger(n) || n < 0 || n >= count) throw new RangeError(`subnet index ${n} outside ${count} /${prefixLen} subnets of ${cidrText(c)}`);
  const size = 2 ** (32 - prefixLen);
  const first = c.first + n * size;
  return block(first, prefixLen, first, first + size - 1);
}

/** Every /prefixLen subnet of the block, in order (ip-num's splitInto: for small splits only). */
export function subnets(c: CidrBlock, prefixLen: number): CidrBlock[] {
  if (subnetCount(c, prefixLen) === 0) return [];
  const whole = new IPv4CidrRange(v4(c.first), IPv4Prefix.fromNumber(BigInt(c.prefixLen)));
  return whole.splitInto(IPv4Prefix.fromNumber(BigInt(prefixLen))).map((s) => {
    const first = num(s.getFirst());
    return block(first, prefixLen, first, num(s.getLast()));
  });
}
