// What nslookup (busybox 1.28 / busybox ≥ 1.30 / bind9), host and dig print.
//
// Each tool has a pure renderer over replies and a `run…` that drives the query sequence the tool
// really makes (search list, retries, follow-up AAAA/MX/PTR lookups) through a QueryFn and returns
// the output together with every packet sent. Formats were captured from bind 9.18.49 (Debian 12)
// and busybox 1.35 run against a scripted server on 10.96.0.10 in a private network namespace;
// busybox 1.28 follows its source (print_host: "%-10s %s", "Address %u: %s %s").

import type { ResolvConf } from './resolv.js';
import {
  bindSearchCandidates,
  busyboxNslookupCandidates,
  glibcLookup,
  isIpAddress,
  isReply,
  muslLookup,
  ptrName,
  reverseLookup,
  uclibcLookup,
  type BusyboxVersion,
  type DnsReply,
  type DnsRR,
  type LookupResult,
  type QType,
  type QueryFn,
  type QueryOutcome,
  type QueryRecord,
  type Rcode,
} from './stub.js';

export interface ToolOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ToolRun extends ToolOutput {
  queries: QueryRecord[];
}

const RCODE_NUM: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

const dropDot = (n: string): string => (n.length > 1 && n.endsWith('.') ? n.slice(0, -1) : n);
const addDot = (n: string): string => (n.endsWith('.') ? n : `${n}.`);

/** rdata in presentation form with every domain name fully qualified (dig's form). */
export function rdataText(rr: DnsRR): string {
  const parts = rr.data.trim().split(/\s+/);
  switch (rr.type) {
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return addDot(rr.data.trim());
    case 'MX':
    case 'SRV':
      return [...parts.slice(0, -1), addDot(parts[parts.length - 1] ?? '')].join(' ');
    case 'SOA':
      return [addDot(parts[0] ?? ''), addDot(parts[1] ?? ''), ...parts.slice(2)].join(' ');
    default:
      return rr.data;
  }
}

/** nslookup's and busybox's SOA block: owner, then one tab-indented `key = value` per field. */
function soaBlock(owner: string, p: string[]): string {
  const [mname = '', rname = '', ...nums] = p;
  const keys = ['serial', 'refresh', 'retry', 'expire', 'minimum'];
  return `${owner}\n\torigin = ${dropDot(mname)}\n\tmail addr = ${dropDot(rname)}\n${keys.map((k, i) => `\t${k} = ${nums[i]}\n`).join('')}`;
}

/** The name-valued rdata without its final dot (how busybox and nslookup's dns_name_format print it). */
const targetOf = (rr: DnsRR): string => dropDot(rr.data.trim().split(/\s+/).pop() ?? '');

// ---------------------------------------------------------------------------------------------
// busybox ≤ 1.28.4 nslookup (print_host over libc getaddrinfo + getnameinfo)

export interface ResolvedAddress {
  ip: string;
  /** getnameinfo(NI_NAMEREQD) result: the PTR name, or null when the reverse lookup failed. */
  reverse: string | null;
}

/**
 * busybox ≤ 1.28.4:
 * ```
 * Server:    10.96.0.10
 * Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local
 *
 * Name:      kubernetes
 * Address 1: 10.96.0.1 kubernetes.default.svc.cluster.local
 * ```
 * The name is printed as typed; `result` null is a getaddrinfo failure: `nslookup: can't resolve 'x'`
 * on stderr, exit 1. A server whose PTR fails shows only its address.
 */
export function busyboxNslookup128(server: string, serverName: string | null, name: string, result: ResolvedAddress[] | null): ToolOutput {
  const block = (header: string, host: string, addrs: ResolvedAddress[]): string =>
    `${header.padEnd(10)} ${host}\n${addrs.map((a, i) => `Address ${i + 1}: ${a.ip}${a.reverse ? ` ${a.reverse}` : ''}\n`).join('')}`;
  let stdout = `${block('Server:', server, [{ ip: server, reverse: serverName }])}\n`;
  if (!result || result.length === 0) return { stdout, stderr: `nslookup: can't resolve '${name}'\n`, exitCode: 1 };
  stdout += block('Name:', name, result);
  return { stdout, stderr: '', exitCode: 0 };
}

export interface BusyboxRunOptions {
  /** Which libc the image's busybox is linked against: uclibc for busybox:1.28.4 on amd64. */
  libc?: 'uclibc' | 'glibc' | 'musl';
  /** The optional second argument: the DNS server to ask. */
  server?: string;
  /** glibc only: the pod owns a global IPv6 address (RFC 6724 sort). */
  preferIPv6?: boolean;
}

/**
 * busybox ≤ 1.28.4 end to end: PTR of the server (getnameinfo), getaddrinfo(AF_UNSPEC) of the name
 * (uClibc: the whole AAAA search, then the whole A search), then one PTR per address.
 */
export function runBusyboxNslookup128(name: string, conf: ResolvConf, query: QueryFn, opts: BusyboxRunOptions = {}): ToolRun {
  const libc = opts.libc ?? 'uclibc';
  const effective: ResolvConf = opts.server ? { ...conf, nameservers: [opts.server] } : conf;
  const server = effective.nameservers[0] ?? '127.0.0.1';
  const queries: QueryRecord[] = [];
  const srvRev = reverseLookup(server, effective, query, libc);
  queries.push(...srvRev.queries);
  let result: ResolvedAddress[] | null = null;
  if (isIpAddress(name)) {
    const rev = reverseLookup(name, effective, query, libc);
    queries.push(...rev.queries);
    result = [{ ip: name, reverse: rev.name }];
  } else {
    const lr: LookupResult =
      libc === 'uclibc'
        ? uclibcLookup(name, effective, query, 'unspec')
        : libc === 'musl'
          ? muslLookup(name, effective, query, 'unspec')
          : glibcLookup(name, effective, query, 'unspec', { preferIPv6: opts.preferIPv6 });
    queries.push(...lr.queries);
    if (lr.status === 'ok') {
      // uClibc lists IPv6 first because gaih_inet asks AF_INET6 first; the others as resolved.
      const addrs = libc === 'uclibc' ? [...lr.addresses.filter((a) => a.includes(':')), ...lr.addresses.filter((a) => !a.includes(':'))] : lr.addresses;
      result = addrs.map((ip) => {
        const rev = reverseLookup(ip, effective, query, libc);
        queries.push(...rev.queries);
        return { ip, reverse: rev.name };
      });
    }
  }
  return { ...busyboxNslookup128(server, srvRev.name, name, result), queries };
}

// ---------------------------------------------------------------------------------------------
// busybox ≥ 1.30 nslookup (own resolver, LEDE/OpenWrt code)

export interface CompletedQuery {
  name: string;
  type: QType;
  reply: DnsReply;
}

function busyboxRR(rr: DnsRR): string {
  const owner = dropDot(rr.name);
  const p = rr.data.trim().split(/\s+/);
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return `Name:\t${owner}\nAddress: ${rr.data}\n`;
    case 'NS':
      return `${owner}\tnameserver = ${targetOf(rr)}\n`;
    case 'CNAME':
      return `${owner}\tcanonical name = ${targetOf(rr)}\n`;
    case 'PTR':
      return `${owner}\tname = ${targetOf(rr)}\n`;
    case 'MX':
      return `${owner}\tmail exchanger = ${p[0]} ${targetOf(rr)}\n`;
    case 'TXT':
      return `${owner}\ttext = "${rr.data.replace(/^"|"$/g, '')}"\n`;
    case 'SRV':
      return `${owner}\tservice = ${p[0]} ${p[1]} ${p[2]} ${targetOf(rr)}\n`;
    case 'SOA':
      return soaBlock(owner, p);
    default:
      return '';
  }
}

/**
 * busybox ≥ 1.30, replies in the order they arrived (captured from 1.35):
 * ```
 * Server:\t\t10.96.0.10
 * Address:\t10.96.0.10:53
 *
 * Name:\tkubernetes.default.svc.cluster.local
 * Address: 10.96.0.1
 *
 * ** server can't find kubernetes.svc.cluster.local: NXDOMAIN
 *
 * ```
 * An authoritative empty answer (NODATA) prints only its blank line. `unanswered` queries get
 * `*** Can't find X: No answer`; no reply at all prints the bind-style timeout line. Exit status 1
 * when any reply had an error rcode.
 */
export function busyboxNslookupModern(server: string, completed: CompletedQuery[], unanswered: { name: string }[] = []): ToolOutput {
  if (completed.length === 0) return { stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '', exitCode: 1 };
  const addr = server.includes(':') ? `[${server}]:53` : `${server}:53`;
  let out = `Server:\t\t${server}\nAddress:\t${addr}\n\n`;
  let exitCode = 0;
  for (const c of completed) {
    if (c.reply.rcode !== 'NOERROR') {
      out += `** server can't find ${c.name}: ${c.reply.rcode}\n`;
      exitCode = 1;
    } else {
      if (!c.reply.aa) out += 'Non-authoritative answer:\n';
      for (const rr of c.reply.answer) out += busyboxRR(rr);
    }
    out += '\n';
  }
  if (unanswered.length) out += `${unanswered.map((u) => `*** Can't find ${u.name}: No answer\n`).join('')}\n`;
  return { stdout: out, stderr: '', exitCode };
}

/**
 * busybox ≥ 1.30 end to end (send_queries): all queries go out together to the first server; a
 * SERVFAIL is re-sent at once while the round's budget (2 × queries) lasts; unanswered ones are
 * re-sent once more (retry 2 within the 5 s timeout); a server that never answers gives way to the
 * next. `version` '1.29' has no search list.
 */
export function runBusyboxNslookupModern(
  name: string,
  conf: ResolvConf,
  query: QueryFn,
  opts: { server?: string; version?: Exclude<BusyboxVersion, '1.28'>; retry?: number } = {},
): ToolRun {
  const cands = busyboxNslookupCandidates(name, conf, opts.version ?? 'modern') ?? [];
  const servers = opts.server ? [opts.server] : conf.nameservers.length ? conf.nameservers : ['127.0.0.1'];
  const queries: QueryRecord[] = [];
  const send = (q: { name: string; type: QType }, server: string): QueryOutcome => {
    const out = query(q.name, q.type, server);
    queries.push({ name: q.name, type: q.type, server, rcode: isReply(out) ? out.rcode : out.error === 'timeout' ? 'TIMEOUT' : 'UNREACHABLE' });
    return out;
  };
  for (const server of servers) {
    const done: (CompletedQuery | undefined)[] = cands.map(() => undefined);
    const completed: CompletedQuery[] = [];
    let replies = 0;
    for (let round = 0; round < (opts.retry ?? 2) && done.some((d) => !d); round++) {
      let budget = 2 * cands.length;
      const inflight: { i: number; out: QueryOutcome }[] = [];
      cands.forEach((c, i) => {
        if (!done[i]) inflight.push({ i, out: send(c, server) });
      });
      while (inflight.length) {
        const f = inflight.shift() as { i: number; out: QueryOutcome };
        if (!isReply(f.out) || done[f.i]) continue;
        replies++;
        const c = cands[f.i] as { name: string; type: QType };
        if (f.out.rcode === 'SERVFAIL' && budget > 0) {
          budget--;
          inflight.push({ i: f.i, out: send(c, server) });
          continue;
        }
        done[f.i] = { ...c, reply: f.out };
        completed.push(done[f.i] as CompletedQuery);
      }
    }
    if (replies > 0) {
      const unanswered = cands.filter((_, i) => !done[i]);
      return { ...busyboxNslookupModern(server, completed, unanswered), queries };
    }
  }
  return { ...busyboxNslookupModern(servers[0] ?? '127.0.0.1', []), queries };
}

// ---------------------------------------------------------------------------------------------
// bind9 (dighost.c) shared: one lookup = one name and type, retried per server

interface BindAttempt {
  outcome: QueryOutcome;
  server: string;
  /** Lines printed for failed tries before this outcome. */
  notes: string[];
}

const sockaddr = (s: string): string => `${s}#53`;

/** One bind lookup: each server gets `tries` sends; timeouts and ICMP errors are reported per try. */
function bindSend(name: string, type: QType, servers: string[], tries: number, query: QueryFn, queries: QueryRecord[]): BindAttempt {
  const notes: string[] = [];
  let last: QueryOutcome = { error: 'timeout' };
  for (let si = 0; si < servers.length; si++) {
    const server = servers[si] as string;
    for (let t = 0; t < tries; t++) {
      const out = query(name, type, server);
      queries.push({ name, type, server, rcode: isReply(out) ? out.rcode : out.error === 'timeout' ? 'TIMEOUT' : 'UNREACHABLE' });
      last = out;
      if (isReply(out)) {
        if (out.rcode === 'SERVFAIL') {
          // nslookup prints this comment (host and dig do not); the last server's reply is used.
          if (si < servers.length - 1) {
            notes.push(`;; Got SERVFAIL reply from ${server}, trying next server`);
            break;
          }
          notes.push(`;; Got SERVFAIL reply from ${server}`);
        }
        return { outcome: out, server, notes };
      }
      notes.push(`;; communications error to ${sockaddr(server)}: ${out.error === 'timeout' ? 'timed out' : 'connection refused'}`);
    }
  }
  return { outcome: last, server: servers[servers.length - 1] ?? '', notes };
}

/** Walk the search candidates: only NXDOMAIN moves on. */
function bindSearch(
  name: string,
  conf: ResolvConf,
  type: QType,
  servers: string[],
  tries: number,
  query: QueryFn,
  queries: QueryRecord[],
): { attempt: BindAttempt; qname: string; notes: string[] } {
  const notes: string[] = [];
  const cands = bindSearchCandidates(name, conf);
  let attempt: BindAttempt = { outcome: { error: 'timeout' }, server: servers[0] ?? '', notes: [] };
  let qname = cands[0] ?? name;
  for (const cand of cands) {
    qname = cand;
    attempt = bindSend(cand, type, servers, tries, query, queries);
    notes.push(...attempt.notes);
    if (!isReply(attempt.outcome)) break;
    if (attempt.outcome.rcode !== 'NXDOMAIN') break;
  }
  return { attempt, qname, notes };
}

/** The CNAME chain in an answer, from qname to its final target. */
function chaseCname(qname: string, reply: DnsReply): string {
  let name = dropDot(qname).toLowerCase();
  let out = dropDot(qname);
  for (let i = 0; i < reply.answer.length; i++) {
    const rr = reply.answer.find((r) => r.type === 'CNAME' && dropDot(r.name).toLowerCase() === name);
    if (!rr) break;
    out = targetOf(rr);
    name = out.toLowerCase();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// bind9 nslookup

const NSLOOKUP_RTYPE: Partial<Record<QType, string>> = {
  NS: 'nameserver = ',
  CNAME: 'canonical name = ',
  PTR: 'name = ',
  MX: 'mail exchanger = ',
  TXT: 'text = ',
  SRV: 'service = ',
};

function nslookupSection(rrs: DnsRR[]): string {
  let out = '';
  for (const rr of rrs) {
    const owner = dropDot(rr.name);
    if (rr.type === 'A' || rr.type === 'AAAA') out += `Name:\t${owner}\nAddress: ${rr.data}\n`;
    else if (rr.type === 'SOA') {
      const p = rdataText(rr).split(' ');
      out += soaBlock(owner, p);
    } else out += `${owner}\t${NSLOOKUP_RTYPE[rr.type] ?? `${rr.type.toLowerCase()} = `}${rdataText(rr)}\n`;
  }
  return out;
}

/** One finished nslookup lookup: the name it ended on (candidate), its type and reply. */
export interface NslookupStep {
  qname: string;
  qtype: QType;
  reply: DnsReply;
  /** Server that answered (as given on the command line / resolv.conf). */
  server: string;
  /** Lines printed before the reply (";; Got SERVFAIL reply from …"). */
  notes?: string[];
}

/**
 * bind9 nslookup output for the default A (+AAAA) lookups, as 9.18 prints them:
 * ```
 * Server:\t\t10.96.0.10
 * Address:\t10.96.0.10#53
 *
 * Name:\tkubernetes.default.svc.cluster.local
 * Address: 10.96.0.1
 *
 * ```
 * `Non-authoritative answer:` precedes a non-aa A answer; an error rcode prints
 * `** server can't find <name>: NXDOMAIN` (exit 1); an empty A and AAAA print
 * `*** Can't find <name>: No answer` (exit 0). `steps[0]` is the A lookup, `steps[1]` the AAAA.
 */
export function bindNslookup(steps: NslookupStep[]): ToolOutput {
  let out = '';
  let exitCode = 0;
  let aNoAnswer = false;
  for (const [i, s] of steps.entries()) {
    out += (s.notes ?? []).map((n) => `${n}\n`).join('');
    const isA = i === 0;
    if (isA) out += `Server:\t\t${s.server}\nAddress:\t${sockaddr(s.server)}\n\n`;
    if (s.reply.rcode !== 'NOERROR') {
      out += `** server can't find ${dropDot(s.qname)}: ${s.reply.rcode}\n`;
      exitCode = 1;
      continue;
    }
    if (isA && !s.reply.aa) out += 'Non-authoritative answer:\n';
    if (s.reply.answer.length) out += nslookupSection(s.reply.answer);
    else if (isA) aNoAnswer = true;
    else if (aNoAnswer) out += `*** Can't find ${dropDot(s.qname)}: No answer\n`;
  }
  return { stdout: `${out}\n`, stderr: '', exitCode };
}

export interface BindRunOptions {
  /** Server given on the command line (replaces resolv.conf's nameservers). */
  server?: string;
  /** Tries per server: nslookup and dig 3, host 2 (-R 1). */
  tries?: number;
}

/**
 * bind9 nslookup end to end: the A lookup walks the search list (bindSearchCandidates, only NXDOMAIN
 * moves on); on success an AAAA lookup follows for the CNAME-chased name. An address argument is a
 * single PTR lookup printed without the Server header.
 */
export function runBindNslookup(name: string, conf: ResolvConf, query: QueryFn, opts: BindRunOptions = {}): ToolRun {
  const servers = opts.server ? [opts.server] : conf.nameservers.length ? conf.nameservers.slice(0, 3) : ['127.0.0.1'];
  const tries = opts.tries ?? 3;
  const queries: QueryRecord[] = [];
  const noServers = (notes: string[]): ToolRun => ({ stdout: `${notes.map((n) => `${n}\n`).join('')};; no servers could be reached\n\n`, stderr: '', exitCode: 1, queries });

  if (isIpAddress(name)) {
    const ptr = ptrName(name);
    const a = bindSend(ptr, 'PTR', servers, tries, query, queries);
    if (!isReply(a.outcome)) return noServers(a.notes);
    const r = a.outcome;
    const body = r.rcode !== 'NOERROR' ? `** server can't find ${ptr}: ${r.rcode}\n` : (r.aa ? '' : 'Non-authoritative answer:\n') + nslookupSection(r.answer);
    return { stdout: `${a.notes.map((n) => `${n}\n`).join('') + body}\n`, stderr: '', exitCode: r.rcode === 'NOERROR' ? 0 : 1, queries };
  }

  const s = bindSearch(name, conf, 'A', servers, tries, query, queries);
  if (!isReply(s.attempt.outcome)) return noServers(s.notes);
  const steps: NslookupStep[] = [{ qname: s.qname, qtype: 'A', reply: s.attempt.outcome, server: s.attempt.server, notes: s.notes }];
  let extra = '';
  if (s.attempt.outcome.rcode === 'NOERROR') {
    const chased = chaseCname(s.qname, s.attempt.outcome);
    const a6 = bindSend(chased, 'AAAA', servers, tries, query, queries);
    if (isReply(a6.outcome)) steps.push({ qname: chased, qtype: 'AAAA', reply: a6.outcome, server: a6.server, notes: a6.notes });
    else extra = a6.notes.map((n) => `${n}\n`).join('');
  }
  const out = bindNslookup(steps);
  return { ...out, stdout: `${out.stdout.slice(0, -1) + extra}\n`, queries };
}

// ---------------------------------------------------------------------------------------------
// bind9 host

export interface HostStep {
  qname: string;
  qtype: QType;
  reply: DnsReply;
}

function hostLine(rr: DnsRR): string {
  const owner = dropDot(rr.name);
  const p = rr.data.trim().split(/\s+/);
  switch (rr.type) {
    case 'A':
      return `${owner} has address ${rr.data}\n`;
    case 'AAAA':
      return `${owner} has IPv6 address ${rr.data}\n`;
    case 'CNAME':
      return `${owner} is an alias for ${rdataText(rr)}\n`;
    case 'MX':
      return `${owner} mail is handled by ${p[0]} ${addDot(p[1] ?? '')}\n`;
    case 'PTR':
      return `${owner} domain name pointer ${rdataText(rr)}\n`;
    default:
      return `${owner} has ${rr.type} record ${rdataText(rr)}\n`;
  }
}

/**
 * bind9 host: `kubernetes.default.svc.cluster.local has address 10.96.0.1`, `… has IPv6 address …`,
 * `… is an alias for example.com.`, `… mail is handled by 10 mx.`; an error rcode prints
 * `Host x not found: 3(NXDOMAIN)` (the typed name for NXDOMAIN, the queried one otherwise), exit 1.
 * NODATA prints nothing. `server` (explicit second argument) adds the "Using domain server" block.
 */
export function host(typedName: string, steps: HostStep[], server?: string): ToolOutput {
  let out = server ? `Using domain server:\nName: ${server}\nAddress: ${sockaddr(server)}\nAliases: \n\n` : '';
  for (const s of steps) {
    if (s.reply.rcode !== 'NOERROR') {
      const shown = s.reply.rcode === 'NXDOMAIN' ? typedName : dropDot(s.qname);
      out += `Host ${shown} not found: ${RCODE_NUM[s.reply.rcode]}(${s.reply.rcode})\n`;
      return { stdout: out, stderr: '', exitCode: 1 };
    }
    for (const rr of s.reply.answer) out += hostLine(rr);
  }
  return { stdout: out, stderr: '', exitCode: 0 };
}

/**
 * bind9 host end to end: the A lookup walks the search list, then AAAA and MX follow for the
 * CNAME-chased name; an address argument is one PTR lookup. Two tries per server by default.
 */
export function runHost(name: string, conf: ResolvConf, query: QueryFn, opts: BindRunOptions = {}): ToolRun {
  const servers = opts.server ? [opts.server] : conf.nameservers.length ? conf.nameservers.slice(0, 3) : ['127.0.0.1'];
  const tries = opts.tries ?? 2;
  const queries: QueryRecord[] = [];
  // host keeps dig's error lines but not its SERVFAIL comments.
  const noServers = (before: string, notes: string[]): ToolRun => ({
    stdout:
      before +
      notes
        .filter((n) => n.startsWith(';; communications error'))
        .map((n) => `${n}\n`)
        .join('') +
      ';; no servers could be reached\n',
    stderr: '',
    exitCode: 1,
    queries,
  });

  if (isIpAddress(name)) {
    const ptr = ptrName(name);
    const a = bindSend(ptr, 'PTR', servers, tries, query, queries);
    if (!isReply(a.outcome)) return noServers('', a.notes);
    return { ...host(`${ptr}.`, [{ qname: ptr, qtype: 'PTR', reply: a.outcome }], opts.server), queries };
  }
  const s = bindSearch(name, conf, 'A', servers, tries, query, queries);
  if (!isReply(s.attempt.outcome)) return noServers('', s.notes);
  const steps: HostStep[] = [{ qname: s.qname, qtype: 'A', reply: s.attempt.outcome }];
  if (s.attempt.outcome.rcode === 'NOERROR') {
    const chased = chaseCname(s.qname, s.attempt.outcome);
    for (const t of ['AAAA', 'MX'] as const) {
      const a = bindSend(chased, t, servers, tries, query, queries);
      if (!isReply(a.outcome)) return noServers(host(name, steps, opts.server).stdout, a.notes);
      steps.push({ qname: chased, qtype: t, reply: a.outcome });
    }
  }
  return { ...host(name, steps, opts.server), queries };
}

// ---------------------------------------------------------------------------------------------
// dig

export interface DigOptions {
  /** The command line after `dig`, as typed (echoed in the banner). Default: `[@server] name [type]`. */
  args?: string;
  /** `@server` was given: prints `; (1 server found)`. */
  serverGiven?: boolean;
  short?: boolean;
  /** Message ID; default a deterministic hash of `seed` (or the name). */
  id?: number;
  seed?: string;
  queryTimeMs?: number;
  /** Simulated wall clock (ms since epoch or Date) for `;; WHEN:`, printed in UTC. */
  when?: number | Date;
  protocol?: 'UDP' | 'TCP';
  /** +norecurse clears rd. */
  recurse?: boolean;
  /** Tries for timeouts (+tries, default 3). */
  tries?: number;
  version?: string;
  /** Count the reply with name compression (CoreDNS leaves small replies uncompressed). */
  compress?: boolean;
}

export const DIG_VERSION = '9.18.49-1~deb12u3-Debian';

/** FNV-1a folded to 16 bits: a stable stand-in for dig's random message ID. */
export function seededId(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return ((h >>> 16) ^ (h & 0xffff)) & 0xffff;
}

/**
 * dns_master indent: move from column `from` to `to` with tabs (width 8) then spaces, always at
 * least one character; the logical column becomes `to` even when tabs overshoot.
 */
function indentTo(from: number, to: number): [string, number] {
  const target = Math.max(to, from + 1);
  const tabs = Math.floor(target / 8) - Math.floor(from / 8);
  if (tabs > 0) return ['\t'.repeat(tabs) + ' '.repeat(target - Math.floor(target / 8) * 8), target];
  return [' '.repeat(target - from), target];
}

/** An RR line with dig's columns: TTL at 24, class at 32, type at 40, rdata at 48. */
export function digRR(rr: DnsRR): string {
  let s = addDot(rr.name);
  let col = s.length;
  const put = (field: string, to: number): void => {
    const [pad, c] = indentTo(col, to);
    s += pad + field;
    col = c + field.length;
  };
  put(String(rr.ttl), 24);
  put(rr.class, 32);
  put(rr.type, 40);
  const [pad] = indentTo(col, 48);
  return s + pad + rdataText(rr);
}

/** A question line: `;` + name (not counted in the columns), class at 32, type at 40. */
export function digQuestion(name: string, type: QType): string {
  const n = addDot(name);
  let col = n.length;
  const [p1, c1] = indentTo(col, 32);
  col = c1 + 2;
  const [p2] = indentTo(col, 40);
  return `;${n}${p1}IN${p2}${type}`;
}

function nameWireLength(name: string, table: Set<string> | null): number {
  const labels = dropDot(name) === '.' || name === '' ? [] : dropDot(name).toLowerCase().split('.');
  let len = 0;
  for (let i = 0; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.');
    if (table?.has(suffix)) return len + 2;
    table?.add(suffix);
    len += (labels[i] as string).length + 1;
  }
  return len + 1;
}

function rdataWireLength(rr: DnsRR, table: Set<string> | null): number {
  const p = rdataText(rr).split(' ');
  switch (rr.type) {
    case 'A':
      return 4;
    case 'AAAA':
      return 16;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return nameWireLength(rdataText(rr), table);
    case 'MX':
      return 2 + nameWireLength(p[1] ?? '', table);
    case 'SRV':
      return 6 + nameWireLength(p[3] ?? '', null);
    case 'SOA':
      return nameWireLength(p[0] ?? '', table) + nameWireLength(p[1] ?? '', table) + 20;
    case 'TXT': {
      const strs = rr.data.match(/"((?:[^"\\]|\\.)*)"/g) ?? [rr.data];
      return strs.reduce((n, s) => n + 1 + s.replace(/^"|"$/g, '').length, 0);
    }
    default:
      return rr.data.length;
  }
}

/** Size of the reply on the wire (`;; MSG SIZE  rcvd:`), with or without name compression. */
export function messageSize(qname: string, reply: DnsReply, compress = false): number {
  const table = compress ? new Set<string>() : null;
  let size = 12 + nameWireLength(qname, table) + 4;
  for (const rr of [...reply.answer, ...reply.authority, ...reply.additional]) size += nameWireLength(rr.name, table) + 10 + rdataWireLength(rr, table);
  if (reply.edns) size += 11;
  return size;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime "%a %b %d %H:%M:%S %Z %Y" in UTC (a pod's default zone). */
export function digWhen(when: number | Date): string {
  const d = new Date(when);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

const isUnderLocal = (name: string): boolean => {
  const n = dropDot(name).toLowerCase();
  return n === 'local' || n.endsWith('.local');
};

/**
 * dig 9.18 output for one question and its outcome (`outcome` a transport error prints the
 * per-try `;; communications error` lines and `;; no servers could be reached`, exit 9).
 * Names under .local get 9.18's mDNS warning; rd without ra adds the recursion warning.
 */
export function dig(question: { name: string; type: QType }, outcome: QueryOutcome, server: string, opts: DigOptions = {}): ToolOutput {
  const version = opts.version ?? DIG_VERSION;
  const args = opts.args ?? [opts.serverGiven ? `@${server}` : '', question.name, question.type === 'A' ? '' : question.type].filter(Boolean).join(' ');
  const banner = `\n; <<>> DiG ${version} <<>> ${args}\n${opts.serverGiven ? '; (1 server found)\n' : ''};; global options: +cmd\n`;
  if (!isReply(outcome)) {
    const why = outcome.error === 'timeout' ? 'timed out' : 'connection refused';
    const errs = `;; communications error to ${sockaddr(server)}: ${why}\n`.repeat(opts.tries ?? 3);
    return { stdout: `${errs + (opts.short ? '' : banner)};; no servers could be reached\n`, stderr: '', exitCode: 9 };
  }
  const r = outcome;
  if (opts.short) return { stdout: r.answer.map((rr) => `${rdataText(rr)}\n`).join(''), stderr: '', exitCode: 0 };

  const rd = opts.recurse ?? true;
  const ra = r.ra ?? true;
  const flags = ['qr', r.aa ? 'aa' : '', r.tc ? 'tc' : '', rd ? 'rd' : '', ra ? 'ra' : ''].filter(Boolean).join(' ');
  const additional = r.additional.length + (r.edns ? 1 : 0);
  let out = `${banner};; Got answer:\n`;
  if (isUnderLocal(question.name)) out += ';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n';
  out += `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${opts.id ?? seededId(opts.seed ?? question.name)}\n`;
  out += `;; flags: ${flags}; QUERY: 1, ANSWER: ${r.answer.length}, AUTHORITY: ${r.authority.length}, ADDITIONAL: ${additional}\n`;
  if (rd && !ra) out += ';; WARNING: recursion requested but not available\n';
  out += '\n';
  if (r.edns) out += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: ${r.edns.udpSize}\n`;
  out += `;; QUESTION SECTION:\n${digQuestion(question.name, question.type)}\n\n`;
  const section = (title: string, rrs: DnsRR[]): string => (rrs.length ? `;; ${title} SECTION:\n${rrs.map((rr) => `${digRR(rr)}\n`).join('')}\n` : '');
  out += section('ANSWER', r.answer) + section('AUTHORITY', r.authority) + section('ADDITIONAL', r.additional);
  out += `;; Query time: ${opts.queryTimeMs ?? 0} msec\n`;
  out += `;; SERVER: ${sockaddr(server)}(${server}) (${opts.protocol ?? 'UDP'})\n`;
  out += `;; WHEN: ${digWhen(opts.when ?? 0)}\n`;
  out += `;; MSG SIZE  rcvd: ${messageSize(question.name, r, opts.compress)}\n\n`;
  return { stdout: out, stderr: '', exitCode: 0 };
}

/**
 * dig end to end: one query to the first server (or `@server`), `tries` sends on timeouts; with
 * `search` (+search) the bind search list applies and the last candidate tried is shown. Replies
 * without an OPT get one of `ednsUdpSize` (default 1232; null for none).
 */
export function runDig(
  name: string,
  type: QType,
  conf: ResolvConf,
  query: QueryFn,
  opts: DigOptions & { server?: string; search?: boolean; ednsUdpSize?: number | null } = {},
): ToolRun {
  const server = opts.server ?? conf.nameservers[0] ?? '127.0.0.1';
  const queries: QueryRecord[] = [];
  const tries = opts.tries ?? 3;
  let qname = dropDot(name);
  let attempt: BindAttempt;
  if (opts.search) {
    const s = bindSearch(name, conf, type, [server], tries, query, queries);
    attempt = s.attempt;
    qname = s.qname;
  } else attempt = bindSend(qname, type, [server], tries, query, queries);
  // dig 9.18 sends EDNS with a 1232-byte UDP size and CoreDNS echoes an OPT record with it.
  const size = opts.ednsUdpSize === undefined ? 1232 : opts.ednsUdpSize;
  const outcome = isReply(attempt.outcome) && !attempt.outcome.edns && size !== null ? { ...attempt.outcome, edns: { udpSize: size } } : attempt.outcome;
  const args = opts.args ?? [opts.server ? `@${opts.server}` : '', name, type === 'A' ? '' : type].filter(Boolean).join(' ');
  const out = dig({ name: qname, type }, outcome, server, { ...opts, serverGiven: opts.serverGiven ?? opts.server !== undefined, args });
  return { ...out, queries };
}
