// Expected connectivity as upstream states it (test/e2e/network/netpol/reachability.go): a truth
// table over the model's pods, from → to, started all-true or all-false and then edited by
// `expectPeer` (namespace and/or pod wildcards), `expectAllIngress`, `expectAllEgress` and
// `expect`, in the order the upstream test calls them; later calls overwrite earlier ones.

import { MODEL_PODS, type ConformanceProtocol, type ModelPod, podKey } from './model.js';

/** from "x/a" → to "y/b" → allowed. */
export type TruthTable = Readonly<Record<string, Readonly<Record<string, boolean>>>>;

/** Upstream's Peer: an absent namespace or pod matches every one. */
export interface PeerMatch {
  namespace?: string;
  pod?: string;
}

function matches(m: PeerMatch, p: ModelPod): boolean {
  return (m.namespace === undefined || m.namespace === p.namespace) && (m.pod === undefined || m.pod === p.name);
}

/** A mutable builder; `table()` copies out the result. */
export class Reachability {
  private readonly cells: Record<string, Record<string, boolean>> = {};

  constructor(initial: boolean) {
    for (const f of MODEL_PODS) {
      const row: Record<string, boolean> = {};
      for (const t of MODEL_PODS) row[podKey(t)] = initial;
      this.cells[podKey(f)] = row;
    }
  }

  /** One cell: `from` and `to` are "ns/pod". */
  expect(from: string, to: string, allowed: boolean): this {
    const row = this.cells[from];
    if (!row || !(to in row)) throw new Error(`not a model pod pair: ${from} -> ${to}`);
    row[to] = allowed;
    return this;
  }

  /** Every cell whose source matches `from` and destination matches `to`. */
  expectPeer(from: PeerMatch, to: PeerMatch, allowed: boolean): this {
    for (const f of MODEL_PODS) if (matches(from, f)) for (const t of MODEL_PODS) if (matches(to, t)) this.cells[podKey(f)]![podKey(t)] = allowed;
    return this;
  }

  /** Every cell into `pod` ("ns/pod"). */
  expectAllIngress(pod: string, allowed: boolean): this {
    for (const f of MODEL_PODS) this.expect(podKey(f), pod, allowed);
    return this;
  }

  /** Every cell out of `pod` ("ns/pod"). */
  expectAllEgress(pod: string, allowed: boolean): this {
    for (const t of MODEL_PODS) this.expect(pod, podKey(t), allowed);
    return this;
  }

  table(): TruthTable {
    return Object.fromEntries(Object.entries(this.cells).map(([f, row]) => [f, { ...row }]));
  }
}

/** A verdict source: would `from` reach `to` on port/protocol? */
export type ConnectivityJudge = (from: ModelPod, to: ModelPod, port: number, protocol: ConformanceProtocol) => boolean;

export interface ConformanceMismatch {
  port: number;
  protocol: ConformanceProtocol;
  from: string;
  to: string;
  expected: boolean;
  actual: boolean;
}

/** What `judgeCase` needs of a case (ConformanceCase has it). */
export interface JudgedCase {
  probes: readonly { port: number; protocol: ConformanceProtocol }[];
  expected: readonly TruthTable[];
}

/**
 * Ask `judge` about every probe × pod pair of the case and list where it disagrees with the
 * expected table. Upstream never fails on loopback (a pod to itself: ignoreLoopback in
 * network_policy.go, since plugins differ); `ignoreLoopback: true` skips those cells too. By
 * default they are compared, as the tables state them.
 */
export function judgeCase(c: JudgedCase, judge: ConnectivityJudge, options: { ignoreLoopback?: boolean } = {}): ConformanceMismatch[] {
  if (c.expected.length !== c.probes.length) throw new Error(`${c.probes.length} probes but ${c.expected.length} expected tables`);
  const out: ConformanceMismatch[] = [];
  for (const [i, { port, protocol }] of c.probes.entries()) {
    const table = c.expected[i]!;
    for (const from of MODEL_PODS) {
      for (const to of MODEL_PODS) {
        if (options.ignoreLoopback && podKey(from) === podKey(to)) continue;
        const expected = table[podKey(from)]?.[podKey(to)];
        if (expected === undefined) throw new Error(`no expectation for ${podKey(from)} -> ${podKey(to)}`);
        const actual = judge(from, to, port, protocol);
        if (actual !== expected) out.push({ port, protocol, from: podKey(from), to: podKey(to), expected, actual });
      }
    }
  }
  return out;
}
