// Stub resolvers as pure functions: given a resolv.conf and a `query(name, type, server)` callback
// they return every packet they would send, in order, and what getaddrinfo() would report.
//
// Which code path a container uses depends on its image (see IMAGE_RESOLVERS below):
//   glibc   Debian/Ubuntu based images (nginx, dnsutils, busybox:*-glibc)   → glibcLookup
//   musl    alpine and busybox:*-musl                                      → muslLookup
//   uClibc  busybox:1.28.4 and the other untagged busybox images on amd64   → uclibcLookup
//   busybox ≥1.30 nslookup has its own resolver                            → busyboxNslookupCandidates
//   bind9 nslookup/host (dig with +search)                                 → bindSearchCandidates
//
// Verified against real binaries in a private network namespace (glibc 2.36, musl 1.2.3, busybox
// 1.35, bind 9.18.49) answering from a scripted server; uClibc-ng is from its source only.
//
// Names handed to `query` never carry the trailing dot; case is kept as typed.

import type { ResolvConf } from './resolv.js';

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';
export type QType = 'A' | 'AAAA' | 'PTR' | 'CNAME' | 'SRV' | 'TXT' | 'NS' | 'SOA' | 'MX' | 'ANY';

/** One resource record. `data` is the presentation form dig prints (names end with a dot). */
export interface DnsRR {
  name: string;
  ttl: number;
  class: 'IN';
  type: QType;
  data: string;
}

/**
 * The part of a DNS response the stub resolvers and the tools look at. The server model's answers are
 * adapted to this shape; `ra` defaults to true (CoreDNS sets it), `edns` is the UDP size echoed in the
 * reply's OPT record (absent: no OPT).
 */
export interface DnsReply {
  rcode: Rcode;
  aa: boolean;
  ra?: boolean;
  tc?: boolean;
  answer: DnsRR[];
  authority: DnsRR[];
  additional: DnsRR[];
  edns?: { udpSize: number };
}

/** No reply at all (`timeout`), or an ICMP port unreachable (`unreachable`, ECONNREFUSED). */
export interface DnsTransportError {
  error: 'timeout' | 'unreachable';
}

export type QueryOutcome = DnsReply | DnsTransportError;
export type QueryFn = (name: string, type: QType, server: string) => QueryOutcome;

export interface QueryRecord {
  name: string;
  type: QType;
  server: string;
  rcode: Rcode | 'TIMEOUT' | 'UNREACHABLE';
}

export type Family = 'inet' | 'inet6' | 'unspec';

export type LookupStatus = 'ok' | 'nxdomain' | 'nodata' | 'servfail' | 'timeout' | 'unreachable' | 'fail';

export interface GaiError {
  code: number;
  name: 'EAI_NONAME' | 'EAI_NODATA' | 'EAI_AGAIN' | 'EAI_FAIL';
  /** gai_strerror() of the libc in question. */
  message: string;
}

export interface LookupResult {
  /** Every packet sent, in order (A before AAAA when both go out together). */
  queries: QueryRecord[];
  status: LookupStatus;
  error?: GaiError;
  /** Addresses from the successful reply(s), A records then AAAA records unless sorted. */
  addresses: string[];
  /** The candidate name whose reply succeeded. */
  answeredName?: string;
  /** The last CNAME target in the answer, else the answered name (getaddrinfo's ai_canonname). */
  canonicalName?: string;
}

export function isReply(o: QueryOutcome): o is DnsReply {
  return (o as DnsReply).rcode !== undefined;
}

function outcomeCode(o: QueryOutcome): QueryRecord['rcode'] {
  if (isReply(o)) return o.rcode;
  return o.error === 'timeout' ? 'TIMEOUT' : 'UNREACHABLE';
}

const dropDot = (n: string): string => (n.endsWith('.') ? n.slice(0, -1) : n);
const countDots = (n: string): number => n.split('.').length - 1;

/** Records one send through `query` and returns its outcome. */
class Wire {
  readonly queries: QueryRecord[] = [];
  constructor(private readonly fn: QueryFn) {}
  send(name: string, type: QType, server: string): QueryOutcome {
    const out = this.fn(name, type, server);
    this.queries.push({ name, type, server, rcode: outcomeCode(out) });
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// resolv.conf options as each libc reads them

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

const serversOf = (conf: ResolvConf): string[] => (conf.nameservers.length ? conf.nameservers.slice(0, 3) : ['127.0.0.1']);

function typesFor(family: Family): QType[] {
  return family === 'inet' ? ['A'] : family === 'inet6' ? ['AAAA'] : ['A', 'AAAA'];
}

function addressesOf(replies: DnsReply[]): string[] {
  const out: string[] = [];
  for (const t of ['A', 'AAAA'] as const) for (const r of replies) for (const rr of r.answer) if (rr.type === t) out.push(rr.data);
  return out;
}

function canonicalOf(name: string, replies: DnsReply[]): string {
  let canon = name;
  for (const r of replies) for (const rr of r.answer) if (rr.type === 'CNAME') canon = dropDot(rr.data);
  return canon;
}

/** RFC 6724 default policy for a pod that owns a global IPv6 address: IPv6 destinations first. */
function sortForFamily(addrs: string[], preferIPv6: boolean): string[] {
  if (!preferIPv6) return addrs;
  return [...addrs.filter((a) => a.includes(':')), ...addrs.filter((a) => !a.includes(':'))];
}

// ---------------------------------------------------------------------------------------------
// glibc (resolv/res_query.c __res_context_search, res_send.c) as used by getaddrinfo()

type HErrno = 'HOST_NOT_FOUND' | 'NO_DATA' | 'TRY_AGAIN' | 'NO_RECOVERY';

interface GlibcTry {
  ok: boolean;
  herrno?: HErrno;
  /** rcode of the first reply buffer when the try failed with TRY_AGAIN (SERVFAIL keeps searching). */
  firstRcode?: Rcode | 'NONE';
  refused?: boolean;
  replies: DnsReply[];
}

const RETRY_NEXT_NS = new Set<Rcode>(['SERVFAIL', 'NOTIMP', 'REFUSED']);

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

// ---------------------------------------------------------------------------------------------
// musl (src/network/lookup_name.c name_from_dns_search, res_msend.c), musl ≥ 1.1.13

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

// ---------------------------------------------------------------------------------------------
// uClibc-ng (libc/inet/resolv.c __dns_lookup, getaddrinfo.c gaih_inet)

interface UclibcOne {
  status: 'ok' | 'nxdomain' | 'nodata' | 'internal';
  reply?: DnsReply;
  answeredName?: string;
}

/**
 * __dns_lookup for one type. No ndots: a dotted name is tried as-is first, then with each search
 * domain; an undotted one with each search domain, then as-is. NXDOMAIN or SERVFAIL move to the next
 * candidate; after the last one NXDOMAIN means HOST_NOT_FOUND, SERVFAIL switches server. NOERROR
 * without answers is NO_DATA at once. A timeout or another rcode switches to the next server and
 * restarts the whole candidate list (nameservers × attempts tries in all). PTR never searches.
 */
function uclibcDnsLookup(wire: Wire, name: string, type: QType, searches: string[], servers: string[], attempts: number): UclibcOne {
  const endsWithDot = name.endsWith('.');
  const containsDot = name.includes('.');
  const bare = dropDot(name);
  const sdomains = type === 'PTR' ? [] : searches.map(dropDot);
  let retriesLeft = servers.length * attempts;
  let ns = 0;
  let variant = -1;
  while (retriesLeft > 0) {
    const act = containsDot ? variant : variant + 1;
    const qname = act >= 0 && act < sdomains.length ? `${bare}.${sdomains[act]}` : bare;
    const server = servers[ns % servers.length] as string;
    const out = wire.send(qname, type, server);
    if (isReply(out)) {
      if (out.rcode === 'NXDOMAIN' || out.rcode === 'SERVFAIL') {
        if (!endsWithDot && variant < sdomains.length - 1) {
          variant++;
          continue;
        }
        if (out.rcode === 'NXDOMAIN') return { status: 'nxdomain' };
      }
      if (out.rcode === 'NOERROR') {
        if (out.answer.length === 0) return { status: 'nodata' };
        return { status: 'ok', reply: out, answeredName: qname };
      }
    }
    retriesLeft--;
    ns++;
    variant = -1;
  }
  return { status: 'internal' };
}

/**
 * uClibc's `attempts` (RES_DFLRETRY 2 by default). Its parser splits the options line at the first
 * ':' only, so just the first option counts — `options ndots:5` (kubelet's) changes nothing.
 */
function uclibcAttempts(conf: ResolvConf): number {
  const m = /^attempts:(\d+)/.exec(conf.options[0] ?? '');
  return m ? Math.max(1, parseInt(m[1] ?? '2', 10)) : 2;
}

/**
 * getaddrinfo() on uClibc-ng: for 'unspec' the whole AAAA lookup runs first, then the whole A lookup
 * (gaih_inet), each through __dns_lookup; IPv6 results are listed first. A CNAME-first answer is
 * followed with a fresh lookup of its target, as gethostbyname_r does.
 */
export function uclibcLookup(name: string, conf: ResolvConf, query: QueryFn, family: Family = 'unspec'): LookupResult {
  const wire = new Wire(query);
  const servers = serversOf(conf);
  const attempts = uclibcAttempts(conf);
  const order: QType[] = family === 'inet' ? ['A'] : family === 'inet6' ? ['AAAA'] : ['AAAA', 'A'];
  const addresses: string[] = [];
  const statuses: UclibcOne['status'][] = [];
  let answeredName: string | undefined;
  let canonicalName: string | undefined;
  for (const type of order) {
    let target = name;
    let one: UclibcOne = { status: 'internal' };
    for (let hops = 0; hops < 8; hops++) {
      one = uclibcDnsLookup(wire, target, type, conf.searches, servers, attempts);
      const first = one.reply?.answer[0];
      if (one.status === 'ok' && first?.type === 'CNAME') {
        answeredName ??= one.answeredName;
        target = first.data;
        canonicalName = dropDot(first.data);
        continue;
      }
      break;
    }
    statuses.push(one.status);
    if (one.status === 'ok' && one.reply) {
      answeredName ??= one.answeredName;
      canonicalName ??= one.answeredName;
      for (const rr of one.reply.answer) if (rr.type === type) addresses.push(rr.data);
    }
  }
  if (addresses.length) return { queries: wire.queries, status: 'ok', addresses, answeredName, canonicalName };
  const status: LookupStatus = statuses.includes('internal') ? 'timeout' : statuses.includes('nodata') ? 'nodata' : 'nxdomain';
  // gethostbyname_r folds every __dns_lookup failure into HOST_NOT_FOUND, so gaih_inet ends with
  // EAI_NONAME whatever happened (from the source; not run).
  return { queries: wire.queries, status, error: { code: -2, name: 'EAI_NONAME', message: 'Name or service not known' }, addresses: [] };
}

// ---------------------------------------------------------------------------------------------
// Reverse lookups and tool-specific candidate lists

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

export type BusyboxVersion = '1.28' | '1.29' | 'modern';

/**
 * The queries busybox nslookup sends. 'modern' (1.30 and later, FEATURE_NSLOOKUP_BIG): its own
 * resolver, all at once — A for every candidate, then AAAA for every candidate; search domains are
 * appended only to names without any dot, and then the bare name is not asked at all; ndots is
 * ignored; an IP address becomes a single PTR query. '1.28' (≤ 1.28.4) asks libc getaddrinfo
 * instead, so it returns null: use uclibcLookup (busybox:1.28.4), glibcLookup or muslLookup.
 */
export function busyboxNslookupCandidates(name: string, conf: ResolvConf, version: BusyboxVersion = 'modern'): { name: string; type: QType }[] | null {
  if (version === '1.28') return null;
  if (isIpAddress(name)) return [{ name: ptrName(name), type: 'PTR' }];
  // parse_resolvconf: "search ." (or "domain .") means no search; 1.29.x had no search at all.
  const searches = version === '1.29' || (conf.searches.length === 1 && conf.searches[0] === '.') ? [] : conf.searches;
  const names = searches.length === 0 || name.includes('.') ? [name] : searches.map((d) => `${name}.${d}`);
  return [...names.map((n) => ({ name: n, type: 'A' as const })), ...names.map((n) => ({ name: n, type: 'AAAA' as const }))];
}

/**
 * The search order of bind9's nslookup and host (and dig +search): a trailing dot or dots ≥ ndots →
 * the name alone; otherwise each search domain, then the name as-is. Only NXDOMAIN moves on.
 */
export function bindSearchCandidates(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [dropDot(name)];
  const ndots = glibcOptions(conf).ndots;
  if (countDots(name) >= ndots) return [name];
  return [...conf.searches.filter((d) => d !== '' && d !== '.').map((d) => `${name}.${dropDot(d)}`), name];
}

export function isIpAddress(s: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return s.split('.').every((p) => Number(p) <= 255);
  return /^[0-9a-fA-F:]+$/.test(s) && s.includes(':') && s.split('::').length <= 2;
}

// ---------------------------------------------------------------------------------------------
// Which resolver an image uses

export type ImageResolver = 'glibc' | 'musl' | 'uclibc';

/**
 * The libc behind getaddrinfo() for common images, from the official image definitions: the plain
 * busybox tags are the uclibc variant on amd64 (docker-library/official-images library/busybox lists
 * `latest` → amd64-Directory: uclibc; assumed the same for 1.28.4), `-glibc`/`-musl` tags say so;
 * alpine is musl; Debian/Ubuntu based images (nginx, httpd, dnsutils) are glibc.
 */
export function imageResolver(image: string): ImageResolver {
  const ref = image.toLowerCase();
  const [repoPart = '', tag = 'latest'] = ref.includes(':') ? [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)] : [ref, 'latest'];
  const repo = repoPart.split('/').pop() ?? repoPart;
  if (repo === 'busybox') return tag.includes('glibc') ? 'glibc' : tag.includes('musl') ? 'musl' : 'uclibc';
  if (repo === 'alpine' || tag.includes('alpine')) return 'musl';
  return 'glibc';
}

/** busybox nslookup flavour: ≤ 1.28.x uses libc getaddrinfo, 1.29.x its own resolver without search, 1.30+ with. */
export function busyboxVersionOf(image: string): BusyboxVersion {
  const m = /:(\d+)\.(\d+)/.exec(image);
  if (!m) return 'modern';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major < 1 || (major === 1 && minor <= 28)) return '1.28';
  return major === 1 && minor === 29 ? '1.29' : 'modern';
}
