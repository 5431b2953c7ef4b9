// musl's stub resolver (__get_resolv_conf, name_from_dns_search, __res_msend) as getaddrinfo() uses
// it in alpine and busybox:*-musl images; sequences verified against musl 1.2.3 with a scripted server.

import type { ResolvConf } from '../resolv.js';
import { addressesOf, canonicalOf, typesFor, type Family, type GaiError, type LookupResult, type LookupStatus } from './getaddrinfo.js';
import { countDots, dropDot, isReply, Wire, type DnsReply, type QType, type QueryFn, type QueryOutcome } from './wire.js';

export interface MuslOptions {
  ndots: number;
  attempts: number;
  timeout: number;
  /** Empty when the search line is longer than musl's 255-byte line buffer (it skips such lines). */
  searches: string[];
  nameservers: string[];
}

/**
 * musl __get_resolv_conf: strstr() finds the *first* "ndots:" on the options line (max 15), at most 3
 * nameservers, and a line that does not fit fgets' 256-byte buffer with its newline is ignored whole —
 * a long Kubernetes search line therefore disables search entirely under musl.
 */
export function muslOptions(conf: ResolvConf): MuslOptions {
  const line = conf.options.join(' ');
  const num = (key: string, max: number, dflt: number): number => {
    const m = new RegExp(`${key}:(\\d+)`).exec(line);
    return m ? Math.min(parseInt(m[1] ?? '0', 10), max) : dflt;
  };
  const searchLine = `search ${conf.searches.join(' ')}`;
  return {
    ndots: num('ndots', 15, 1),
    attempts: num('attempts', 10, 2),
    timeout: num('timeout', 60, 5),
    searches: searchLine.length + 1 <= 255 ? conf.searches.filter((s) => s !== '') : [],
    nameservers: conf.nameservers.length ? conf.nameservers.slice(0, 3) : ['127.0.0.1'],
  };
}

interface MuslExchange {
  replies: (DnsReply | undefined)[];
}

/**
 * __res_msend: every query goes to every nameserver at once; a reply counts only if NOERROR or
 * NXDOMAIN. A SERVFAIL is re-sent at once to the server that gave it while the round's budget
 * (2 × queries) lasts, otherwise ignored. Unanswered queries are re-sent each round (`attempts`).
 */
function muslMsend(wire: Wire, qname: string, types: QType[], servers: string[], attempts: number): MuslExchange {
  const replies: (DnsReply | undefined)[] = types.map(() => undefined);
  for (let round = 0; round < attempts && replies.some((r) => r === undefined); round++) {
    let budget = 2 * types.length;
    const pending: { i: number; server: string; out: QueryOutcome }[] = [];
    types.forEach((t, i) => {
      if (replies[i]) return;
      for (const s of servers) pending.push({ i, server: s, out: wire.send(qname, t, s) });
    });
    while (pending.length) {
      const p = pending.shift() as { i: number; server: string; out: QueryOutcome };
      if (replies[p.i] || !isReply(p.out)) continue;
      if (p.out.rcode === 'NOERROR' || p.out.rcode === 'NXDOMAIN') {
        replies[p.i] = p.out;
      } else if (p.out.rcode === 'SERVFAIL' && budget > 0) {
        budget--;
        pending.push({ i: p.i, server: p.server, out: wire.send(qname, types[p.i] as QType, p.server) });
      }
    }
  }
  return { replies };
}

const MUSL_ERRORS = {
  EAI_NONAME: { code: -2, name: 'EAI_NONAME', message: 'Name does not resolve' },
  EAI_AGAIN: { code: -3, name: 'EAI_AGAIN', message: 'Try again' },
  EAI_FAIL: { code: -4, name: 'EAI_FAIL', message: 'Non-recoverable error' },
} as const satisfies Record<string, GaiError>;

/**
 * getaddrinfo() on musl: dots ≥ ndots or a trailing dot → the name as-is only, no search at all.
 * Otherwise each search domain (A+AAAA together); only an NXDOMAIN (checked reply by reply, A
 * first) moves on — NODATA stops the search (musl 1.2.3 reports it as EAI_NONAME), SERVFAIL or no
 * reply → EAI_AGAIN, any other rcode → EAI_FAIL; the as-is name comes last.
 */
export function muslLookup(name: string, conf: ResolvConf, query: QueryFn, family: Family = 'unspec'): LookupResult {
  const o = muslOptions(conf);
  const types = typesFor(family);
  const wire = new Wire(query);
  const trailingDot = name.endsWith('.');
  const bare = dropDot(name);
  const search = countDots(name) >= o.ndots || trailingDot ? [] : o.searches;
  const candidates = [...search.map((d) => `${bare}.${dropDot(d)}`), bare];

  for (const qname of candidates) {
    const { replies } = muslMsend(wire, qname, types, o.nameservers, o.attempts);
    let verdict: 'next' | 'again' | 'fail' | undefined;
    for (const r of replies) {
      if (!r || r.rcode === 'SERVFAIL') {
        verdict = 'again';
        break;
      }
      if (r.rcode === 'NXDOMAIN') {
        verdict = 'next';
        break;
      }
      if (r.rcode !== 'NOERROR') {
        verdict = 'fail';
        break;
      }
    }
    if (verdict === 'next') continue;
    if (verdict === 'again') {
      const sent = wire.queries.filter((q) => q.name === qname);
      const status: LookupStatus = sent.some((q) => q.rcode === 'SERVFAIL') ? 'servfail' : sent.every((q) => q.rcode === 'UNREACHABLE') ? 'unreachable' : 'timeout';
      return { queries: wire.queries, status, error: MUSL_ERRORS.EAI_AGAIN, addresses: [] };
    }
    if (verdict === 'fail') return { queries: wire.queries, status: 'fail', error: MUSL_ERRORS.EAI_FAIL, addresses: [] };
    const got = replies.filter((r): r is DnsReply => r !== undefined);
    // Only records of the queried type count (a CNAME alone gives no address).
    const addresses = addressesOf(got);
    if (addresses.length) return { queries: wire.queries, status: 'ok', addresses, answeredName: qname, canonicalName: canonicalOf(qname, got) };
    return { queries: wire.queries, status: 'nodata', error: MUSL_ERRORS.EAI_NONAME, addresses: [] };
  }
  return { queries: wire.queries, status: 'nxdomain', error: MUSL_ERRORS.EAI_NONAME, addresses: [] };
}
