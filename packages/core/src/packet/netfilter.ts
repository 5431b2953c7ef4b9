// Netfilter in the reference walker: run a hook's tables in kernel order, walk each chain rule
// by rule with the real match semantics, and apply targets (verdicts, jumps, marks, NAT).
// Every rule that matches becomes a hop citing it, like the TRACE target would.
// Long chains (KUBE-SERVICES, KUBE-NODEPORTS) go through an index that passes over only rules
// that cannot match the packet (netfilter-index.ts): the hops are those of a rule-by-rule walk.

import { ruleSpec } from '../dataplane/netfilter/save.js';
import { HOOK_TABLES, ipPortKey, type Chain, type Hook, type IpSet, type Match, type Rule, type Ruleset, type Table } from '../net/netfilter.js';
import type { Netns } from '../dataplane/types.js';
import { inSubnet, ipToString, parseIPv4 } from '../net/ipv4.js';
import { seeded } from '../util/seeded.js';
import { packetKey, ruleRuns } from './netfilter-index.js';
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

// A plain loop: no closure per rule, since chains run to tens of thousands of rules at scale.
function ruleMatches(r: Rule, p: Packet, ns: Netns, io: HookIO, env: NetfilterEnv): boolean {
  const ms = r.matches;
  for (let i = 0; i < ms.length; i++) if (!matchOne(ms[i]!, p, ns, io, env)) return false;
  return true;
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
  const colon = to.indexOf(':');
  const ips = colon < 0 ? to : to.slice(0, colon);
  const ports = colon < 0 ? undefined : to.slice(colon + 1);
  const dash = ips.indexOf('-');
  let ip = parseIPv4(dash < 0 ? ips : ips.slice(0, dash));
  if (dash >= 0) {
    const last = parseIPv4(ips.slice(dash + 1));
    if (last > ip) ip = (ip + (seeded(seed, 'nat-range', to, src, dst) % (last - ip + 1))) >>> 0;
  }
  if (ports === undefined || ports === '') return { ip };
  const [lo = 0, hi = lo] = ports.split('-').map(Number);
  return { ip, port: currentPort >= lo && currentPort <= hi ? currentPort : lo };
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

// A rule's iptables-save text, once per rule: it is cited by every packet the rule matches, and
// kube-proxy's rule objects are shared by every node's ruleset.
const specs = new WeakMap<Rule, { chain: string; spec: string }>();
function specOf(chain: string, r: Rule): string {
  const hit = specs.get(r);
  if (hit?.chain === chain) return hit.spec;
  const spec = ruleSpec(chain, r);
  specs.set(r, { chain, spec });
  return spec;
}

/** The hop citing a rule, as the TRACE target logs it. */
function recordHop(env: NetfilterEnv, io: HookIO, table: Table, chain: Chain, r: Rule, spec: string, action: string): void {
  const hop: Hop = { kind: 'netfilter', at: env.where(io.in ?? io.out), action, table: table.name, chain: chain.name, rule: spec };
  // Assigned, not spread into the literal: the same key order, without a spread per hop.
  const object = ownerOf(r);
  if (object) hop.object = object;
  env.hops.push(hop);
}

// Each rule's jump target, remembered with the table it was resolved in (kube-proxy's rules are
// shared between nodes' tables): a lookup by name among tens of thousands of chains, on every
// jump, was a tenth of a traced packet's time.
const jumpMemo = new WeakMap<Rule, { table: Table; target: Chain | undefined }>();
function jumpTarget(table: Table, r: Rule, name: string): Chain | undefined {
  const hit = jumpMemo.get(r);
  if (hit?.table === table) return hit.target;
  const target = chainNamed(table, name);
  jumpMemo.set(r, { table, target });
  return target;
}

/** Walk one chain; `continue` means it fell off the end (or RETURNed). */
function walkChain(table: Table, chain: Chain, p: Packet, ns: Netns, io: HookIO, env: NetfilterEnv, depth: number, last: { rule: string; with?: string }): ChainOutcome {
  if (depth > MAX_DEPTH) return 'drop';
  const rules = chain.rules;
  for (const run of ruleRuns(chain)) {
    if (!run.on) {
      for (let i = run.start; i < run.end; i++) {
        const out = examine(table, chain, rules[i]!, p, ns, io, env, depth, last);
        if (out) return out;
      }
      continue;
    }
    // The key holds for the whole run: only NAT targets rewrite the packet, and they end the walk.
    const key = packetKey(p, run.on);
    const hits = key === undefined ? undefined : run.rules.get(key);
    if (!hits) continue;
    for (const i of hits) {
      const out = examine(table, chain, rules[i]!, p, ns, io, env, depth, last);
      if (out) return out;
    }
  }
  return 'continue';
}

/** One rule: its matches, then its target; undefined = on to the next rule. */
function examine(
  table: Table,
  chain: Chain,
  r: Rule,
  p: Packet,
  ns: Netns,
  io: HookIO,
  env: NetfilterEnv,
  depth: number,
  last: { rule: string; with?: string },
): ChainOutcome | undefined {
  if (!ruleMatches(r, p, ns, io, env)) return undefined;
  // Policy rules are remembered as they match: the trace names the policy that decided.
  if (env.policyRules && r.owner?.policy) env.policyRules.push(r);
  const spec = specOf(chain.name, r);
  const t = r.target;
  switch (t.t) {
    case 'none':
      return undefined;
    case 'ACCEPT':
      recordHop(env, io, table, chain, r, spec, 'ACCEPT');
      return 'accept';
    case 'DROP':
      recordHop(env, io, table, chain, r, spec, 'DROP');
      last.rule = spec;
      return 'drop';
    case 'REJECT':
      recordHop(env, io, table, chain, r, spec, `REJECT (${t.with ?? 'icmp-port-unreachable'})`);
      last.rule = spec;
      last.with = t.with ?? 'icmp-port-unreachable';
      return 'reject';
    case 'RETURN':
      recordHop(env, io, table, chain, r, spec, 'RETURN');
      return 'continue';
    case 'jump':
    case 'goto': {
      const target = jumpTarget(table, r, t.chain);
      if (!target) return undefined;
      recordHop(env, io, table, chain, r, spec, `${t.t === 'jump' ? 'jump to' : 'goto'} ${t.chain}`);
      const out = walkChain(table, target, p, ns, io, env, depth + 1, last);
      if (out !== 'continue' || t.t === 'goto') return out;
      return undefined;
    }
    case 'MARK': {
      const before = p.mark;
      if (t.op === 'or') p.mark = (p.mark | t.value) >>> 0;
      else if (t.op === 'xor') p.mark = (p.mark ^ t.value) >>> 0;
      else p.mark = ((p.mark & ~(t.mask ?? 0xffffffff)) | t.value) >>> 0;
      recordHop(env, io, table, chain, r, spec, `MARK 0x${before.toString(16)} → 0x${p.mark.toString(16)}`);
      return undefined;
    }
    case 'MASQUERADE': {
      const link = ns.links.find((l) => l.name === io.out);
      // inet_select_addr: the out device's address; on a device without one (a Calico veth), the
      // first universe-scope address of any device, in the order the kernel lists them.
      const addr =
        ns.addresses.find((a) => a.ifindex === link?.ifindex) ??
        ns.links.map((l) => ns.addresses.find((a) => a.ifindex === l.ifindex && a.scope === 'global')).find((a) => a !== undefined);
      const from = `${ipToString(p.src)}:${p.sport}`;
      if (addr) p.src = addr.ip;
      if (t.randomFully && p.proto !== 'icmp') p.sport = 1024 + (seeded(env.seed, 'masq-port', from, p.dst) % 64511);
      p.snat = true;
      const whose = addr && addr.ifindex !== link?.ifindex ? `${io.out} has none: the first global address, of ${addr.label}` : `address of ${io.out}`;
      recordHop(env, io, table, chain, r, spec, `MASQUERADE: source ${from} → ${ipToString(p.src)}:${p.sport} (${whose})`);
      return 'nat';
    }
    case 'SNAT': {
      const to = natTarget(t.to, p.sport, env.seed, p.src, p.dst);
      const from = `${ipToString(p.src)}:${p.sport}`;
      p.src = to.ip;
      if (to.port !== undefined) p.sport = to.port;
      p.snat = true;
      recordHop(env, io, table, chain, r, spec, `SNAT: source ${from} → ${ipToString(p.src)}:${p.sport}`);
      return 'nat';
    }
    case 'DNAT': {
      const to = natTarget(t.to, p.dport, env.seed, p.src, p.dst);
      const from = `${ipToString(p.dst)}:${p.dport}`;
      p.dst = to.ip;
      if (to.port !== undefined) p.dport = to.port;
      p.dnat = true;
      recordHop(env, io, table, chain, r, spec, `DNAT: destination ${from} → ${ipToString(p.dst)}:${p.dport}`);
      return 'nat';
    }
  }
}

/** Run every table registered at `hook`, in priority order. NAT tables see only new connections. */
export function runHook(ruleset: Ruleset, hook: Hook, p: Packet, ns: Netns, io: HookIO, env: NetfilterEnv): HookVerdict {
  env.ipsets = ruleset.ipsets;
  for (const name of HOOK_TABLES[hook]) {
    const table = ruleset.tables.find((t) => t.name === name);
    const chain = table && chainNamed(table, hook);
    if (!table || !chain) continue;
    const last: { rule: string; with?: string } = { rule: '' };
    const out = walkChain(table, chain, p, ns, io, env, 0, last);
    if (out === 'drop') return { v: 'drop', rule: last.rule };
    if (out === 'reject') return { v: 'reject', rule: last.rule, with: last.with ?? 'icmp-port-unreachable' };
    if (out === 'continue' && chain.policy === 'DROP') {
      env.hops.push({ kind: 'netfilter', at: env.where(io.in ?? io.out), action: `policy DROP`, table: name, chain: hook, rule: `:${hook} DROP` });
      return { v: 'drop', rule: `:${hook} DROP` };
    }
  }
  return { v: 'accept' };
}
