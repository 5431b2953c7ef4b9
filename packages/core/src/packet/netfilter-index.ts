// Dispatch index for a chain's rules, the way nf_tables sets or ipset replace a long list of
// `-d VIP/32` rules: kube-proxy's KUBE-SERVICES holds one rule per service port, so a linear walk
// costs O(services) per traversal. Consecutive rules that each carry an exact destination are
// grouped into a run, and a run maps each destination to the (ordered) rules naming it; a packet
// then examines only those. Every other rule is still examined one by one, in place, so the
// first-match order, and what the walker records, are exactly those of the linear walk.

import type { Chain, Rule } from '../dataplane/netfilter/types.js';

/** Consecutive rules examined one by one. */
export interface ScanRun {
  start: number;
  end: number;
  byDst?: undefined;
}

/** Consecutive rules that each require one exact destination: only those naming the packet's are examined. */
export interface DstRun {
  start: number;
  end: number;
  /** Destination → indices (into chain.rules, ascending) of the run's rules that require it. */
  byDst: Map<number, readonly number[]>;
}

export type RuleRun = ScanRun | DstRun;

/** Shorter runs of keyed rules are scanned: a map lookup saves nothing on a handful of rules. */
export const MIN_DST_RUN = 4;

/**
 * The exact destination a rule requires, if skipping it for any other destination is unobservable:
 * a non-inverted `-d IP/32` that comes before any `-m statistic` (matches are evaluated in order
 * and stop at the first miss, and a statistic match draws a random number even when a later match
 * misses; every other match is free of side effects).
 */
export function requiredDst(r: Rule): number | undefined {
  for (const m of r.matches) {
    if (m.m === 'statistic') return undefined;
    if (m.m === 'dst' && !m.invert && m.net.prefixLen === 32) return m.net.ip >>> 0;
  }
  return undefined;
}

interface Plan {
  rules: readonly Rule[];
  length: number;
  runs: readonly RuleRun[];
}

// Rulesets are derived data, never edited once walked; the array identity and length are still
// checked, so a chain a test appends to is re-planned rather than walked stale.
const plans = new WeakMap<Chain, Plan>();

function plan(rules: readonly Rule[]): RuleRun[] {
  const keys = rules.map(requiredDst);
  const runs: RuleRun[] = [];
  const scan = (start: number, end: number) => {
    const prev = runs[runs.length - 1];
    if (prev && !prev.byDst) prev.end = end;
    else runs.push({ start, end });
  };
  let i = 0;
  while (i < rules.length) {
    let j = i;
    while (j < rules.length && keys[j] !== undefined) j++;
    if (j - i >= MIN_DST_RUN) {
      const byDst = new Map<number, number[]>();
      for (let k = i; k < j; k++) {
        const list = byDst.get(keys[k]!);
        if (list) list.push(k);
        else byDst.set(keys[k]!, [k]);
      }
      runs.push({ start: i, end: j, byDst });
      i = j;
    } else {
      // Too few to index: scanned, with the unkeyed rule that ended them.
      const end = Math.min(j + 1, rules.length);
      scan(i, end);
      i = end;
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
