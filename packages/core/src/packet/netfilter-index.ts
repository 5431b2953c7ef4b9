// Dispatch index for a chain's rules, the way nf_tables sets or ipset replace a long list of
// `-d VIP/32` or `--dport N` rules: kube-proxy's KUBE-SERVICES holds one rule per service port and
// KUBE-NODEPORTS one per NodePort, so a linear walk costs O(services) per traversal. Consecutive
// rules that each require one exact destination (or one protocol and destination port) form a
// run, and a run maps each such key to the (ordered) rules requiring it; a packet then examines
// only those. Every other rule is still examined one by one, in place, so the first-match order,
// and what the walker records, are exactly those of the linear walk.

import type { Chain, Match, Rule } from '../net/netfilter.js';
import type { Proto } from './types.js';

/** What a run is keyed on: the destination address, or the protocol and destination port. */
export type RunKey = 'dst' | 'dport';

/** Consecutive rules examined one by one. */
export interface ScanRun {
  start: number;
  end: number;
  on?: undefined;
}

/** Consecutive rules that each require one key value: only those requiring the packet's are examined. */
export interface KeyedRun {
  start: number;
  end: number;
  on: RunKey;
  /** Key → indices (into chain.rules, ascending) of the run's rules that require it. */
  rules: Map<number, readonly number[]>;
}

export type RuleRun = ScanRun | KeyedRun;

/** Shorter runs of keyed rules are scanned: a map lookup saves nothing on a handful of rules. */
export const MIN_KEYED_RUN = 4;

const PROTO_CODE: Record<string, number> = { tcp: 1, udp: 2, sctp: 3 };

/** (protocol, port) as one number; undefined when no port match can accept it (icmp, or not a port). */
function portKey(proto: string, dport: number): number | undefined {
  const code = PROTO_CODE[proto];
  return code !== undefined && Number.isInteger(dport) && dport >= 0 && dport <= 65535 ? code * 65536 + dport : undefined;
}

/**
 * The key value a rule requires, if skipping it for any other value is unobservable: a
 * non-inverted `-d IP/32`, or a non-inverted `-m tcp|udp|sctp --dport N` (which requires that
 * protocol too), before any `-m statistic`. Matches are evaluated in order and stop at the first
 * miss, and a statistic match draws a random number even when a later match misses; every other
 * match is free of side effects.
 */
export function requiredKey(r: Rule, on: RunKey): number | undefined {
  for (const m of r.matches) {
    if (m.m === 'statistic') return undefined;
    const k = keyOf(m, on);
    if (k !== undefined) return k;
  }
  return undefined;
}

function keyOf(m: Match, on: RunKey): number | undefined {
  // `-d X/32` compares the low 32 bits of both sides, as `>>> 0` does.
  if (on === 'dst') return m.m === 'dst' && !m.invert && m.net.prefixLen === 32 ? m.net.ip >>> 0 : undefined;
  return m.m === 'port' && !m.invert && m.dport !== undefined ? portKey(m.proto, m.dport) : undefined;
}

/**
 * The packet fields runs are keyed on: netfilter.ts's Packet has them (declared here so this
 * module does not import netfilter.ts back).
 */
export interface KeyedPacket {
  dst: number;
  proto: Proto;
  dport: number;
}

/** The packet's value of a run's key; undefined when no rule of such a run can match it. */
export function packetKey(p: KeyedPacket, on: RunKey): number | undefined {
  return on === 'dst' ? p.dst >>> 0 : portKey(p.proto, p.dport);
}

interface Plan {
  rules: readonly Rule[];
  length: number;
  runs: readonly RuleRun[];
}

// Rulesets are derived data, never edited once walked; the array identity and length are still
// checked, so a chain a test appends to is re-planned rather than walked stale.
const plans = new WeakMap<Chain, Plan>();

/** How many rules from `i` on have a key of kind `on`. */
function keyedFrom(keys: readonly (number | undefined)[], i: number): number {
  let j = i;
  while (j < keys.length && keys[j] !== undefined) j++;
  return j - i;
}

function plan(rules: readonly Rule[]): RuleRun[] {
  const keys: Record<RunKey, (number | undefined)[]> = { dst: rules.map((r) => requiredKey(r, 'dst')), dport: rules.map((r) => requiredKey(r, 'dport')) };
  const runs: RuleRun[] = [];
  let i = 0;
  while (i < rules.length) {
    // The longer run of the two keys; the destination (the more selective) on a tie.
    const byDst = keyedFrom(keys.dst, i);
    const byPort = keyedFrom(keys.dport, i);
    const on: RunKey = byDst >= byPort ? 'dst' : 'dport';
    const n = Math.max(byDst, byPort);
    if (n >= MIN_KEYED_RUN) {
      const index = new Map<number, number[]>();
      for (let k = i; k < i + n; k++) {
        const key = keys[on][k]!;
        const list = index.get(key);
        if (list) list.push(k);
        else index.set(key, [k]);
      }
      runs.push({ start: i, end: i + n, on, rules: index });
      i += n;
    } else {
      // One rule at a time, merged into the scan run before it.
      const prev = runs[runs.length - 1];
      if (prev && !prev.on) prev.end = i + 1;
      else runs.push({ start: i, end: i + 1 });
      i++;
    }
  }
  return runs;
}

/** The runs of `chain`, computed once per chain object. */
export function ruleRuns(chain: Chain): readonly RuleRun[] {
  if (linear) return [{ start: 0, end: chain.rules.length }];
  const cached = plans.get(chain);
  if (cached && cached.rules === chain.rules && cached.length === chain.rules.length) return cached.runs;
  const runs = plan(chain.rules);
  plans.set(chain, { rules: chain.rules, length: chain.rules.length, runs });
  return runs;
}

let linear = false;

/** Whether chains are walked rule by rule now (inside withLinearWalk). */
export function isLinearWalk(): boolean {
  return linear;
}

/** Runs `fn` with every chain walked rule by rule, without the index: the reference the index is tested against. */
export function withLinearWalk<T>(fn: () => T): T {
  const was = linear;
  linear = true;
  try {
    return fn();
  } finally {
    linear = was;
  }
}
