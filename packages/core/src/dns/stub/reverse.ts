// Reverse lookups as getnameinfo(NI_NAMEREQD) does them in each libc (one PTR query, no search),
// and the address test and PTR name the tools use for an address argument.

import type { ResolvConf } from '../resolv.js';
import { serversOf } from './getaddrinfo.js';
import { glibcOptions, RETRY_NEXT_NS } from './glibc.js';
import { muslOptions } from './musl.js';
import { uclibcAttempts, uclibcDnsLookup } from './uclibc.js';
import { dropDot, isReply, Wire, type QueryFn, type QueryRecord } from './wire.js';

/** `10.96.0.1` → `1.0.96.10.in-addr.arpa`; IPv6 as 32 reversed nibbles under ip6.arpa. */
export function ptrName(ip: string): string {
  if (!ip.includes(':')) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const [head = '', tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const nibbles = groups.map((g) => g.padStart(4, '0')).join('');
  return `${[...nibbles.toLowerCase()].reverse().join('.')}.ip6.arpa`;
}

/** A single PTR query the way getnameinfo(NI_NAMEREQD) does it: no search, null when it fails. */
export function reverseLookup(ip: string, conf: ResolvConf, query: QueryFn, libc: 'glibc' | 'musl' | 'uclibc' = 'uclibc'): { name: string | null; queries: QueryRecord[] } {
  const wire = new Wire(query);
  const servers = serversOf(conf);
  const qname = ptrName(ip);
  if (libc === 'uclibc') {
    const one = uclibcDnsLookup(wire, qname, 'PTR', [], servers, uclibcAttempts(conf));
    const rr = one.reply?.answer.find((r) => r.type === 'PTR');
    return { name: rr ? dropDot(rr.data) : null, queries: wire.queries };
  }
  const attempts = libc === 'glibc' ? glibcOptions(conf).attempts : muslOptions(conf).attempts;
  for (let round = 0; round < attempts; round++) {
    for (const s of servers) {
      const out = wire.send(qname, 'PTR', s);
      if (!isReply(out) || RETRY_NEXT_NS.has(out.rcode)) continue;
      const rr = out.answer.find((r) => r.type === 'PTR');
      return { name: rr ? dropDot(rr.data) : null, queries: wire.queries };
    }
  }
  return { name: null, queries: wire.queries };
}

export function isIpAddress(s: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return s.split('.').every((p) => Number(p) <= 255);
  return /^[0-9a-fA-F:]+$/.test(s) && s.includes(':') && s.split('::').length <= 2;
}
