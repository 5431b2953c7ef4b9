// IPv4 helpers on uint32 numbers, for the hot path: the packet walker and the fast path, route,
// neighbour and netfilter lookups, the dataplane and kube-proxy's rules derived per node, and the
// views that print addresses. Configuration-time math (the cluster's CIDRs, node IPAM, host-local's
// range, the ClusterIP bands, MetalLB's pools) is ./cidr.ts's, on ip-num.
//
// They take and return plain numbers (no objects, no arrays) and never allocate except where a
// string is the result. Every function that returns an address returns it unsigned (`>>> 0`):
// JavaScript's bitwise operators work on signed int32, so 255.255.255.255 would otherwise come
// back as -1.

/** An address with its prefix length, as parsed from "a.b.c.d/p". */
export interface Cidr {
  /** uint32; host bits are kept as written ("10.244.1.1/24" keeps .1). */
  ip: number;
  prefixLen: number;
}

/** "a.b.c.d" for a uint32. */
export function ipToString(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * Strict dotted-quad parse: exactly four decimal octets 0-255, no leading zeros (as glibc's
 * inet_pton and Go's netip reject them: "010" would be octal to inet_aton), no whitespace.
 * Returns -1 on bad input (internal sentinel; a valid address is never negative).
 */
function parseOrMinusOne(s: string): number {
  const len = s.length;
  if (len < 7 || len > 15) return -1;
  let result = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || dots === 3) return -1;
      result = result * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  // Multiplication rather than shifts keeps the value a non-negative double up to 2^32-1.
  return result * 256 + octet;
}

/** Parse "a.b.c.d" to a uint32; throws on anything else. */
export function parseIPv4(s: string): number {
  const n = parseOrMinusOne(s);
  if (n < 0) throw new Error(`invalid IPv4 address: ${JSON.stringify(s)}`);
  return n;
}

/** Parse "a.b.c.d" to a uint32, or undefined. */
export function tryParseIPv4(s: string): number | undefined {
  const n = parseOrMinusOne(s);
  return n < 0 ? undefined : n;
}

/**
 * Netmask for a prefix length 0..32 (not range-checked: hot path). Length 0 is special-cased
 * because `x << 32` is `x << 0` in JavaScript.
 */
export function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Whether `ip` lies in `net/len` (host bits of `net` are ignored). */
export function inSubnet(ip: number, net: number, len: number): boolean {
  return ((ip ^ net) & prefixMask(len)) === 0;
}

/** The network address of `ip/len`. */
export function networkOf(ip: number, len: number): number {
  return (ip & prefixMask(len)) >>> 0;
}

/** The broadcast address of `ip/len` (for /32 the address itself, for /31 the upper one). */
export function broadcastOf(ip: number, len: number): number {
  return (ip | ~prefixMask(len)) >>> 0;
}

/** Prefix length of a contiguous netmask, or -1 if the mask has holes. */
export function maskToPrefix(mask: number): number {
  const m = mask >>> 0;
  const inv = ~m >>> 0;
  // A contiguous mask's complement is 2^k - 1, i.e. inv & (inv + 1) === 0; its leading zeros
  // are then the prefix length (clz32(0) = 32 for 255.255.255.255).
  if ((inv & (inv + 1)) !== 0) return -1;
  return Math.clz32(inv);
}

function parseCidrOrUndefined(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseOrMinusOne(s.slice(0, slash));
  if (ip < 0) return undefined;
  const p = s.slice(slash + 1);
  // 1-2 digits, no leading zero (Go's netip.ParsePrefix rejects "/08"), value 0..32.
  if (p.length === 0 || p.length > 2) return undefined;
  if (p.length === 2 && p.charCodeAt(0) === 48) return undefined;
  let prefixLen = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    prefixLen = prefixLen * 10 + (c - 48);
  }
  if (prefixLen > 32) return undefined;
  return { ip, prefixLen };
}

/** Parse "a.b.c.d/p"; throws on bad input. Host bits are kept (use networkOf to clear them). */
export function parseCIDR(s: string): Cidr {
  const c = parseCidrOrUndefined(s);
  if (c === undefined) throw new Error(`invalid CIDR: ${JSON.stringify(s)}`);
  return c;
}

/** Parse "a.b.c.d/p", or undefined. */
export function tryParseCIDR(s: string): Cidr | undefined {
  return parseCidrOrUndefined(s);
}

/** "a.b.c.d/p". Accepts a Cidr or the two numbers. */
export function cidrToString(cidr: Cidr): string;
export function cidrToString(ip: number, prefixLen: number): string;
export function cidrToString(a: Cidr | number, b?: number): string {
  if (typeof a === 'number') return `${ipToString(a)}/${b ?? 32}`;
  return `${ipToString(a.ip)}/${a.prefixLen}`;
}
