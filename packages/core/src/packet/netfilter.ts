// Netfilter in the reference walker: run a hook's tables in kernel order, walk each chain rule
// by rule with the real match semantics, and apply targets (verdicts, jumps, marks, NAT).
// Every rule that matches becomes a hop citing it, like the TRACE target would.
// Long chains (KUBE-SERVICES, KUBE-NODEPORTS) go through an index that passes over only rules
// that cannot match the packet (netfilter-index.ts): the hops are those of a rule-by-rule walk.

import { ruleSpec } from '../dataplane/netfilter/save.js';
import { HOOK_TABLES, ipPortKey, type Chain, type Hook, type IpSet, type Match, type Rule, type Ruleset, type Table, type TableName, type Target } from '../net/netfilter.js';
import type { Netns } from '../dataplane/types.js';
import { inSubnet, ipToString, parseIPv4 } from '../net/ipv4.js';
import { seeded } from '../util/seeded.js';
import { isLinearWalk, packetKey, ruleRuns, type RunKey } from './netfilter-index.js';
import type { Hop, HopLocation, Proto } from './types.js';

/** The packet as netfilter sees it; NAT targets rewrite it in place. */
export interface Packet {
  src: number;
  dst: number;
  sport: number;
  dport: number;
  proto: Proto;
  mark: number;
  /** IP total length in bytes. */
  size: number;
  /** Don't Fragment. */
  df: boolean;
  /** Conntrack status bits so far (ctstate DNAT/SNAT). */
  dnat?: boolean;
  snat?: boolean;
}

export interface HookIO {
  in?: string;
  out?: string;
}

export type HookVerdict = { v: 'accept' } | { v: 'drop'; rule: string } | { v: 'reject'; rule: string; with: string };

export interface NetfilterEnv {
  hops: Hop[];
  seed: number;
  /** Decides each `-m statistic --mode random` match: true = the rule matches. */
  draw: (probability: number) => boolean;
  where: (iface?: string) => HopLocation;
  /** When given, every matching rule that carries a NetworkPolicy verdict (`owner.policy`), in order. */
  policyRules?: Rule[];
  /** The ruleset's ipsets while a hook runs (for `-m set`). */
  ipsets?: ReadonlyMap<string, IpSet> | undefined;
}

const MAX_DEPTH = 32;

// Dotted quads, once per address: a traced packet cites ~25 (its hops, NAT, conntrack, the
// result's endpoints), each else a fresh string of seven concatenations. Bounded.
const ipTexts = new Map<number, string>();
export function ipText(ip: number): string {
  let t = ipTexts.get(ip);
  if (t === undefined) {
    if (ipTexts.size >= 65536) ipTexts.clear();
    ipTexts.set(ip, (t = ipToString(ip)));
  }
  return t;
}

// A namespace's local addresses (for `-m addrtype`), once per Netns: they are derived, immutable.
const localCache = new WeakMap<Netns, Set<number>>();
function localAddresses(ns: Netns): Set<number> {
  let s = localCache.get(ns);
  if (s) return s;
  s = new Set<number>();
  for (const r of ns.routes) if (r.table === 'local' && r.type === 'local' && r.prefixLen === 32) s.add(r.dst);
  for (const a of ns.addresses) s.add(a.ip);
  localCache.set(ns, s);
  return s;
}

function ifaceMatches(pattern: string, iface: string | undefined): boolean {
  if (iface === undefined) return false;
  return pattern.endsWith('+') ? iface.startsWith(pattern.slice(0, -1)) : iface === pattern;
}

function matchOne(m: Match, p: Packet, ns: Netns, io: HookIO, env: NetfilterEnv): boolean {
  switch (m.m) {
    case 'src':
      return inSubnet(p.src, m.net.ip, m.net.prefixLen) !== !!m.invert;
    case 'dst':
      return inSubnet(p.dst, m.net.ip, m.net.prefixLen) !== !!m.invert;
    case 'in':
      return ifaceMatches(m.iface, io.in) !== !!m.invert;
    case 'out':
      return ifaceMatches(m.iface, io.out) !== !!m.invert;
    case 'proto':
      return (p.proto === m.proto) !== !!m.invert;
    case 'port': {
      if (p.proto !== m.proto) return false;
      const ok = (m.dport === undefined || p.dport === m.dport) && (m.sport === undefined || p.sport === m.sport);
      return ok !== !!m.invert;
    }
    case 'comment':
      return true;
    case 'mark':
      return ((p.mark & m.mask) >>> 0 === m.value) !== !!m.invert;
    case 'addrtype': {
      if (m.srcType && localAddresses(ns).has(p.src) === !!m.invertSrc) return false;
      if (m.dstType && localAddresses(ns).has(p.dst) === !!m.invertDst) return false;
      return true;
    }
    case 'conntrack': {
      // A traced packet is always its connection's first: NEW, plus DNAT/SNAT once translated.
      const hit = m.ctstate.some((s) => s === 'NEW' || (s === 'DNAT' && p.dnat) || (s === 'SNAT' && p.snat));
      return hit !== !!m.invert;
    }
    case 'statistic':
      return env.draw(m.probability);
    case 'multiport': {
      if (p.proto === 'icmp') return false;
      let hit = false;
      for (const x of m.dports) {
        if (typeof x === 'number' ? p.dport === x : p.dport >= x[0] && p.dport <= x[1]) {
          hit = true;
          break;
        }
      }
      return hit !== !!m.invert;
    }
    case 'set': {
      const set = env.ipsets?.get(m.set);
      let hit = false;
      if (set) {
        if (m.dir === 'dst,dst') hit = p.proto !== 'icmp' && set.ipPorts.has(ipPortKey(p.dst, p.proto, p.dport));
        else {
          const ip = m.dir === 'src' ? p.src : p.dst;
          hit = set.addresses.has(ip);
          for (let i = 0; !hit && i < set.nets.length; i++) hit = inSubnet(ip, set.nets[i]!.ip, set.nets[i]!.prefixLen);
        }
      }
      return hit !== !!m.invert;
    }
    case 'recent':
      // No earlier connection from this client: --rcheck misses, --set records and matches.
      return m.op === 'set';
  }
}

function ownerOf(r: Rule): Hop['object'] | undefined {
  const o = r.owner;
  if (!o?.kind || !o.name) return undefined;
  return { kind: o.kind, name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) };
}

/**
 * Where `--to-source`/`--to-destination` sends a new connection: `ip[-ip][:port[-port]]`.
 * From an address range the kernel picks by a hash of the connection's addresses (so one
 * client keeps one address); we draw from the seed and the same addresses. A port range keeps
 * the packet's port when it lies inside (a first connection's tuple is unique), else its first port.
 */
export function natTarget(to: string, currentPort: number, seed: number, src: number, dst: number): { ip: number; port?: number } {
  const t = parsedNatTarget(to);
  let ip = t.first;
  if (t.last > ip) ip = (ip + (seeded(seed, 'nat-range', to, src, dst) % (t.last - ip + 1))) >>> 0;
  if (t.lo === undefined) return { ip };
  return { ip, port: currentPort >= t.lo && currentPort <= t.hi! ? currentPort : t.lo };
}

interface NatRange {
  first: number;
  /** The range's last address (`first` when it is one address). */
  last: number;
  lo?: number;
  hi?: number;
}

// `--to-destination` parsed once per text: every DNAT of every traced packet names one.
const natRanges = new Map<string, NatRange>();
function parsedNatTarget(to: string): NatRange {
  let hit = natRanges.get(to);
  if (hit) return hit;
  const colon = to.indexOf(':');
  const ips = colon < 0 ? to : to.slice(0, colon);
  const ports = colon < 0 ? undefined : to.slice(colon + 1);
  const dash = ips.indexOf('-');
  const first = parseIPv4(dash < 0 ? ips : ips.slice(0, dash));
  const last = dash >= 0 ? parseIPv4(ips.slice(dash + 1)) : first;
  hit = { first, last };
  if (ports !== undefined && ports !== '') {
    const [lo = 0, hi = lo] = ports.split('-').map(Number);
    hit.lo = lo;
    hit.hi = hi;
  }
  // Bounded: the texts come from rulesets, but a long session may see many.
  if (natRanges.size >= 65536) natRanges.clear();
  natRanges.set(to, hit);
  return hit;
}

type ChainOutcome = 'continue' | 'accept' | 'drop' | 'reject' | 'nat';

// Chains by name, built once per table: kube-proxy writes tens of thousands of chains at scale,
// and a linear search per jump made each traced packet O(chains).
const chainIndex = new WeakMap<Table, Map<string, Chain>>();
function chainNamed(table: Table, name: string): Chain | undefined {
  let idx = chainIndex.get(table);
  if (!idx) {
    idx = new Map();
    // First wins, as the linear search did.
    for (const c of table.chains) if (!idx.has(c.name)) idx.set(c.name, c);
    chainIndex.set(table, idx);
  }
  return idx.get(name);
}

// Compiled rules. A traced packet examines ~60 rules and records ~40 hops; walking the plain
// data was nearly half of a trace's time: each Match and Target kind is an object of
// its own shape, so every `m.m` and `t.t` read was a megamorphic lookup, and a hop's texts were
// built per packet. Each chain is compiled once (a long one rule by rule, as first examined) into
// objects of one shape: matches as numbered kinds with their operands, those no traced packet can fail
// dropped (a comment; conntrack's NEW, since a traced packet always opens its connection), and
// the rule's hop texts kept with it. Match order, and so the order of `-m statistic` draws, is
// the rule's.
const K_FALSE = 0;
const K_SRC = 1;
const K_DST = 2;
const K_IN = 3;
const K_OUT = 4;
const K_PROTO = 5;
const K_PORT = 6;
const K_MARK = 7;
const K_STATISTIC = 8;
/** Conntrack states without NEW: a = wants DNAT, b = wants SNAT. */
const K_CTNAT = 9;
/** `-m addrtype`: matchOne's test, without its dispatch. */
const K_ADDRTYPE = 10;
/** Any other match: matchOne on the plain data. */
const K_OTHER = 11;

class CompiledMatch {
  constructor(
    readonly k: number,
    readonly invert: boolean,
    /** Address, mark value, port (-1: any), or probability. */
    readonly a: number,
    /** Prefix length, mark mask, source port (-1: any), or 1 for an interface pattern ending in `+`. */
    readonly b: number,
    /** Interface name (without its `+`) or protocol. */
    readonly s: string,
    readonly m: Match,
  ) {}
}

function compileMatch(m: Match): CompiledMatch | undefined {
  const inv = m.m !== 'comment' && m.m !== 'addrtype' && m.m !== 'statistic' && m.m !== 'recent' && !!m.invert;
  switch (m.m) {
    case 'comment':
      return undefined;
    case 'src':
    case 'dst':
      return new CompiledMatch(m.m === 'src' ? K_SRC : K_DST, inv, m.net.ip, m.net.prefixLen, '', m);
    case 'in':
    case 'out': {
      const wild = m.iface.endsWith('+');
      return new CompiledMatch(m.m === 'in' ? K_IN : K_OUT, inv, 0, wild ? 1 : 0, wild ? m.iface.slice(0, -1) : m.iface, m);
    }
    case 'proto':
      return new CompiledMatch(K_PROTO, inv, 0, 0, m.proto, m);
    case 'port':
      return new CompiledMatch(K_PORT, inv, m.dport ?? -1, m.sport ?? -1, m.proto, m);
    case 'mark':
      return new CompiledMatch(K_MARK, inv, m.value, m.mask, '', m);
    case 'statistic':
      return new CompiledMatch(K_STATISTIC, false, m.probability, 0, '', m);
    case 'addrtype':
      return new CompiledMatch(K_ADDRTYPE, false, 0, 0, '', m);
    case 'conntrack':
      // NEW is in the state: every traced packet matches (or, inverted, none does).
      if (m.ctstate.includes('NEW')) return inv ? new CompiledMatch(K_FALSE, false, 0, 0, '', m) : undefined;
      // Else only the NAT bits can match (ESTABLISHED, RELATED, INVALID never do).
      return new CompiledMatch(K_CTNAT, inv, m.ctstate.includes('DNAT') ? 1 : 0, m.ctstate.includes('SNAT') ? 1 : 0, '', m);
    default:
      return new CompiledMatch(K_OTHER, false, 0, 0, '', m);
  }
}

const NO_MATCHES: CompiledMatch[] = [];

/** One rule of one chain, compiled on its first examination. */
class CompiledRule {
  /** The first match (most rules have at most one left), then the others. */
  readonly first: CompiledMatch | undefined;
  readonly more: CompiledMatch[];
  readonly t: Target['t'];
  /** The chain a jump or goto names. */
  readonly jumpName: string;
  readonly policy: boolean;
  /** What its hop cites, on its first match (most rules of a long chain never match). */
  cite: Cited | undefined = undefined;
  /**
   * The jump target as resolved in the two tables it was last walked in. kube-proxy's rules are
   * shared between nodes' tables, and a trace crosses two nodes (the client's and the
   * endpoint's) in turn: one entry would be looked up again at nearly every jump.
   */
  jumpTable: Table | undefined = undefined;
  jumpChain: CompiledChain | undefined = undefined;
  jumpTable2: Table | undefined = undefined;
  jumpChain2: CompiledChain | undefined = undefined;
  /**
   * The hop it first recorded, and where: a rule with a fixed action says the same at one
   * location, so traces through there share it (nothing edits a trace's hops). Kept, not
   * replaced, when the rule matches elsewhere (kube-proxy's rules are shared by every node): a
   * fresh hop stored in this long-lived object on every trace would outlive its trace, and
   * promoting each to the old generation made every trace's garbage a full collection's work.
   */
  hopAt: HopLocation | undefined = undefined;
  hop: Hop | undefined = undefined;

  constructor(readonly rule: Rule) {
    const matches: CompiledMatch[] = [];
    for (const m of rule.matches) {
      const c = compileMatch(m);
      if (c) matches.push(c);
    }
    this.first = matches[0];
    this.more = matches.length > 1 ? matches.slice(1) : NO_MATCHES;
    const t = rule.target;
    this.t = t.t;
    this.jumpName = t.t === 'jump' || t.t === 'goto' ? t.chain : '';
    this.policy = !!rule.owner?.policy;
  }
}

/** What a rule's hop cites: its iptables-save text, the Kubernetes object behind it, its action. */
interface Cited {
  spec: string;
  object: Hop['object'] | undefined;
  /** The action for ACCEPT, DROP, REJECT, RETURN, jump and goto; NAT and MARK say what they did. */
  action: string;
}

function citeOf(chain: string, r: Rule): Cited {
  const t = r.target;
  const action = t.t === 'REJECT' ? `REJECT (${t.with ?? 'icmp-port-unreachable'})` : t.t === 'jump' ? `jump to ${t.chain}` : t.t === 'goto' ? `goto ${t.chain}` : t.t;
  return { spec: ruleSpec(chain, r), object: ownerOf(r), action };
}

/** A dispatch run (netfilter-index.ts's RuleRun) as an object of one shape. */
class Run {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly on: RunKey | undefined,
    readonly rules: Map<number, readonly number[]> | undefined,
  ) {}
}

/**
 * A chain's compiled rules and its dispatch runs (netfilter-index.ts). Rulesets are derived data,
 * never edited once walked: a compiled chain is checked against its chain's rules array (identity
 * and length, so a chain a test appended to is compiled afresh) when looked up by chain, not on
 * each walk through the references that hooks and jumps keep to it.
 */
class CompiledChain {
  rules: readonly Rule[];
  length: number;
  compiled: (CompiledRule | undefined)[];
  /** The dispatch runs, planned on the first indexed walk; null when no run is keyed (scan all). */
  runs: Run[] | null | undefined;

  constructor(readonly chain: Chain) {
    this.rules = chain.rules;
    this.length = chain.rules.length;
    // A short chain is compiled whole, its rules side by side in memory (a walk touches most of
    // them); a long one (KUBE-SERVICES) as rules are first examined (a walk touches a few).
    this.compiled = new Array<CompiledRule | undefined>(this.length).fill(undefined);
    if (this.length <= 64) for (let i = 0; i < this.length; i++) this.compiled[i] = new CompiledRule(this.rules[i]!);
    this.runs = undefined;
  }

  /** Up to date with its chain (compiled afresh when a test edited it). */
  current(): CompiledChain {
    const rules = this.chain.rules;
    if (rules === this.rules && rules.length === this.length) return this;
    const fresh = new CompiledChain(this.chain);
    compiledChains.set(this.chain, fresh);
    return fresh;
  }

  rule(i: number): CompiledRule {
    let c = this.compiled[i];
    if (!c) this.compiled[i] = c = new CompiledRule(this.rules[i]!);
    return c;
  }
}

const compiledChains = new WeakMap<Chain, CompiledChain>();
function compiledChain(chain: Chain): CompiledChain {
  const hit = compiledChains.get(chain);
  if (hit) return hit.current();
  const c = new CompiledChain(chain);
  compiledChains.set(chain, c);
  return c;
}

function keptHop(at: HopLocation, table: string, chain: string, c: Cited): Hop {
  // Frozen: every trace through here shares it, an edit to one would show in all.
  return Object.freeze(
    c.object === undefined
      ? { kind: 'netfilter', at, action: c.action, table, chain, rule: c.spec }
      : { kind: 'netfilter', at, action: c.action, table, chain, rule: c.spec, object: c.object },
  );
}

/** One hook's walk through a table: the packet and where it is, shared by the chains it enters. */
class HookWalk {
  table: Table | undefined = undefined;
  /** Where the hook's hops are, asked of the environment once. */
  at: HopLocation | undefined = undefined;
  /** The rule that ended the walk with DROP or REJECT. */
  rule = '';
  with: string | undefined = undefined;

  constructor(
    readonly p: Packet,
    readonly ns: Netns,
    readonly io: HookIO,
    readonly env: NetfilterEnv,
  ) {}

  /** The hop citing a rule with a fixed action (ACCEPT, DROP, REJECT, RETURN, jump, goto). */
  recordFixed(chain: Chain, cr: CompiledRule, c: Cited): void {
    const at = this.at ?? (this.at = this.env.where(this.io.in ?? this.io.out));
    const hop = cr.hop;
    if (hop !== undefined && cr.hopAt === at && hop.table === this.table!.name) {
      this.env.hops.push(hop);
      return;
    }
    if (hop !== undefined) return this.record(chain, c, c.action);
    // Built at its own allocation site: V8 pretenures a site whose objects outlive the young
    // generation, and the per-trace hops of record()'s would then all be born old.
    cr.hop = keptHop(at, this.table!.name, chain.name, c);
    cr.hopAt = at;
    this.env.hops.push(cr.hop);
  }

  /** The hop citing a rule, as the TRACE target logs it. */
  record(chain: Chain, c: Cited, action: string): void {
    const at = this.at ?? (this.at = this.env.where(this.io.in ?? this.io.out));
    const table = this.table!.name;
    // One literal per shape, in the same key order (object last, when the rule has one).
    this.env.hops.push(
      c.object === undefined
        ? { kind: 'netfilter', at, action, table, chain: chain.name, rule: c.spec }
        : { kind: 'netfilter', at, action, table, chain: chain.name, rule: c.spec, object: c.object },
    );
  }
}

function ifaceIs(m: CompiledMatch, iface: string | undefined): boolean {
  if (iface === undefined) return false;
  return m.b === 1 ? iface.startsWith(m.s) : iface === m.s;
}

function matchesOne(m: CompiledMatch, w: HookWalk): boolean {
  const p = w.p;
  switch (m.k) {
    case K_SRC:
      return inSubnet(p.src, m.a, m.b) !== m.invert;
    case K_DST:
      return inSubnet(p.dst, m.a, m.b) !== m.invert;
    case K_IN:
      return ifaceIs(m, w.io.in) !== m.invert;
    case K_OUT:
      return ifaceIs(m, w.io.out) !== m.invert;
    case K_PROTO:
      return (p.proto === m.s) !== m.invert;
    case K_PORT:
      // Another protocol's packet misses the module, inverted or not.
      return p.proto === m.s && ((m.a < 0 || p.dport === m.a) && (m.b < 0 || p.sport === m.b)) !== m.invert;
    case K_MARK:
      return ((p.mark & m.b) >>> 0 === m.a) !== m.invert;
    case K_STATISTIC:
      return w.env.draw(m.a);
    case K_ADDRTYPE: {
      const a = m.m as Extract<Match, { m: 'addrtype' }>;
      return !(a.srcType && localAddresses(w.ns).has(p.src) === !!a.invertSrc) && !(a.dstType && localAddresses(w.ns).has(p.dst) === !!a.invertDst);
    }
    case K_CTNAT:
      return ((m.a === 1 && !!p.dnat) || (m.b === 1 && !!p.snat)) !== m.invert;
    case K_FALSE:
      return false;
    default:
      return matchOne(m.m, p, w.ns, w.io, w.env);
  }
}

// In order, stopping at the first miss (a later `-m statistic` draws only if the earlier matched).
// A plain loop: no closure per rule, since chains run to tens of thousands of rules at scale.
function ruleMatches(r: CompiledRule, w: HookWalk): boolean {
  if (r.first === undefined) return true;
  if (!matchesOne(r.first, w)) return false;
  const ms = r.more;
  for (let i = 0; i < ms.length; i++) if (!matchesOne(ms[i]!, w)) return false;
  return true;
}

/** The jump target of `r` in the table being walked. */
function jumpTarget(table: Table, r: CompiledRule, name: string): CompiledChain | undefined {
  if (r.jumpTable === table) return r.jumpChain;
  // Swap in the second entry, or resolve afresh into the first; the first moves to second.
  let chain: CompiledChain | undefined;
  if (r.jumpTable2 === table) chain = r.jumpChain2;
  else {
    const target = chainNamed(table, name);
    chain = target && compiledChain(target);
  }
  r.jumpTable2 = r.jumpTable;
  r.jumpChain2 = r.jumpChain;
  r.jumpTable = table;
  r.jumpChain = chain;
  return chain;
}

function planRuns(cc: CompiledChain): Run[] | null {
  const runs = ruleRuns(cc.chain);
  cc.runs = runs.some((r) => r.on) ? runs.map((r) => new Run(r.start, r.end, r.on, r.on ? r.rules : undefined)) : null;
  return cc.runs;
}

/** Walk one chain; `continue` means it fell off the end (or RETURNed). */
function walkChain(w: HookWalk, cc: CompiledChain, depth: number): ChainOutcome {
  if (depth > MAX_DEPTH) return 'drop';
  const runs = isLinearWalk() ? null : cc.runs === undefined ? planRuns(cc) : cc.runs;
  if (runs === null) {
    for (let i = 0; i < cc.length; i++) {
      const out = examine(w, cc, i, depth);
      if (out) return out;
    }
    return 'continue';
  }
  for (let k = 0; k < runs.length; k++) {
    const run = runs[k]!;
    if (!run.on) {
      for (let i = run.start; i < run.end; i++) {
        const out = examine(w, cc, i, depth);
        if (out) return out;
      }
      continue;
    }
    // The key holds for the whole run: only NAT targets rewrite the packet, and they end the walk.
    const key = packetKey(w.p, run.on);
    const hits = key === undefined ? undefined : run.rules!.get(key);
    if (!hits) continue;
    for (let j = 0; j < hits.length; j++) {
      const out = examine(w, cc, hits[j]!, depth);
      if (out) return out;
    }
  }
  return 'continue';
}

/** One rule: its matches, then its target; undefined = on to the next rule. */
function examine(w: HookWalk, cc: CompiledChain, i: number, depth: number): ChainOutcome | undefined {
  const cr = cc.rule(i);
  if (cr.first !== undefined && !ruleMatches(cr, w)) return undefined;
  const env = w.env;
  const r = cr.rule;
  // Policy rules are remembered as they match: the trace names the policy that decided.
  if (cr.policy && env.policyRules) env.policyRules.push(r);
  const chain = cc.chain;
  const c = cr.cite ?? (cr.cite = citeOf(chain.name, r));
  const p = w.p;
  switch (cr.t) {
    case 'none':
      return undefined;
    case 'ACCEPT':
      w.recordFixed(chain, cr, c);
      return 'accept';
    case 'DROP':
      w.recordFixed(chain, cr, c);
      w.rule = c.spec;
      return 'drop';
    case 'REJECT':
      w.recordFixed(chain, cr, c);
      w.rule = c.spec;
      w.with = (r.target as { with?: string }).with ?? 'icmp-port-unreachable';
      return 'reject';
    case 'RETURN':
      w.recordFixed(chain, cr, c);
      return 'continue';
    case 'jump':
    case 'goto': {
      const target = jumpTarget(w.table!, cr, cr.jumpName);
      if (!target) return undefined;
      w.recordFixed(chain, cr, c);
      const out = walkChain(w, target, depth + 1);
      if (out !== 'continue' || cr.t === 'goto') return out;
      return undefined;
    }
    case 'MARK': {
      const t = r.target as Extract<Target, { t: 'MARK' }>;
      const before = p.mark;
      if (t.op === 'or') p.mark = (p.mark | t.value) >>> 0;
      else if (t.op === 'xor') p.mark = (p.mark ^ t.value) >>> 0;
      else p.mark = ((p.mark & ~(t.mask ?? 0xffffffff)) | t.value) >>> 0;
      w.record(chain, c, `MARK 0x${before.toString(16)} → 0x${p.mark.toString(16)}`);
      return undefined;
    }
    case 'MASQUERADE': {
      const t = r.target as Extract<Target, { t: 'MASQUERADE' }>;
      const ns = w.ns;
      const io = w.io;
      const link = ns.links.find((l) => l.name === io.out);
      // inet_select_addr: the out device's address; on a device without one (a Calico veth), the
      // first universe-scope address of any device, in the order the kernel lists them.
      const addr =
        ns.addresses.find((a) => a.ifindex === link?.ifindex) ??
        ns.links.map((l) => ns.addresses.find((a) => a.ifindex === l.ifindex && a.scope === 'global')).find((a) => a !== undefined);
      const from = `${ipText(p.src)}:${p.sport}`;
      if (addr) p.src = addr.ip;
      if (t.randomFully && p.proto !== 'icmp') p.sport = 1024 + (seeded(env.seed, 'masq-port', from, p.dst) % 64511);
      p.snat = true;
      const whose = addr && addr.ifindex !== link?.ifindex ? `${io.out} has none: the first global address, of ${addr.label}` : `address of ${io.out}`;
      w.record(chain, c, `MASQUERADE: source ${from} → ${ipText(p.src)}:${p.sport} (${whose})`);
      return 'nat';
    }
    case 'SNAT': {
      const t = r.target as Extract<Target, { t: 'SNAT' }>;
      const to = natTarget(t.to, p.sport, env.seed, p.src, p.dst);
      const from = `${ipText(p.src)}:${p.sport}`;
      p.src = to.ip;
      if (to.port !== undefined) p.sport = to.port;
      p.snat = true;
      w.record(chain, c, `SNAT: source ${from} → ${ipText(p.src)}:${p.sport}`);
      return 'nat';
    }
    case 'DNAT': {
      const t = r.target as Extract<Target, { t: 'DNAT' }>;
      const to = natTarget(t.to, p.dport, env.seed, p.src, p.dst);
      const from = `${ipText(p.dst)}:${p.dport}`;
      p.dst = to.ip;
      if (to.port !== undefined) p.dport = to.port;
      p.dnat = true;
      w.record(chain, c, `DNAT: destination ${from} → ${ipText(p.dst)}:${p.dport}`);
      return 'nat';
    }
  }
}

interface HookChain {
  name: TableName;
  table: Table;
  chain: CompiledChain;
  /** The chain's policy is DROP. */
  drop: boolean;
}

// The built-in chains each hook walks, in table priority order, once per ruleset and hook: found
// by name on every hook of every packet, they were a twentieth of a trace. The tables' array
// identity and length are checked, as a compiled chain checks its rules.
const hookPlans = new WeakMap<Ruleset, { tables: readonly Table[]; length: number; byHook: Partial<Record<Hook, HookChain[]>> }>();
function hookChains(ruleset: Ruleset, hook: Hook): HookChain[] {
  let plan = hookPlans.get(ruleset);
  if (plan?.tables !== ruleset.tables || plan.length !== ruleset.tables.length)
    hookPlans.set(ruleset, (plan = { tables: ruleset.tables, length: ruleset.tables.length, byHook: {} }));
  let list = plan.byHook[hook];
  if (!list) {
    list = [];
    for (const name of HOOK_TABLES[hook]) {
      const table = ruleset.tables.find((t) => t.name === name);
      const chain = table && chainNamed(table, hook);
      if (table && chain) list.push({ name, table, chain: compiledChain(chain), drop: chain.policy === 'DROP' });
    }
    plan.byHook[hook] = list;
  }
  return list;
}

const ACCEPTED: HookVerdict = { v: 'accept' };

/** Run every table registered at `hook`, in priority order. NAT tables see only new connections. */
export function runHook(ruleset: Ruleset, hook: Hook, p: Packet, ns: Netns, io: HookIO, env: NetfilterEnv): HookVerdict {
  return runHookPlan(ruleset, hookChains(ruleset, hook), hook, p, ns, io, env);
}

/** The chains `hook` walks in a ruleset (opaque): what a caller running many hooks on one ruleset can keep. */
export type HookPlan = object;
export function hookPlan(ruleset: Ruleset, hook: Hook): HookPlan {
  return hookChains(ruleset, hook);
}

/** runHook with the hook's chains looked up already (hookPlan of the same ruleset). */
export function runHookPlan(ruleset: Ruleset, hookPlan: HookPlan, hook: Hook, p: Packet, ns: Netns, io: HookIO, env: NetfilterEnv): HookVerdict {
  const plan = hookPlan as readonly HookChain[];
  env.ipsets = ruleset.ipsets;
  const w = new HookWalk(p, ns, io, env);
  for (let k = 0; k < plan.length; k++) {
    const hc = plan[k]!;
    const cc = hc.chain;
    w.table = hc.table;
    w.rule = '';
    w.with = undefined;
    const out = walkChain(w, cc, 0);
    if (out === 'drop') return { v: 'drop', rule: w.rule };
    if (out === 'reject') return { v: 'reject', rule: w.rule, with: w.with ?? 'icmp-port-unreachable' };
    if (out === 'continue' && hc.drop) {
      const at = w.at ?? (w.at = env.where(io.in ?? io.out));
      env.hops.push({ kind: 'netfilter', at, action: `policy DROP`, table: hc.name, chain: hook, rule: `:${hook} DROP` });
      return { v: 'drop', rule: `:${hook} DROP` };
    }
  }
  return ACCEPTED;
}
