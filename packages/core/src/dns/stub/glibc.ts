// glibc's stub resolver (res_init options, __res_context_search, res_send) as getaddrinfo() uses it
// in Debian/Ubuntu based images; sequences verified against glibc 2.36 with a scripted server.

import type { ResolvConf } from '../resolv.js';
import { addressesOf, canonicalOf, serversOf, typesFor, type Family, type GaiError, type LookupResult, type LookupStatus } from './getaddrinfo.js';
import { countDots, dropDot, isReply, Wire, type DnsReply, type QType, type QueryFn, type Rcode } from './wire.js';

export interface GlibcOptions {
  ndots: number;
  attempts: number;
  timeout: number;
  noTldQuery: boolean;
}

/** glibc res_init: options are applied left to right, so the last ndots wins; ndots caps at 15. */
export function glibcOptions(conf: ResolvConf): GlibcOptions {
  const o: GlibcOptions = { ndots: 1, attempts: 2, timeout: 5, noTldQuery: false };
  for (const opt of conf.options) {
    const [k, v] = opt.split(':', 2);
    const n = v === undefined ? NaN : parseInt(v, 10);
    if (k === 'ndots' && !Number.isNaN(n)) o.ndots = Math.min(Math.max(n, 0), 15);
    else if (k === 'attempts' && !Number.isNaN(n)) o.attempts = Math.min(Math.max(n, 1), 5);
    else if (k === 'timeout' && !Number.isNaN(n)) o.timeout = Math.min(Math.max(n, 1), 30);
    else if (k === 'no-tld-query') o.noTldQuery = true;
  }
  return o;
}

/** RFC 6724 default policy for a pod that owns a global IPv6 address: IPv6 destinations first. */
function sortForFamily(addrs: string[], preferIPv6: boolean): string[] {
  if (!preferIPv6) return addrs;
  return [...addrs.filter((a) => a.includes(':')), ...addrs.filter((a) => !a.includes(':'))];
}

type HErrno = 'HOST_NOT_FOUND' | 'NO_DATA' | 'TRY_AGAIN' | 'NO_RECOVERY';

interface GlibcTry {
  ok: boolean;
  herrno?: HErrno;
  /** rcode of the first reply buffer when the try failed with TRY_AGAIN (SERVFAIL keeps searching). */
  firstRcode?: Rcode | 'NONE';
  refused?: boolean;
  replies: DnsReply[];
}

export const RETRY_NEXT_NS = new Set<Rcode>(['SERVFAIL', 'NOTIMP', 'REFUSED']);

/** One __res_context_query(): A and AAAA (or one of them) to each nameserver, `attempts` rounds. */
function glibcQuery(wire: Wire, qname: string, types: QType[], servers: string[], attempts: number): GlibcTry {
  let lastFirst: Rcode | 'NONE' = 'NONE';
  let gotSomewhere = false;
  for (let round = 0; round < attempts; round++) {
    for (const server of servers) {
      const outs = types.map((t) => wire.send(qname, t, server));
      if (outs.some((o) => !isReply(o) && o.error === 'timeout')) gotSomewhere = true;
      const replies = outs.filter(isReply);
      if (replies.length) gotSomewhere = true;
      // send_dg drops a SERVFAIL/NOTIMP/REFUSED reply while the other one may still be good, and
      // moves to the next server only when nothing usable came back.
      const usable = replies.filter((r) => !RETRY_NEXT_NS.has(r.rcode));
      const first = outs[0];
      if (first && isReply(first)) lastFirst = first.rcode;
      else if (first) lastFirst = 'NONE';
      if (usable.length === 0) continue;
      const hp = usable[0] as DnsReply;
      const hp2 = usable[1] ?? hp;
      const empty = (r: DnsReply): boolean => r.rcode !== 'NOERROR' || r.answer.length === 0;
      if (!(empty(hp) && empty(hp2))) return { ok: true, replies: usable };
      const rc = hp.rcode === 'NOERROR' ? hp2.rcode : hp.rcode;
      const herrno: HErrno = rc === 'NXDOMAIN' ? 'HOST_NOT_FOUND' : rc === 'NOERROR' ? 'NO_DATA' : 'NO_RECOVERY';
      return { ok: false, herrno, replies: usable };
    }
  }
  // Every server failed every round: TRY_AGAIN. errno is ECONNREFUSED only if nothing ever answered
  // or timed out; the search loop then gives up at once.
  return { ok: false, herrno: 'TRY_AGAIN', firstRcode: lastFirst, refused: !gotSomewhere, replies: [] };
}

const GLIBC_ERRORS: Record<HErrno, GaiError> = {
  HOST_NOT_FOUND: { code: -2, name: 'EAI_NONAME', message: 'Name or service not known' },
  NO_DATA: { code: -5, name: 'EAI_NODATA', message: 'No address associated with hostname' },
  TRY_AGAIN: { code: -3, name: 'EAI_AGAIN', message: 'Temporary failure in name resolution' },
  NO_RECOVERY: { code: -4, name: 'EAI_FAIL', message: 'Non-recoverable failure in name resolution' },
};

export interface GlibcLookupOptions {
  /** The pod has a global IPv6 address: getaddrinfo's RFC 6724 sort puts IPv6 answers first. */
  preferIPv6?: boolean;
}

/**
 * getaddrinfo() through nss_dns on glibc ≥ 2.26. With `family` 'unspec' every candidate is one
 * A+AAAA pair sent back to back; it succeeds when either reply carries answers.
 *
 * 1. dots ≥ ndots or a trailing dot: the name as-is first; a trailing dot ends the search there.
 * 2. Each search domain in order: NXDOMAIN and NODATA go on (NODATA is remembered), SERVFAIL goes on
 *    (remembered); a timeout, REFUSED or FORMERR ends the search; ECONNREFUSED returns at once.
 * 3. The as-is name last unless tried already (or a "." search entry stood for it).
 * Error: the as-is error if it was tried first, else NO_DATA if seen, else TRY_AGAIN if a SERVFAIL
 * was seen, else the last query's error.
 */
export function glibcLookup(name: string, conf: ResolvConf, query: QueryFn, family: Family = 'unspec', opts: GlibcLookupOptions = {}): LookupResult {
  // Callers passing AI_ADDRCONFIG on an IPv4-only pod send A only: use family 'inet' for them.
  // /etc/hosts (nss "files", consulted before DNS) is the caller's business.
  const o = glibcOptions(conf);
  const servers = serversOf(conf);
  const types = typesFor(family);
  const wire = new Wire(query);
  const dots = countDots(name);
  const trailingDot = name.endsWith('.');
  const bare = dropDot(name);

  const done = (t: GlibcTry, qname: string): LookupResult => {
    const addresses = sortForFamily(addressesOf(t.replies), !!opts.preferIPv6);
    if (addresses.length === 0) return fail('NO_DATA');
    return { queries: wire.queries, status: 'ok', addresses, answeredName: qname, canonicalName: canonicalOf(qname, t.replies) };
  };
  const fail = (h: HErrno, why?: LookupStatus): LookupResult => ({
    queries: wire.queries,
    status: why ?? (h === 'HOST_NOT_FOUND' ? 'nxdomain' : h === 'NO_DATA' ? 'nodata' : h === 'TRY_AGAIN' ? 'servfail' : 'fail'),
    error: GLIBC_ERRORS[h],
    addresses: [],
  });
  const tryAgainWhy = (t: GlibcTry): LookupStatus => (t.refused ? 'unreachable' : t.firstRcode === 'SERVFAIL' ? 'servfail' : t.firstRcode === 'NONE' ? 'timeout' : 'fail');

  let savedHerrno: HErrno | undefined;
  let savedWhy: LookupStatus | undefined;
  let triedAsIs = false;
  let lastHerrno: HErrno = 'HOST_NOT_FOUND';
  let lastWhy: LookupStatus | undefined;

  if (dots >= o.ndots || trailingDot) {
    const t = glibcQuery(wire, bare, types, servers, o.attempts);
    if (t.ok) return done(t, bare);
    if (trailingDot) return fail(t.herrno ?? 'HOST_NOT_FOUND', t.herrno === 'TRY_AGAIN' ? tryAgainWhy(t) : undefined);
    savedHerrno = t.herrno;
    savedWhy = t.herrno === 'TRY_AGAIN' ? tryAgainWhy(t) : undefined;
    triedAsIs = true;
  }

  let gotNodata = false;
  let gotServfail = false;
  let rootOnList = false;
  let searched = false;
  if (!trailingDot) {
    for (const domain of conf.searches) {
      searched = true;
      let d = domain.startsWith('.') ? domain.slice(1) : domain;
      if (d.endsWith('.')) d = d.slice(0, -1);
      if (d === '') rootOnList = true;
      const qname = d === '' ? bare : `${bare}.${d}`;
      const t = glibcQuery(wire, qname, types, servers, o.attempts);
      if (t.ok) return done(t, qname);
      if (t.herrno === 'TRY_AGAIN' && t.refused) return fail('TRY_AGAIN', 'unreachable');
      lastHerrno = t.herrno ?? 'HOST_NOT_FOUND';
      lastWhy = t.herrno === 'TRY_AGAIN' ? tryAgainWhy(t) : undefined;
      if (t.herrno === 'NO_DATA') gotNodata = true;
      else if (t.herrno === 'HOST_NOT_FOUND') continue;
      else if (t.herrno === 'TRY_AGAIN' && t.firstRcode === 'SERVFAIL') gotServfail = true;
      else break;
    }
  }

  if ((dots > 0 || !searched || !o.noTldQuery) && !(triedAsIs || rootOnList)) {
    const t = glibcQuery(wire, bare, types, servers, o.attempts);
    if (t.ok) return done(t, bare);
    lastHerrno = t.herrno ?? 'HOST_NOT_FOUND';
    lastWhy = t.herrno === 'TRY_AGAIN' ? tryAgainWhy(t) : undefined;
  }

  if (savedHerrno) return fail(savedHerrno, savedWhy);
  if (gotNodata) return fail('NO_DATA');
  if (gotServfail) return fail('TRY_AGAIN', 'servfail');
  return fail(lastHerrno, lastWhy);
}
