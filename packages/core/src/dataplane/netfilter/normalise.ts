// Canonical forms of rules and their option values, as the kernel gives them back: what both
// the iptables-save renderer (save.ts) and the iptables-restore parser (restore-parse.ts) produce.

import { ipToString, networkOf, parseIPv4 } from '../../net/ipv4.js';
import type { Match, Rule, Target } from '../../net/netfilter.js';

/** Conntrack states in the order libxt_conntrack prints them. */
export const CTSTATE_ORDER = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'SNAT', 'DNAT'] as const;
export type CtState = (typeof CTSTATE_ORDER)[number];

export const U32 = 0xffffffff;

/** `0x%x` of a uint32 (libxt_mark / libxt_MARK). */
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
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
export function markTargetFromPair(mark: number, mask: number): Extract<Target, { t: 'MARK' }> {
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

/** A port number 0..65535 in decimal; throws otherwise. */
export function parsePort(s: string): number {
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
// Matches

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

/** Deduplicated, in libxt_conntrack's print order. */
export function ctstates(states: readonly CtState[]): CtState[] {
  return CTSTATE_ORDER.filter((s) => states.includes(s));
}

// ---------------------------------------------------------------------------------------------
// Canonical form

/** The object without its undefined or `false` fields (the canonical form omits them). */
export function withoutUndefined<const T extends object>(o: T): T {
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
