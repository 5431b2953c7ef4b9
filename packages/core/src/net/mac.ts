// MAC addresses and the IPv6 link-local addresses the kernel derives from them.
//
// Every Ethernet-like link that comes up with carrier gets fe80::/64 + modified EUI-64 of its
// MAC (RFC 4291 appendix A; the kernel's default addrgenmode "eui64"): insert ff:fe in the
// middle and flip the universal/local bit (0x02) of the first octet. Checked against a real
// namespace on this machine (iproute2 6.1, kernel 6.x): MAC 08:00:27:3c:91:5a gives
// fe80::a00:27ff:fe3c:915a, 02:fc:00:00:00:01 gives fe80::fc:ff:fe00:1.

/** Parse "aa:bb:cc:dd:ee:ff" (case-insensitive) into 6 octets; throws on bad input. */
export function parseMac(mac: string): number[] {
  const parts = mac.split(':');
  if (parts.length !== 6) throw new Error(`invalid MAC address: ${JSON.stringify(mac)}`);
  return parts.map((p) => {
    if (!/^[0-9a-fA-F]{2}$/.test(p)) throw new Error(`invalid MAC address: ${JSON.stringify(mac)}`);
    return parseInt(p, 16);
  });
}

/**
 * Format eight 16-bit groups as inet_ntop does (RFC 5952): lowercase, no leading zeros, the
 * longest run of two or more zero groups (the first one on a tie) replaced by "::".
 */
export function formatIPv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    out += (groups[i] ?? 0).toString(16);
    if (i < 7) out += ':';
  }
  return out;
}

/** The 16-bit groups of fe80::/64 + modified EUI-64 of `mac`. */
export function eui64LinkLocalGroups(mac: string): number[] {
  const b = parseMac(mac) as [number, number, number, number, number, number];
  return [0xfe80, 0, 0, 0, (((b[0] ^ 0x02) << 8) | b[1]) >>> 0, (b[2] << 8) | 0xff, 0xfe00 | b[3], (b[4] << 8) | b[5]];
}

/** "fe80::…" link-local address derived from a MAC (without the /64). */
export function eui64LinkLocal(mac: string): string {
  return formatIPv6(eui64LinkLocalGroups(mac));
}
