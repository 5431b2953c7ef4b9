// IP addresses as Go's net.ParseIP / IP.String see them, and the reverse (PTR) names built from
// them: CoreDNS prints Go's canonical text, so the simulator's answers must too.

import { tryParseIPv4 } from '../net/ipv4.js';

/** Eight 16-bit groups, or undefined (no zones, embedded IPv4 allowed at the end). */
export function parseIPv6(s: string): number[] | undefined {
  if (!s.includes(':')) return undefined;
  const parts = s.split('::');
  if (parts.length > 2) return undefined;
  const groups = (str: string, last: boolean): number[] | undefined => {
    if (str === '') return [];
    const out: number[] = [];
    const ps = str.split(':');
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i] ?? '';
      if (last && i === ps.length - 1 && p.includes('.')) {
        const v4 = tryParseIPv4(p);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  if (parts.length === 2) {
    const left = groups(parts[0] ?? '', false);
    const right = groups(parts[1] ?? '', true);
    if (!left || !right || left.length + right.length > 7) return undefined;
    return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  const all = groups(s, true);
  return all && all.length === 8 ? all : undefined;
}

/** RFC 5952 text as Go prints it (v4-mapped addresses print as IPv4). */
export function formatIPv6(g: number[]): string {
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const a = g[6] ?? 0;
    const b = g[7] ?? 0;
    return `${a >>> 8}.${a & 255}.${b >>> 8}.${b & 255}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

/** Parse an IP literal the way net.ParseIP does; returns its canonical text and family. */
export function canonicalIP(s: string): { text: string; family: 4 | 6 } | undefined {
  const v4 = tryParseIPv4(s);
  if (v4 !== undefined) return { text: s, family: 4 };
  const v6 = parseIPv6(s);
  if (!v6) return undefined;
  const text = formatIPv6(v6);
  return { text, family: text.includes(':') ? 6 : 4 };
}

/** `d.c.b.a.in-addr.arpa.` / nibble `ip6.arpa.` name for an address (for PTR queries). */
export function reverseName(ip: string): string {
  const v4 = tryParseIPv4(ip);
  if (v4 !== undefined) return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
  const v6 = parseIPv6(ip);
  if (!v6) throw new Error(`not an IP address: ${JSON.stringify(ip)}`);
  const nibbles = v6.flatMap((g) => g.toString(16).padStart(4, '0').split(''));
  return `${nibbles.reverse().join('.')}.ip6.arpa.`;
}

/** dnsutil.ExtractAddressFromReverse: the address a full reverse name stands for, or ''. */
export function addressFromReverse(name: string): string {
  const n = name.toLowerCase();
  if (n.endsWith('.in-addr.arpa.')) {
    const labels = n.slice(0, -'.in-addr.arpa.'.length).split('.').reverse();
    const ip = labels.join('.');
    return tryParseIPv4(ip) !== undefined ? ip : '';
  }
  if (n.endsWith('.ip6.arpa.')) {
    const labels = n.slice(0, -'.ip6.arpa.'.length).split('.').reverse();
    if (labels.length !== 32 || !labels.every((l) => /^[0-9a-f]$/.test(l))) return '';
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(labels.slice(i, i + 4).join(''));
    return canonicalIP(groups.join(':'))?.text ?? '';
  }
  return '';
}
