// One DNS query through CoreDNS: server-block selection (core/dnsserver), then the block's
// plugin chain in plugin.cfg order. Plugins that rewrite responses do it on the way back out,
// innermost first: rewrite restores names, cache caps TTLs, loadbalance reorders addresses.
//
// Modelling choices:
// - cache is transparent: every query is a miss, so only its TTL cap is visible (all records of
//   a reply get the capped minimal TTL, floored at the min TTL, as cache.ResponseWriter does).
//   Replies served from a real cache would additionally carry aa=1 and decreasing TTLs.
// - loadbalance shuffles with a deterministic sequence seeded by ctx.queryId; without one the
//   order is left as produced (CNAMEs first, as the plugin always reorders).
// - rewrite handles `name` rules; the answer owner names are mapped back for exact rules
//   (automatic in CoreDNS), `answer auto`, and regex `answer name` rules. Other rewrite fields
//   are accepted and ignored.
// - errors: when the chain returns an error the errors plugin line is added to `logs`.
// - Plugins CoreDNS knows but the simulator does not model pass queries through.

import type { Corefile, ForwardPlugin, CachePlugin, HostsPlugin, PluginConfig, RewriteNameRule, RewritePlugin, ServerBlock, SimplePlugin } from './corefile/index.js';
import { isDomainName } from './corefile/index.js';
import { addressFromReverse, canonicalIP } from './addresses.js';
import { defaultServerIP, type DnsData } from './informer.js';
import { serveKubernetes } from './kubernetes-plugin.js';
import { fqdn, isSubDomain, matchZone, type DnsMessage, type QType, type Rcode, type RR } from './message.js';
import { isUnreachable, type UpstreamFn } from './upstream.js';

export interface DnsQuery {
  name: string;
  type: QType;
}

export interface AnswerContext {
  /** Source address of the query (the pod, or the node for hostNetwork pods). */
  clientIP: string;
  /** The recursive resolvers behind `forward` (the node's resolv.conf, stub domains' IPs). */
  upstream: UpstreamFn;
  /** Port the query arrived on (53: kube-dns's targetPort). */
  port?: number;
  /** The CoreDNS pod answering (NS records, log lines); default: first kube-dns endpoint. */
  serverIP?: string;
  /** Seeds loadbalance's shuffle and the ephemeral port in log lines. */
  queryId?: number;
}

export interface DnsAnswer extends DnsMessage {
  /** The plugin that produced the reply (`dnsserver` when no server block matched). */
  plugin: string;
  /** Plugins the query passed through, in order. */
  chain: string[];
  /** What CoreDNS would print for this query ([ERROR] lines of the errors plugin). */
  logs: string[];
  /** Keys of the server block that served it. */
  serverBlock?: string[];
}

type Outcome = { kind: 'written'; msg: DnsMessage; by: string } | { kind: 'error'; rcode: 'SERVFAIL' | 'REFUSED'; err?: string; by: string };

interface Env {
  data: DnsData;
  corefile: Corefile;
  block: ServerBlock;
  ctx: AnswerContext;
  depth: number;
  chain: string[];
  logs: string[];
}

interface Req {
  /** Current question name (after any rewrite), FQDN. */
  qname: string;
  qtype: QType;
}

const RCODE_NUM: Record<Rcode, number> = { NOERROR: 0, NXDOMAIN: 3, SERVFAIL: 2, REFUSED: 5 };

/** dnsserver: the block whose zone is the longest suffix of the name, on this port. */
function selectServerBlock(cf: Corefile, name: string, port: number): ServerBlock | undefined {
  let best: ServerBlock | undefined;
  let bestLen = -1;
  for (const b of cf.serverBlocks) {
    for (const z of b.zones) {
      if (z.transport !== 'dns' || z.port !== port) continue;
      if (isSubDomain(z.zone, name) && z.zone.length > bestLen) {
        best = b;
        bestLen = z.zone.length;
      }
    }
  }
  return best;
}

function copyMsg(m: DnsMessage): DnsMessage {
  const c = (rs: RR[]) => rs.map((r) => ({ ...r }));
  return { rcode: m.rcode, aa: m.aa, answer: c(m.answer), authority: c(m.authority), additional: c(m.additional) };
}

// --- cache -------------------------------------------------------------------------------------

type MsgType = 'NoError' | 'NoData' | 'NameError' | 'ServerError' | 'Delegation' | 'OtherError';

/** response.Typify. */
function typify(m: DnsMessage): MsgType {
  if (m.answer.length > 0 && m.rcode === 'NOERROR') return 'NoError';
  const soa = m.authority.some((r) => r.type === 'SOA');
  const ns = m.authority.filter((r) => r.type === 'NS').length;
  if (soa && m.rcode === 'NOERROR') return 'NoData';
  if (soa && m.rcode === 'NXDOMAIN') return 'NameError';
  if (m.rcode === 'SERVFAIL') return 'ServerError';
  if (ns > 0 && m.rcode === 'NOERROR') return 'Delegation';
  if (m.rcode === 'NOERROR') return 'NoError';
  return 'OtherError';
}

/** dnsutil.MinimalTTL, in seconds. */
function minimalTTL(m: DnsMessage, mt: MsgType): number {
  if (mt !== 'NoError' && mt !== 'NameError' && mt !== 'NoData') return 5;
  const all = [...m.answer, ...m.authority, ...m.additional];
  if (all.length === 0) return 5;
  return all.reduce((min, r) => Math.min(min, r.ttl), 3600);
}

function cacheCap(m: DnsMessage, c: CachePlugin): DnsMessage {
  const mt = typify(m);
  const msgTTL = minimalTTL(m, mt);
  const clamp = (t: number, min: number, max: number) => Math.min(Math.max(t, min), max);
  let ttl: number;
  if (mt === 'NameError' || mt === 'NoData') ttl = clamp(msgTTL, c.denialMinTTL, c.denialTTL);
  else if (mt === 'ServerError') ttl = c.servfailTTL;
  else ttl = clamp(msgTTL, c.successMinTTL, c.successTTL);
  const set = (rs: RR[]) => rs.map((r) => ({ ...r, ttl }));
  return { ...m, answer: set(m.answer), authority: set(m.authority), additional: set(m.additional) };
}

// --- loadbalance ---------------------------------------------------------------------------------

/** dns.Id() stand-in: a xorshift stream seeded by the query id. */
function idStream(seed: number): () => number {
  let s = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s & 0xffff;
  };
}

function shuffle(rs: RR[], id: (() => number) | undefined): void {
  if (!id) return;
  const l = rs.length;
  if (l === 2) {
    if (id() % 2 === 0) [rs[0], rs[1]] = [rs[1]!, rs[0]!];
    return;
  }
  for (let j = 0; j < l; j++) {
    const p = j + (id() % (l - j));
    if (p !== j) [rs[j], rs[p]] = [rs[p]!, rs[j]!];
  }
}

function roundRobin(rs: RR[], id: (() => number) | undefined): RR[] {
  if (rs.length <= 1) return rs;
  const first = rs[0]?.type;
  if (rs.every((r) => r.type === first) && (first === 'A' || first === 'AAAA')) {
    const out = [...rs];
    shuffle(out, id);
    return out;
  }
  const cname = rs.filter((r) => r.type === 'CNAME');
  const address = rs.filter((r) => r.type === 'A' || r.type === 'AAAA');
  const rest = rs.filter((r) => r.type !== 'CNAME' && r.type !== 'A' && r.type !== 'AAAA');
  shuffle(address, id);
  return [...cname, ...rest, ...address];
}

// --- rewrite -------------------------------------------------------------------------------------

function substitute(template: string, groups: RegExpExecArray): string {
  let s = template;
  groups.forEach((g, i) => {
    s = s.split(`{${i}}`).join(g ?? '');
  });
  return s;
}

/** One name rule against the (lowercased) question name; the new name or undefined. */
function applyNameRule(rule: RewriteNameRule, name: string): string | undefined {
  switch (rule.match) {
    case 'exact':
      return rule.from === name ? rule.to : undefined;
    case 'prefix':
      return name.startsWith(rule.from) ? rule.to + name.slice(rule.from.length) : undefined;
    case 'suffix':
      return name.endsWith(rule.from) ? name.slice(0, name.length - rule.from.length) + rule.to : undefined;
    case 'substring':
      return name.includes(rule.from) ? name.split(rule.from).join(rule.to) : undefined;
    case 'regex': {
      let m: RegExpExecArray | null;
      try {
        m = new RegExp(rule.from).exec(name);
      } catch {
        return undefined;
      }
      return m ? substitute(rule.to, m) : undefined;
    }
  }
}

interface Reverter {
  pattern: RegExp;
  replacement: (m: RegExpExecArray) => string;
}

function reverterFor(rule: RewriteNameRule, original: string, rewritten: string): Reverter | undefined {
  const safe = (src: string): RegExp | undefined => {
    try {
      return new RegExp(src);
    } catch {
      return undefined;
    }
  };
  if (rule.match === 'exact') {
    // CoreDNS compiles the TO name itself as the (unanchored) pattern and puts FROM back.
    const p = safe(rule.to);
    return p ? { pattern: p, replacement: () => rule.from } : undefined;
  }
  if (rule.answer?.kind === 'auto') {
    const esc = rewritten.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return { pattern: new RegExp(`^${esc}$`, 'i'), replacement: () => original };
  }
  if (rule.answer?.kind === 'name') {
    const p = safe(rule.answer.from);
    const to = rule.answer.to;
    return p ? { pattern: p, replacement: (m) => substitute(to, m) } : undefined;
  }
  return undefined;
}

function revertNames(m: DnsMessage, reverters: Reverter[]): DnsMessage {
  if (reverters.length === 0) return m;
  const fix = (rs: RR[]) =>
    rs.map((r) => {
      let name = r.name;
      for (const rv of reverters) {
        const mm = rv.pattern.exec(name);
        if (mm) name = rv.replacement(mm);
      }
      return { ...r, name };
    });
  return { ...m, answer: fix(m.answer), authority: fix(m.authority), additional: fix(m.additional) };
}

// --- hosts ---------------------------------------------------------------------------------------

function serveHosts(h: HostsPlugin, req: Req, next: () => Outcome): Outcome {
  const name = req.qname.toLowerCase();
  const inZone = matchZone(h.origins, name) !== '';
  // PTR zones need not be among the origins.
  if (!inZone && req.qtype !== 'PTR') return next();
  const byFamily = (fam: 4 | 6) =>
    h.entries
      .filter((e) => e.names.includes(name))
      .map((e) => canonicalIP(e.ip))
      .filter((ip): ip is { text: string; family: 4 | 6 } => ip?.family === fam)
      .map((ip) => ip.text);
  let answer: RR[] = [];
  if (req.qtype === 'PTR') {
    const addr = addressFromReverse(name);
    const names = h.reverse && addr ? [...new Set(h.entries.filter((e) => canonicalIP(e.ip)?.text === addr).flatMap((e) => e.names))] : [];
    if (names.length === 0) return next();
    answer = names.map((n) => ({ name: req.qname, ttl: h.ttl, class: 'IN', type: 'PTR', data: fqdn(n) }));
  } else if (req.qtype === 'A') {
    answer = [...new Set(byFamily(4))].map((ip) => ({ name: req.qname, ttl: h.ttl, class: 'IN', type: 'A', data: ip }));
  } else if (req.qtype === 'AAAA') {
    answer = [...new Set(byFamily(6))].map((ip) => ({ name: req.qname, ttl: h.ttl, class: 'IN', type: 'AAAA', data: ip }));
  }
  const exists = byFamily(4).length > 0 || byFamily(6).length > 0;
  if (answer.length === 0 && !exists) {
    if (h.fallthrough && matchZone(h.fallthrough, name) !== '') return next();
    // No SOA to build an NXDOMAIN from: the plugin answers SERVFAIL (and logs nothing).
    return { kind: 'error', rcode: 'SERVFAIL', by: 'hosts' };
  }
  return { kind: 'written', msg: { rcode: 'NOERROR', aa: true, answer, authority: [], additional: [] }, by: 'hosts' };
}

// --- forward -------------------------------------------------------------------------------------

function serveForward(f: ForwardPlugin, req: Req, env: Env, next: () => Outcome): Outcome {
  const name = req.qname.toLowerCase();
  const allowed = name === f.from || !f.except.some((z) => z && isSubDomain(z, name));
  if (!isSubDomain(f.from, name) || !allowed) return next();
  const up = env.ctx.upstream({ name: req.qname, type: req.qtype, servers: f.to });
  if (isUnreachable(up)) {
    const server = up.server ?? f.to.find((t) => !t.startsWith('/'));
    const local = env.ctx.serverIP ?? defaultServerIP(env.data) ?? '0.0.0.0';
    const port = 32768 + ((env.ctx.queryId ?? 0) % 28232);
    const err = up.error ?? (server ? `read udp ${local}:${port}->${server.replace(/^\w+:\/\//, '')}: i/o timeout` : 'i/o timeout');
    return { kind: 'error', rcode: 'SERVFAIL', err, by: 'forward' };
  }
  return { kind: 'written', msg: copyMsg({ rcode: up.rcode, aa: up.aa ?? false, answer: up.answer, authority: up.authority, additional: up.additional ?? [] }), by: 'forward' };
}

// --- the chain -----------------------------------------------------------------------------------

function run(env: Env, i: number, req: Req, caller: string): Outcome {
  const plugins = env.block.plugins;
  const p: PluginConfig | undefined = plugins[i];
  if (!p) return { kind: 'error', rcode: 'SERVFAIL', err: `plugin/${caller}: no next plugin found`, by: caller };
  env.chain.push(p.name);
  const next = (r: Req = req) => run(env, i + 1, r, p.name);
  if ('unmodelled' in p) return next();
  switch (p.name) {
    case 'loadbalance': {
      const out = next();
      if (out.kind !== 'written' || out.msg.rcode !== 'NOERROR') return out;
      const id = env.ctx.queryId === undefined ? undefined : idStream(env.ctx.queryId);
      const m = out.msg;
      return { ...out, msg: { ...m, answer: roundRobin(m.answer, id), authority: roundRobin(m.authority, id), additional: roundRobin(m.additional, id) } };
    }
    case 'cache': {
      const c = p as CachePlugin;
      if (matchZone(c.zones, req.qname.toLowerCase()) === '') return next();
      const out = next();
      return out.kind === 'written' ? { ...out, msg: cacheCap(out.msg, c) } : out;
    }
    case 'rewrite': {
      const rw = p as RewritePlugin;
      const original = req.qname;
      let name = original.toLowerCase();
      const reverters: Reverter[] = [];
      for (const rule of rw.rules) {
        if (rule.field !== 'name' || !('match' in rule)) continue;
        const res = applyNameRule(rule, name);
        if (res === undefined) continue;
        if (!isDomainName(res)) {
          env.logs.push(`[ERROR] plugin/rewrite: Invalid name after rewrite: ${res}`);
          return { kind: 'error', rcode: 'SERVFAIL', by: 'rewrite' };
        }
        const rv = reverterFor(rule, name, fqdn(res));
        // Undo the last rewrite first when several `continue` rules applied.
        if (rv) reverters.unshift(rv);
        name = fqdn(res);
        if (rule.mode === 'stop') break;
      }
      if (name === original.toLowerCase()) return next();
      const out = next({ ...req, qname: name });
      return out.kind === 'written' ? { ...out, msg: revertNames(out.msg, reverters) } : out;
    }
    case 'hosts':
      return serveHosts(p as HostsPlugin, req, () => next());
    case 'kubernetes': {
      const local = env.ctx.serverIP ?? defaultServerIP(env.data);
      const res = serveKubernetes(
        env.data,
        p,
        { name: req.qname, type: req.qtype },
        {
          localIPs: local ? [local] : [],
          lookup: (n, t) => serve(env.data, env.corefile, { name: n, type: t }, env.ctx, env.depth + 1, env.logs),
        },
      );
      if (res.kind === 'next') return next();
      if (res.kind === 'error') return { ...res, by: 'kubernetes' };
      return { kind: 'written', msg: res.msg, by: 'kubernetes' };
    }
    case 'forward':
      return serveForward(p as ForwardPlugin, req, env, () => next());
    default:
      // errors, log, health, ready, prometheus, reload, loop: nothing to do with the answer.
      return next();
  }
}

function hasPlugin(block: ServerBlock, name: SimplePlugin['name']): boolean {
  return block.plugins.some((p) => p.name === name);
}

function serve(data: DnsData, corefile: Corefile, query: DnsQuery, ctx: AnswerContext, depth: number, logs: string[]): DnsAnswer {
  const qname = fqdn(query.name);
  const empty = { answer: [], authority: [], additional: [] };
  const block = selectServerBlock(corefile, qname.toLowerCase(), ctx.port ?? 53);
  if (!block) return { rcode: 'REFUSED', aa: false, ...empty, plugin: 'dnsserver', chain: [], logs };
  if (depth > 8) return { rcode: 'SERVFAIL', aa: false, ...empty, plugin: 'dnsserver', chain: [], logs, serverBlock: block.keys };
  const env: Env = { data, corefile, block, ctx, depth, chain: [], logs };
  const out = run(env, 0, { qname, qtype: query.type }, 'dnsserver');
  if (out.kind === 'written') return { ...out.msg, plugin: out.by, chain: env.chain, logs, serverBlock: block.keys };
  // The plugin did not write: dnsserver answers with the bare rcode.
  if (out.err && hasPlugin(block, 'errors')) logs.push(`[ERROR] plugin/errors: ${RCODE_NUM[out.rcode]} ${qname.toLowerCase()} ${query.type}: ${out.err}`);
  return { rcode: out.rcode, aa: false, ...empty, plugin: out.by, chain: env.chain, logs, serverBlock: block.keys };
}

/** Answer one question as the CoreDNS configured by `corefile` would, over the cluster `data`. */
export function answer(data: DnsData, corefile: Corefile, query: DnsQuery, ctx: AnswerContext): DnsAnswer {
  return serve(data, corefile, query, ctx, 0, []);
}
