// Rules as text: `iptables-save`'s form of a rule, and a parser back to the model.
//
// Verified against iptables 1.8.9 (nf_tables and legacy backends print rules identically) by
// loading rules with iptables-restore in a throwaway netns and reading them back:
//  - the IP header part comes first and in a fixed order whatever the input order:
//    `-s`, `-d`, `-i`, `-o`, `-p`; then each `-m` module in rule order; then `-j`/`-g`.
//  - addresses always carry a prefix (`/32`); host bits are cleared (`-s 10.244.1.5/16` saves as
//    `10.244.0.0/16`); a /0 that is not inverted is dropped.
//  - `!` precedes the option (`! -s X`, `-m mark ! --mark X`, `-m tcp ! --dport 80`).
//  - comments are quoted unless made only of [A-Za-z0-9_-]; `"`, `\` and `'` are backslashed.
//  - statistic probabilities are stored as round(p * 2^31) and printed `%.11f` of that.
//  - MARK always saves as `--set-xmark value/mask`; REJECT always names its `--reject-with`.

import { ipToString, networkOf, parseIPv4, prefixMask } from '../../net/ipv4.js';
import type { Chain, L4Proto, Match, Net, Rule, Ruleset, Table, TableName, Target } from './types.js';
import { BUILTIN_CHAINS } from './types.js';

/** Protocol numbers, as `iptables -L -n` prints them in the prot column. */
export const PROTO_NUMBERS: Record<L4Proto, number> = { icmp: 1, tcp: 6, udp: 17, sctp: 132 };

/** Conntrack states in the order libxt_conntrack prints them. */
const CTSTATE_ORDER = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'SNAT', 'DNAT'] as const;
type CtState = (typeof CTSTATE_ORDER)[number];

const REJECT_WITH = ['icmp-port-unreachable', 'icmp-host-unreachable', 'icmp-net-unreachable', 'tcp-reset'] as const;
type RejectWith = (typeof REJECT_WITH)[number];

const U32 = 0xffffffff;

// ---------------------------------------------------------------------------------------------
// Small formatters shared with the -L view

/** `0x%x` of a uint32 (libxt_mark / libxt_MARK). */
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** The network as iptables-save prints it: network address (host bits cleared) and prefix. */
export function netToString(net: Net): string {
  return `${ipToString(networkOf(net.ip, net.prefixLen))}/${net.prefixLen}`;
}

/** The network as `iptables -L -n` prints it: no suffix for a /32. */
export function netToListString(net: Net): string {
  const addr = ipToString(networkOf(net.ip, net.prefixLen));
  return net.prefixLen === 32 ? addr : `${addr}/${net.prefixLen}`;
}

const TWO_31 = 2n ** 31n;
const TEN_11 = 10n ** 11n;

/** The kernel's fixed-point probability: libxt_statistic stores lround(p * 2^31). */
function probabilityFixed(p: number): bigint {
  if (!(p >= 0 && p <= 1)) throw new Error(`statistic probability ${p} is not in [0, 1]`);
  return BigInt(Math.round(p * 2 ** 31));
}

/**
 * `%.11f` of the stored probability, rounded as glibc's printf does (exact value, ties to even:
 * 1/4096 prints 0.00024414062, which Number.prototype.toFixed would round up).
 */
export function formatProbability(p: number): string {
  const num = probabilityFixed(p) * TEN_11;
  let q = num / TWO_31;
  const r = num % TWO_31;
  const half = TWO_31 / 2n;
  if (r > half || (r === half && q % 2n === 1n)) q += 1n;
  const int = q / TEN_11;
  const frac = (q % TEN_11).toString().padStart(11, '0');
  return `${int}.${frac}`;
}

/** Save-form quoting of a string argument (xtables_save_string). */
export function saveString(s: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(s)) return s;
  return `"${s.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** MARK target as the kernel keeps it: new = (old & ~mask) ^ mark. */
export function markTargetPair(t: Extract<Target, { t: 'MARK' }>): { mark: number; mask: number } {
  const v = t.value >>> 0;
  switch (t.op) {
    case 'or':
      return { mark: v, mask: v };
    case 'xor':
      return { mark: v, mask: 0 };
    case 'set':
      // libxt_MARK --set-mark: the mask always covers the value's bits.
      return { mark: v, mask: (v | (t.mask ?? U32)) >>> 0 };
  }
}

/** The model's MARK target for a kernel (mark, mask) pair; throws for an xset the model can't say. */
function markTargetFromPair(mark: number, mask: number): Extract<Target, { t: 'MARK' }> {
  mark >>>= 0;
  mask >>>= 0;
  if (mask === mark) return { t: 'MARK', op: 'or', value: mark };
  if (mask === 0) return { t: 'MARK', op: 'xor', value: mark };
  if (mask === U32) return { t: 'MARK', op: 'set', value: mark };
  if ((mark & ~mask) === 0) return { t: 'MARK', op: 'set', value: mark, mask };
  throw new Error(`unsupported MARK --set-xmark ${hex(mark)}/${hex(mask)}: value bits outside the mask`);
}

/** NAT range text normalised as the kernel prints it back ("1.2.3.4:80-80" → "1.2.3.4:80"). */
export function normalizeNatRange(s: string, what: string): string {
  const m = /^([0-9.]+)(?:-([0-9.]+))?(?::(\d+)(?:-(\d+))?)?$/.exec(s);
  if (!m) throw new Error(`unsupported ${what} "${s}" (expected ip[-ip][:port[-port]])`);
  const lo = parseIPv4(m[1]!);
  const hi = m[2] !== undefined ? parseIPv4(m[2]) : lo;
  let out = ipToString(lo);
  if (hi !== lo) out += `-${ipToString(hi)}`;
  if (m[3] !== undefined) {
    const p1 = parsePort(m[3]);
    const p2 = m[4] !== undefined ? parsePort(m[4]) : p1;
    out += p2 !== p1 ? `:${p1}-${p2}` : `:${p1}`;
  }
  return out;
}

/** Port range as the kernel prints it back ("1000-1000" → "1000"). */
export function normalizePortRange(s: string): string {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) throw new Error(`unsupported --to-ports "${s}" (expected port[-port])`);
  const p1 = parsePort(m[1]!);
  const p2 = m[2] !== undefined ? parsePort(m[2]) : p1;
  return p2 !== p1 ? `${p1}-${p2}` : `${p1}`;
}

function parsePort(s: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`invalid port "${s}"`);
  const n = Number(s);
  if (n > 65535) throw new Error(`invalid port "${s}"`);
  return n;
}

/** Dotted mask as the kernel prints it back. */
export function normalizeDotted(s: string): string {
  return ipToString(parseIPv4(s));
}

// ---------------------------------------------------------------------------------------------
// Rule → iptables-save text

type IpPart = { src?: Match & { m: 'src' }; dst?: Match & { m: 'dst' }; in?: Match & { m: 'in' }; out?: Match & { m: 'out' }; proto?: Match & { m: 'proto' } };

/** Splits a rule's matches into the fixed IP-header part and the module matches (in order). */
export function splitMatches(rule: Rule): { ip: IpPart; modules: Match[] } {
  const ip: IpPart = {};
  const modules: Match[] = [];
  for (const m of rule.matches) {
    switch (m.m) {
      case 'src':
      case 'dst':
      case 'in':
      case 'out':
      case 'proto':
        // iptables itself refuses a second -s/-d/-i/-o/-p ("multiple -s flags not allowed").
        if (ip[m.m]) throw new Error(`multiple ${m.m} matches in one rule`);
        (ip as Record<string, Match>)[m.m] = m;
        break;
      default:
        modules.push(m);
    }
  }
  return { ip, modules };
}

function bang(invert: boolean | undefined): string {
  return invert ? '! ' : '';
}

function saveModule(m: Match): string {
  switch (m.m) {
    case 'port': {
      let s = `-m ${m.proto}`;
      if (m.sport !== undefined) s += ` ${bang(m.invert)}--sport ${m.sport}`;
      if (m.dport !== undefined) s += ` ${bang(m.invert)}--dport ${m.dport}`;
      return s;
    }
    case 'comment':
      return `-m comment --comment ${saveString(m.comment)}`;
    case 'mark':
      return `-m mark ${bang(m.invert)}--mark ${markValue(m.value, m.mask)}`;
    case 'addrtype': {
      let s = '-m addrtype';
      if (m.srcType) s += ` ${bang(m.invertSrc)}--src-type ${m.srcType}`;
      if (m.dstType) s += ` ${bang(m.invertDst)}--dst-type ${m.dstType}`;
      if (m.limitIfaceOut) s += ' --limit-iface-out';
      return s;
    }
    case 'conntrack':
      return `-m conntrack ${bang(m.invert)}--ctstate ${ctstates(m.ctstate).join(',')}`;
    case 'statistic':
      return `-m statistic --mode random --probability ${formatProbability(m.probability)}`;
    case 'recent': {
      let s = `-m recent --${m.op}`;
      if (m.seconds) s += ` --seconds ${m.seconds}`;
      if (m.reap) s += ' --reap';
      return `${s} --name ${m.name} --mask ${normalizeDotted(m.mask)} --rsource`;
    }
    default:
      throw new Error(`not a module match: ${m.m}`);
  }
}

/** `0x%x` plus `/0x%x` unless the mask is all ones (libxt_mark print_mark). */
export function markValue(value: number, mask: number): string {
  return mask >>> 0 === U32 ? hex(value) : `${hex(value)}/${hex(mask)}`;
}

/** Deduplicated, in libxt_conntrack's print order. */
export function ctstates(states: readonly CtState[]): CtState[] {
  return CTSTATE_ORDER.filter((s) => states.includes(s));
}

function saveTarget(t: Target): string {
  switch (t.t) {
    case 'none':
      return '';
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return `-j ${t.t}`;
    case 'jump':
      return `-j ${t.chain}`;
    case 'goto':
      return `-g ${t.chain}`;
    case 'REJECT':
      return `-j REJECT --reject-with ${t.with ?? 'icmp-port-unreachable'}`;
    case 'MARK': {
      const { mark, mask } = markTargetPair(t);
      return `-j MARK --set-xmark ${hex(mark)}/${hex(mask)}`;
    }
    case 'MASQUERADE': {
      let s = '-j MASQUERADE';
      if (t.toPorts !== undefined) s += ` --to-ports ${normalizePortRange(t.toPorts)}`;
      if (t.randomFully) s += ' --random-fully';
      return s;
    }
    case 'SNAT':
      return `-j SNAT --to-source ${normalizeNatRange(t.to, '--to-source')}${t.randomFully ? ' --random-fully' : ''}`;
    case 'DNAT':
      return `-j DNAT --to-destination ${normalizeNatRange(t.to, '--to-destination')}`;
  }
}

/** The rule exactly as `iptables-save` prints it: `-A CHAIN …`. */
export function ruleSpec(chain: string, rule: Rule): string {
  const { ip, modules } = splitMatches(rule);
  const parts = [`-A ${chain}`];
  for (const [m, flag] of [
    [ip.src, '-s'],
    [ip.dst, '-d'],
  ] as const) {
    // save_ipv4_addr skips an all-zero, non-inverted address.
    if (m && (m.net.prefixLen > 0 || m.invert)) parts.push(`${bang(m.invert)}${flag} ${netToString(m.net)}`);
  }
  if (ip.in) parts.push(`${bang(ip.in.invert)}-i ${ip.in.iface}`);
  if (ip.out) parts.push(`${bang(ip.out.invert)}-o ${ip.out.iface}`);
  if (ip.proto) parts.push(`${bang(ip.proto.invert)}-p ${ip.proto.proto}`);
  for (const m of modules) parts.push(saveModule(m));
  const target = saveTarget(rule.target);
  if (target) parts.push(target);
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Canonical form

function withoutUndefined<const T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined || o[k] === false) delete o[k];
  return o;
}

function normalizeMatch(m: Match): Match | undefined {
  switch (m.m) {
    case 'src':
    case 'dst':
      if (m.net.prefixLen === 0 && !m.invert) return undefined;
      return withoutUndefined({ m: m.m, net: { ip: networkOf(m.net.ip, m.net.prefixLen), prefixLen: m.net.prefixLen }, invert: m.invert });
    case 'in':
    case 'out':
      return withoutUndefined({ m: m.m, iface: m.iface, invert: m.invert });
    case 'proto':
      return withoutUndefined({ m: 'proto', proto: m.proto, invert: m.invert });
    case 'port':
      return withoutUndefined({ m: 'port', proto: m.proto, sport: m.sport, dport: m.dport, invert: m.invert && (m.sport !== undefined || m.dport !== undefined) });
    case 'comment':
      return { m: 'comment', comment: m.comment };
    case 'mark':
      return withoutUndefined({ m: 'mark', value: m.value >>> 0, mask: m.mask >>> 0, invert: m.invert });
    case 'addrtype':
      return withoutUndefined({
        m: 'addrtype',
        srcType: m.srcType,
        dstType: m.dstType,
        invertSrc: m.invertSrc && m.srcType !== undefined,
        invertDst: m.invertDst && m.dstType !== undefined,
        limitIfaceOut: m.limitIfaceOut,
      });
    case 'conntrack':
      return withoutUndefined({ m: 'conntrack', ctstate: ctstates(m.ctstate), invert: m.invert });
    case 'statistic':
      return { m: 'statistic', probability: Number(formatProbability(m.probability)) };
    case 'recent':
      return withoutUndefined({
        m: 'recent',
        name: m.name,
        mask: normalizeDotted(m.mask),
        op: m.op,
        seconds: m.seconds || undefined,
        reap: m.reap,
        rsource: true as const,
      });
  }
}

function normalizeTarget(t: Target): Target {
  switch (t.t) {
    case 'REJECT':
      return { t: 'REJECT', with: t.with ?? 'icmp-port-unreachable' };
    case 'MARK': {
      const { mark, mask } = markTargetPair(t);
      return markTargetFromPair(mark, mask);
    }
    case 'MASQUERADE':
      return withoutUndefined({ t: 'MASQUERADE', toPorts: t.toPorts === undefined ? undefined : normalizePortRange(t.toPorts), randomFully: t.randomFully });
    case 'SNAT':
      return withoutUndefined({ t: 'SNAT', to: normalizeNatRange(t.to, '--to-source'), randomFully: t.randomFully });
    case 'DNAT':
      return { t: 'DNAT', to: normalizeNatRange(t.to, '--to-destination') };
    default:
      return { ...t };
  }
}

/**
 * The rule as the kernel would give it back: IP-header matches first (src, dst, in, out, proto),
 * modules in order, host bits cleared, defaults spelled out, `false` flags and `owner` dropped.
 * `parseRuleSpec(ruleSpec(c, r)).rule` deep-equals `normalizeRule(r)`.
 */
export function normalizeRule(rule: Rule): Rule {
  const { ip, modules } = splitMatches(rule);
  const matches: Match[] = [];
  for (const m of [ip.src, ip.dst, ip.in, ip.out, ip.proto, ...modules]) {
    const n = m && normalizeMatch(m);
    if (n) matches.push(n);
  }
  return { matches, target: normalizeTarget(rule.target) };
}

// ---------------------------------------------------------------------------------------------
// Chain order

/** Built-in chains of each table, including `security`, which the model does not hold. */
export const SAVE_BUILTINS: Record<TableName | 'security', readonly string[]> = { ...BUILTIN_CHAINS, security: ['INPUT', 'FORWARD', 'OUTPUT'] };

/**
 * The chains as iptables-save and `iptables -L` list them (same on nf_tables and legacy): every
 * built-in chain of the table in kernel hook order (missing ones with policy ACCEPT, as the tools
 * show them), then user chains sorted by strcmp of their names, whatever their creation order.
 */
export function chainsInSaveOrder(table: { name: TableName | 'security'; chains: Chain[] }): Chain[] {
  const builtins = SAVE_BUILTINS[table.name];
  const byName = new Map(table.chains.map((c) => [c.name, c] as const));
  const out: Chain[] = builtins.map((n) => byName.get(n) ?? { name: n, policy: 'ACCEPT', rules: [] });
  const user = table.chains.filter((c) => !builtins.includes(c.name));
  user.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out.concat(user);
}

// ---------------------------------------------------------------------------------------------
// Text → Rule

/**
 * Splits a line as iptables-restore does: whitespace separates words outside double quotes, `"`
 * opens and closes quoting, a backslash takes the next character literally. `'` is an ordinary
 * character (iptables-restore keeps it).
 */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && (c === ' ' || c === '\t')) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quoted) throw new Error(`unterminated quote in: ${line}`);
  if (inWord) out.push(cur);
  return out;
}

/** xtables_strtoui with base 0: 0x… hex, leading-0 octal, else decimal; uint32 only. */
function parseUint32(s: string, what: string): number {
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(s)) n = parseInt(s.slice(2), 16);
  else if (/^0[0-7]*$/.test(s)) n = parseInt(s, 8);
  else if (/^[1-9]\d*$/.test(s)) n = Number(s);
  else throw new Error(`invalid ${what} "${s}"`);
  if (!(n <= U32)) throw new Error(`invalid ${what} "${s}"`);
  return n;
}

function parseValueMask(s: string, what: string): { value: number; mask?: number } {
  const slash = s.indexOf('/');
  if (slash < 0) return { value: parseUint32(s, what) };
  return { value: parseUint32(s.slice(0, slash), what), mask: parseUint32(s.slice(slash + 1), what) };
}

function parseNet(s: string): Net {
  const slash = s.indexOf('/');
  if (slash < 0) return { ip: parseIPv4(s), prefixLen: 32 };
  const ip = parseIPv4(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (/^\d{1,2}$/.test(p) && Number(p) <= 32) return { ip: networkOf(ip, Number(p)), prefixLen: Number(p) };
  // A dotted netmask is accepted if contiguous (iptables accepts both forms).
  const mask = parseIPv4(p);
  const inv = ~mask >>> 0;
  if ((inv & (inv + 1)) !== 0) throw new Error(`unsupported non-contiguous netmask in "${s}"`);
  const len = Math.clz32(inv);
  if (prefixMask(len) !== mask) throw new Error(`invalid netmask in "${s}"`);
  return { ip: networkOf(ip, len), prefixLen: len };
}

const PROTO_ALIASES: Record<string, L4Proto> = { tcp: 'tcp', udp: 'udp', sctp: 'sctp', icmp: 'icmp', '6': 'tcp', '17': 'udp', '132': 'sctp', '1': 'icmp' };

const REJECT_ALIASES: Record<string, RejectWith> = {
  'icmp-port-unreachable': 'icmp-port-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'icmp-host-unreachable': 'icmp-host-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'icmp-net-unreachable': 'icmp-net-unreachable',
  'net-unreach': 'icmp-net-unreachable',
  'tcp-reset': 'tcp-reset',
  'tcp-rst': 'tcp-reset',
};

/** Target names the parser knows; any other all-caps word is refused rather than taken for a chain. */
const KNOWN_UNSUPPORTED_TARGETS = new Set([
  'LOG',
  'NFLOG',
  'ULOG',
  'CT',
  'NOTRACK',
  'TRACE',
  'CONNMARK',
  'CLASSIFY',
  'TCPMSS',
  'TPROXY',
  'REDIRECT',
  'NETMAP',
  'CHECKSUM',
  'CLUSTERIP',
  'TTL',
  'TOS',
  'DSCP',
  'NFQUEUE',
  'QUEUE',
  'AUDIT',
  'SET',
  'SECMARK',
  'CONNSECMARK',
  'IDLETIMER',
  'LED',
  'HMARK',
  'SYNPROXY',
  'TEE',
  'RATEEST',
  'ECN',
]);

/** A match module under construction; `opt` takes one option and says whether it was its own. */
interface ModuleBuilder {
  name: string;
  opt(name: string, invert: boolean, next: () => string): boolean;
  build(): Match;
}

function portModule(proto: 'tcp' | 'udp' | 'sctp'): ModuleBuilder {
  let sport: number | undefined;
  let dport: number | undefined;
  const inv: boolean[] = [];
  return {
    name: proto,
    opt(name, invert, next) {
      if (name === '--sport' || name === '--source-port') sport = portArg(next());
      else if (name === '--dport' || name === '--destination-port') dport = portArg(next());
      else return false;
      inv.push(invert);
      return true;
    },
    build() {
      // The model has one invert flag for the match; both ports must agree.
      if (inv.some((x) => x !== inv[0])) throw new Error(`unsupported: -m ${proto} with one port inverted and the other not`);
      return withoutUndefined({ m: 'port', proto, sport, dport, invert: inv[0] });
    },
  };
}

function portArg(s: string): number {
  if (s.includes(':')) throw new Error(`unsupported port range "${s}"`);
  return parsePort(s);
}

function noInvert(invert: boolean, opt: string): void {
  if (invert) throw new Error(`unsupported: "! ${opt}"`);
}

function moduleBuilder(name: string): ModuleBuilder {
  switch (name) {
    case 'tcp':
    case 'udp':
    case 'sctp':
      return portModule(name);
    case 'comment': {
      let comment: string | undefined;
      return {
        name,
        opt(o, invert, next) {
          if (o !== '--comment') return false;
          noInvert(invert, o);
          comment = next();
          return true;
        },
        build() {
          if (comment === undefined) throw new Error('-m comment needs --comment');
          return { m: 'comment', comment };
        },
      };
    }
    case 'mark': {
      let r: Match | undefined;
      return {
        name,
        opt(o, invert, next) {
          if (o !== '--mark') return false;
          const { value, mask } = parseValueMask(next(), 'mark');
          r = withoutUndefined({ m: 'mark', value, mask: mask ?? U32, invert });
          return true;
        },
        build() {
          if (!r) throw new Error('-m mark needs --mark');
          return r;
        },
      };
    }
    case 'addrtype': {
      const r: Extract<Match, { m: 'addrtype' }> = { m: 'addrtype' };
      const type = (s: string): 'LOCAL' => {
        if (s !== 'LOCAL') throw new Error(`unsupported address type "${s}" (only LOCAL)`);
        return s;
      };
      return {
        name,
        opt(o, invert, next) {
          if (o === '--src-type') Object.assign(r, { srcType: type(next()), invertSrc: invert });
          else if (o === '--dst-type') Object.assign(r, { dstType: type(next()), invertDst: invert });
          else if (o === '--limit-iface-out') {
            noInvert(invert, o);
            r.limitIfaceOut = true;
          } else return false;
          return true;
        },
        build: () => withoutUndefined(r),
      };
    }
    case 'conntrack': {
      let r: Match | undefined;
      return {
        name,
        opt(o, invert, next) {
          if (o !== '--ctstate') return false;
          const states = next().split(',');
          for (const s of states) if (!(CTSTATE_ORDER as readonly string[]).includes(s)) throw new Error(`unsupported ctstate "${s}"`);
          r = withoutUndefined({ m: 'conntrack', ctstate: ctstates(states as CtState[]), invert });
          return true;
        },
        build() {
          if (!r) throw new Error('-m conntrack: only --ctstate is supported');
          return r;
        },
      };
    }
    case 'statistic': {
      let mode: string | undefined;
      let probability: number | undefined;
      return {
        name,
        opt(o, invert, next) {
          if (o === '--mode') mode = next();
          else if (o === '--probability') {
            noInvert(invert, o);
            const s = next();
            if (!/^(\d+\.?\d*|\.\d+)$/.test(s)) throw new Error(`invalid probability "${s}"`);
            probability = Number(s);
          } else return false;
          return true;
        },
        build() {
          if (mode !== 'random' || probability === undefined) throw new Error('-m statistic: only --mode random --probability P is supported');
          return { m: 'statistic', probability: Number(formatProbability(probability)) };
        },
      };
    }
    case 'recent': {
      let op: 'set' | 'rcheck' | undefined;
      let seconds: number | undefined;
      let reap = false;
      let rname = 'DEFAULT';
      let mask = '255.255.255.255';
      return {
        name,
        opt(o, invert, next) {
          switch (o) {
            case '--set':
            case '--rcheck':
              noInvert(invert, o);
              if (op) throw new Error('-m recent: only one of --set/--rcheck');
              op = o === '--set' ? 'set' : 'rcheck';
              return true;
            case '--seconds':
              seconds = parseUint32(next(), 'seconds');
              return true;
            case '--reap':
              reap = true;
              return true;
            case '--name':
              rname = next();
              return true;
            case '--mask':
              mask = normalizeDotted(next());
              return true;
            case '--rsource':
              return true;
            case '--rdest':
            case '--update':
            case '--remove':
            case '--hitcount':
            case '--rttl':
              throw new Error(`unsupported -m recent option ${o}`);
            default:
              return false;
          }
        },
        build() {
          if (!op) throw new Error('-m recent needs --set or --rcheck');
          return withoutUndefined({ m: 'recent', name: rname, mask, op, seconds: seconds || undefined, reap, rsource: true as const });
        },
      };
    }
    default:
      throw new Error(`unsupported match module "-m ${name}"`);
  }
}

/** A target under construction. */
interface TargetBuilder {
  opt(name: string, next: () => string): boolean;
  build(): Target;
}

function targetBuilder(kind: '-j' | '-g', name: string): TargetBuilder {
  const none = (t: Target): TargetBuilder => ({ opt: () => false, build: () => t });
  if (kind === '-g') {
    if (['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'MARK', 'MASQUERADE', 'SNAT', 'DNAT'].includes(name) || KNOWN_UNSUPPORTED_TARGETS.has(name))
      throw new Error(`-g needs a user chain, not ${name}`);
    return none({ t: 'goto', chain: name });
  }
  switch (name) {
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return none({ t: name });
    case 'REJECT': {
      let w: RejectWith = 'icmp-port-unreachable';
      return {
        opt(o, next) {
          if (o !== '--reject-with') return false;
          const v = next();
          const a = REJECT_ALIASES[v];
          if (!a) throw new Error(`unsupported --reject-with ${v}`);
          w = a;
          return true;
        },
        build: () => ({ t: 'REJECT', with: w }),
      };
    }
    case 'MARK': {
      let pair: { mark: number; mask: number } | undefined;
      return {
        opt(o, next) {
          const arg = (): { value: number; mask?: number } => parseValueMask(next(), 'mark');
          if (o === '--set-xmark') {
            const { value, mask } = arg();
            pair = { mark: value, mask: mask ?? U32 };
          } else if (o === '--set-mark') {
            const { value, mask } = arg();
            pair = { mark: value, mask: (value | (mask ?? U32)) >>> 0 };
          } else if (o === '--or-mark') {
            const { value } = arg();
            pair = { mark: value, mask: value };
          } else if (o === '--xor-mark') {
            const { value } = arg();
            pair = { mark: value, mask: 0 };
          } else if (o === '--and-mark') {
            const { value } = arg();
            pair = { mark: 0, mask: ~value >>> 0 };
          } else return false;
          return true;
        },
        build() {
          if (!pair) throw new Error('-j MARK needs --set-xmark, --set-mark, --or-mark, --xor-mark or --and-mark');
          return markTargetFromPair(pair.mark, pair.mask);
        },
      };
    }
    case 'MASQUERADE': {
      const t: Extract<Target, { t: 'MASQUERADE' }> = { t: 'MASQUERADE' };
      return {
        opt(o, next) {
          if (o === '--to-ports') t.toPorts = normalizePortRange(next());
          else if (o === '--random-fully') t.randomFully = true;
          else if (o === '--random' || o === '--persistent') throw new Error(`unsupported MASQUERADE option ${o}`);
          else return false;
          return true;
        },
        build: () => withoutUndefined(t),
      };
    }
    case 'SNAT': {
      let to: string | undefined;
      let randomFully = false;
      return {
        opt(o, next) {
          if (o === '--to-source') to = normalizeNatRange(next(), '--to-source');
          else if (o === '--random-fully') randomFully = true;
          else if (o === '--random' || o === '--persistent') throw new Error(`unsupported SNAT option ${o}`);
          else return false;
          return true;
        },
        build() {
          if (to === undefined) throw new Error('-j SNAT needs --to-source');
          return withoutUndefined({ t: 'SNAT', to, randomFully });
        },
      };
    }
    case 'DNAT': {
      let to: string | undefined;
      return {
        opt(o, next) {
          if (o === '--to-destination') to = normalizeNatRange(next(), '--to-destination');
          else if (o === '--random' || o === '--persistent') throw new Error(`unsupported DNAT option ${o}`);
          else return false;
          return true;
        },
        build() {
          if (to === undefined) throw new Error('-j DNAT needs --to-destination');
          return { t: 'DNAT', to };
        },
      };
    }
    default:
      if (KNOWN_UNSUPPORTED_TARGETS.has(name)) throw new Error(`unsupported target "-j ${name}"`);
      return none({ t: 'jump', chain: name });
  }
}

/**
 * Parses one `-A CHAIN …` line into the model, in canonical form (see normalizeRule). Accepts
 * what ruleSpec prints and also the looser order kube-proxy and flanneld write (`-m tcp -p tcp -d
 * X --dport 80`, `--or-mark`, `-p tcp --dport 80` with the implicit tcp match). Throws an Error
 * naming the first thing it does not support.
 */
export function parseRuleSpec(line: string): { chain: string; rule: Rule } {
  const tok = tokenize(line.trim());
  if (tok[0] !== '-A' && tok[0] !== '--append') throw new Error(`expected "-A CHAIN …", got: ${line}`);
  const chain = tok[1];
  if (!chain) throw new Error(`missing chain name in: ${line}`);
  const ip: Match[] = [];
  const seen = new Set<string>();
  const modules: ModuleBuilder[] = [];
  let proto: L4Proto | undefined;
  let protoInvert = false;
  let target: TargetBuilder | undefined;

  let i = 2;
  const next = (opt: string) => (): string => {
    const v = tok[i++];
    if (v === undefined) throw new Error(`option ${opt} needs an argument`);
    return v;
  };
  const ipOpt = (key: string, m: Match): void => {
    if (seen.has(key)) throw new Error(`multiple ${key} options`);
    seen.add(key);
    ip.push(m);
  };

  while (i < tok.length) {
    let t = tok[i++]!;
    let invert = false;
    if (t === '!') {
      invert = true;
      t = tok[i++] ?? '';
    }
    switch (t) {
      case '-s':
      case '--source':
        ipOpt('-s', withoutUndefined({ m: 'src', net: parseNet(next(t)()), invert }));
        break;
      case '-d':
      case '--destination':
        ipOpt('-d', withoutUndefined({ m: 'dst', net: parseNet(next(t)()), invert }));
        break;
      case '-i':
      case '--in-interface':
        ipOpt('-i', withoutUndefined({ m: 'in', iface: next(t)(), invert }));
        break;
      case '-o':
      case '--out-interface':
        ipOpt('-o', withoutUndefined({ m: 'out', iface: next(t)(), invert }));
        break;
      case '-p':
      case '--protocol': {
        const v = next(t)();
        const p = PROTO_ALIASES[v.toLowerCase()];
        if (!p) throw new Error(`unsupported protocol "${v}"`);
        proto = p;
        protoInvert = invert;
        ipOpt('-p', withoutUndefined({ m: 'proto', proto: p, invert }));
        break;
      }
      case '-m':
      case '--match':
        noInvert(invert, t);
        if (target) throw new Error(`-m after the target in: ${line}`);
        modules.push(moduleBuilder(next(t)()));
        break;
      case '-j':
      case '--jump':
      case '-g':
      case '--goto':
        noInvert(invert, t);
        if (target) throw new Error(`more than one target in: ${line}`);
        target = targetBuilder(t === '-g' || t === '--goto' ? '-g' : '-j', next(t)());
        break;
      default: {
        if (!t.startsWith('--')) throw new Error(`unexpected "${t}" in: ${line}`);
        if (target) {
          noInvert(invert, t);
          if (target.opt(t, next(t))) break;
          throw new Error(`unknown target option ${t}`);
        }
        // An option belongs to the latest module that knows it, as iptables dispatches them.
        let taken = false;
        for (let k = modules.length - 1; k >= 0 && !taken; k--) taken = modules[k]!.opt(t, invert, next(t));
        if (taken) break;
        // `-p tcp --dport 80` loads the protocol's match implicitly.
        if ((t === '--dport' || t === '--sport' || t === '--destination-port' || t === '--source-port') && proto && proto !== 'icmp' && !protoInvert) {
          const b = portModule(proto);
          modules.push(b);
          b.opt(t, invert, next(t));
          break;
        }
        throw new Error(`unknown or unsupported option ${invert ? '! ' : ''}${t} in: ${line}`);
      }
    }
  }
  // A rule without -j/-g is valid: it matches and falls through.
  target ??= { opt: () => false, build: () => ({ t: 'none' }) };
  const order = ['src', 'dst', 'in', 'out', 'proto'];
  ip.sort((a, b) => order.indexOf(a.m) - order.indexOf(b.m));
  const matches = ip.filter((m) => !((m.m === 'src' || m.m === 'dst') && m.net.prefixLen === 0 && !m.invert));
  for (const b of modules) matches.push(b.build());
  return { chain, rule: { matches, target: target.build() } };
}

// ---------------------------------------------------------------------------------------------
// iptables-restore text → Ruleset

const TABLE_NAMES: readonly TableName[] = ['raw', 'mangle', 'nat', 'filter'];

/**
 * Reads iptables-restore / iptables-save text (`*table`, `:CHAIN POLICY [p:b]`, `-A …`, `COMMIT`,
 * `#` comments) into a Ruleset: tables in the order they appear, chains in declaration order,
 * built-in chains created with policy ACCEPT when first used undeclared. Throws on a rule for an
 * undeclared user chain (as iptables-restore does) or anything parseRuleSpec refuses.
 */
export function parseIptablesRestore(text: string): Ruleset {
  const tables: Table[] = [];
  let table: Table | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, idx) => {
    const line = raw.trim();
    const where = `line ${idx + 1}`;
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('*')) {
      const name = line.slice(1) as TableName;
      if (!TABLE_NAMES.includes(name)) throw new Error(`${where}: unsupported table "${name}"`);
      table = tables.find((t) => t.name === name);
      if (!table) tables.push((table = { name, chains: [] }));
      return;
    }
    if (!table) throw new Error(`${where}: no table (*filter, *nat, …) before "${line}"`);
    const t = table;
    const builtins = BUILTIN_CHAINS[t.name] as readonly string[];
    const chainNamed = (name: string): Chain => {
      let c = t.chains.find((x) => x.name === name);
      if (!c) {
        if (!builtins.includes(name)) throw new Error(`${where}: chain '${name}' does not exist`);
        t.chains.push((c = { name, policy: 'ACCEPT', rules: [] }));
      }
      return c;
    };
    if (line === 'COMMIT') {
      table = undefined;
    } else if (line.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)/.exec(line);
      if (!m) throw new Error(`${where}: bad chain line "${line}"`);
      const [, name, policy] = m as unknown as [string, string, string];
      const isBuiltin = builtins.includes(name);
      if (isBuiltin && policy !== 'ACCEPT' && policy !== 'DROP') throw new Error(`${where}: bad policy "${policy}" for ${name}`);
      if (!isBuiltin && policy !== '-') throw new Error(`${where}: user chain ${name} cannot have policy "${policy}"`);
      const existing = t.chains.find((x) => x.name === name);
      if (existing) {
        if (isBuiltin) existing.policy = policy as 'ACCEPT' | 'DROP';
      } else {
        t.chains.push(isBuiltin ? { name, policy: policy as 'ACCEPT' | 'DROP', rules: [] } : { name, rules: [] });
      }
    } else {
      let parsed: { chain: string; rule: Rule };
      try {
        parsed = parseRuleSpec(line);
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
      chainNamed(parsed.chain).rules.push(parsed.rule);
    }
  });
  return { tables };
}
