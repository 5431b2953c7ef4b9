// Public entry of the address helpers: IPv4 on uint32 numbers (hot path) and MAC / IPv6
// link-local formatting (views).

export type { Cidr } from './ipv4.js';
export {
  /** "a.b.c.d" for a uint32. */
  ipToString,
  /** Strict "a.b.c.d" → uint32; throws on bad input. */
  parseIPv4,
  /** Strict "a.b.c.d" → uint32, or undefined. */
  tryParseIPv4,
  /** Netmask (uint32) for a prefix length 0..32. */
  prefixMask,
  /** Whether an address lies in net/len. */
  inSubnet,
  /** Network address of ip/len. */
  networkOf,
  /** Broadcast address of ip/len. */
  broadcastOf,
  /** Prefix length of a contiguous netmask, -1 otherwise. */
  maskToPrefix,
  /** "a.b.c.d/p" → { ip, prefixLen } (host bits kept); throws on bad input. */
  parseCIDR,
  /** "a.b.c.d/p" → { ip, prefixLen }, or undefined. */
  tryParseCIDR,
  /** { ip, prefixLen } or (ip, prefixLen) → "a.b.c.d/p". */
  cidrToString,
} from './ipv4.js';
export {
  /** "aa:bb:cc:dd:ee:ff" → six octets. */
  parseMac,
  /** Eight 16-bit groups → RFC 5952 text (as inet_ntop prints it). */
  formatIPv6,
  /** fe80::/64 + modified EUI-64 groups of a MAC. */
  eui64LinkLocalGroups,
  /** fe80::/64 + modified EUI-64 of a MAC, as text. */
  eui64LinkLocal,
} from './mac.js';
