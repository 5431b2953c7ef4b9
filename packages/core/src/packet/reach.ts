// The NetworkPolicy reachability matrix (`netsim reach`): every source pod × every destination
// pod × every port, each cell the outcome of one `trace()` from the source to the destination's
// pod IP (not a Service), classified:
//
//   allowed      the packet reached the destination pod's network namespace: delivered, or
//                answered by its kernel because nothing listens there (RST, port unreachable) —
//                NetworkPolicy let it through, which is what the matrix is about;
//   denied       a NetworkPolicy decision dropped it (an enforcing CNI: canal's Felix);
//   unreachable  it failed for another reason (no route, a netfilter rule that is not a policy's).
//
// On a CNI that enforces no NetworkPolicy (plain Flannel) nothing is ever `denied`: a cell the
// policies would deny is `allowed` with `wouldDeny` naming them, since that is what the cluster
// does. Every cell carries the deciding policies: under enforcement the trace's decisions (the
// allowing policy and rule per direction, or the selecting policies none of whose rules allow);
// without, the same shape from the spec's pure evaluator (`evaluateNetworkPolicy`).
//
// Grouped by namespace, a row is a source namespace and its cell aggregates that namespace's
// source pods: their common status, or `mixed` when they differ, with the counts and the union of
// the policies named. The destination pod itself is not counted among its namespace's sources
// (unless it is the only one): a pod's traffic to itself is always let through. The pod cells are
// kept as well, so nothing is lost by grouping.
//
// Cost: one walk per class of equivalent pairs, not per cell: pairs with the same source and
// destination nodes, CNI plugins, listener on the port and (under canal) policy verdict in each
// direction take the same path, so the walker runs once per class and every other cell of the
// class is that trace with the pair's own names (its decisions from the spec's evaluator in the
// directions the dataplane judged, a drop's own end-of-tier rule). A property test checks it
// against walking every pair (`byTraces`). 1,000 pods on one port: a few seconds (`pnpm bench`).

import { notFound } from '../api/errors.js';
import type { Pod, Protocol } from '../api/types.js';
import { canalInstalled, denyingPolicies, evaluateNetworkPolicy, storedPolicies, type PolicyVerdict, type PolicyWorld } from '../state/networkpolicy.js';
import { nodeRuleset } from '../dataplane/netfilter/ruleset.js';
import { ruleSpec } from '../dataplane/netfilter/save.js';
import { tryParseIPv4 } from '../net/ipv4.js';
import { enforcedPolicy, onCalico, policyDecision } from './policy.js';
import { topology, type Topology } from './topology.js';
import type { ClusterState } from '../state/types.js';
import { isPlainObject, NetsimInputError, unknownKey } from './request.js';
import type { PolicyDecision, PolicyName, Proto, TraceResult, Verdict } from './types.js';
import { trace } from './walker.js';

/** How to build the matrix. */
export interface ReachOptions {
  /** Destination ports, each a layer of the matrix (default [80]; ignored for ICMP, which has none). */
  ports?: readonly number[];
  /** Default 'tcp'. */
  proto?: Proto;
  /** Rows: one per source pod (default), or one per source namespace. */
  groupBy?: 'pod' | 'namespace';
  /**
   * Namespaces whose pods are rows and columns. Default: every namespace but the system and
   * add-on ones (REACH_SYSTEM_NAMESPACES); `allNamespaces` takes them all.
   */
  namespaces?: readonly string[];
  allNamespaces?: boolean;
  /**
   * Walk every cell (one trace per pair and port) instead of one per class of equivalent pairs:
   * slower, and the definition the default is checked against.
   */
  byTraces?: boolean;
}

/** Namespaces left out by default: Kubernetes' own and the lab's add-ons. */
export const REACH_SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease', 'kube-flannel', 'metallb-system', 'ingress-nginx'];

export type ReachStatus = 'allowed' | 'denied' | 'unreachable';

/** A destination pod: a column. */
export interface ReachTarget {
  /** "ns/name". */
  pod: string;
  ip: string;
  node: string;
}

/** A pod left out of the matrix, and why. */
export interface ReachExcluded {
  pod: string;
  reason: 'hostNetwork' | 'no pod IP';
}

/** One source pod → destination pod → port. */
export interface ReachCell {
  /** Source pod, "ns/name". */
  from: string;
  /** Destination pod, "ns/name" (the packet goes to its pod IP). */
  to: string;
  /** Absent for ICMP. */
  port?: number;
  status: ReachStatus;
  /** The trace's verdict and reason, as `netsim trace` would print them. */
  verdict: Verdict;
  reason?: string;
  /** Whether a NetworkPolicy dataplane judged it (canal), rather than nobody (Flannel). */
  enforced: boolean;
  /**
   * The policies that denied it (`denied`) or, on a CNI that enforces none, would have — the
   * cell is `allowed` all the same, because the packet got through.
   */
  wouldDeny: PolicyName[];
  /**
   * Per direction judged (egress at the source first, then ingress at the destination): the
   * allowing policy and rule, or `deny` with the selecting policies. Empty when no policy selects
   * either end, or when the packet never reached a policy decision.
   */
  decisions: PolicyDecision[];
  /** Why a selected pod was not judged (from the trace's policy note). */
  note?: string;
}

/** One source namespace → destination pod → port: its source pods' cells together. */
export interface ReachGroupCell {
  /** Source namespace. */
  from: string;
  to: string;
  port?: number;
  /**
   * The status every source pod shares, or `mixed` — also when all are allowed but a policy
   * would deny only some of them (a CNI that enforces none).
   */
  status: ReachStatus | 'mixed';
  /** Source pods per status; `wouldDeny`: those of the allowed ones a policy would have denied. */
  counts: Record<ReachStatus | 'wouldDeny', number>;
  /** Union of the member cells' wouldDeny, in first-seen order. */
  wouldDeny: PolicyName[];
}

export interface ReachMatrix {
  proto: Proto;
  /** The port layers; empty for ICMP. */
  ports: number[];
  /** True when the CNI enforces NetworkPolicy (canal); false: `wouldDeny` only. */
  enforced: boolean;
  groupBy: 'pod' | 'namespace';
  /** Row labels: the source pods, or their namespaces when grouped. */
  rows: string[];
  /** Source pods ("ns/name"), in order. */
  sources: string[];
  columns: ReachTarget[];
  excluded: ReachExcluded[];
  /** sources × columns × ports, row-major (see `reachCell`). */
  cells: ReachCell[];
  /** With groupBy 'namespace': rows × columns × ports, row-major. */
  groups?: ReachGroupCell[];
}

const PROTOCOLS: Record<Proto, Protocol | 'ICMP'> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP', icmp: 'ICMP' };

function keyOf(p: Pod): string {
  return `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
}

const OPTION_KEYS = ['ports', 'proto', 'groupBy', 'namespaces', 'allNamespaces', 'byTraces'] as const;

function checkOptions(o: ReachOptions): void {
  if (!isPlainObject(o)) throw new NetsimInputError('options', o, 'must be an object { ports?, proto?, groupBy?, namespaces?, allNamespaces? }');
  for (const key in o)
    if (Object.hasOwn(o, key) && !(OPTION_KEYS as readonly string[]).includes(key)) throw unknownKey('options', key, (o as Record<string, unknown>)[key], OPTION_KEYS);
  if (o.ports !== undefined && !Array.isArray(o.ports)) throw new NetsimInputError('options.ports', o.ports, 'must be an array of port numbers');
  if (o.namespaces !== undefined && !Array.isArray(o.namespaces)) throw new NetsimInputError('options.namespaces', o.namespaces, 'must be an array of namespace names');
  if (o.allNamespaces !== undefined && typeof o.allNamespaces !== 'boolean') throw new NetsimInputError('options.allNamespaces', o.allNamespaces, 'must be a boolean');
  if (o.byTraces !== undefined && typeof o.byTraces !== 'boolean') throw new NetsimInputError('options.byTraces', o.byTraces, 'must be a boolean');
  for (const [i, p] of (o.ports ?? []).entries())
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new NetsimInputError(`options.ports[${i}]`, p, 'must be a port number from 1 to 65535');
  if (o.ports !== undefined && o.ports.length === 0) throw new NetsimInputError('options.ports', o.ports, 'must name at least one port');
  if (o.proto !== undefined && (typeof o.proto !== 'string' || !Object.hasOwn(PROTOCOLS, o.proto)))
    throw new NetsimInputError('options.proto', o.proto, 'must be one of tcp, udp, sctp, icmp');
  if (o.groupBy !== undefined && o.groupBy !== 'pod' && o.groupBy !== 'namespace') throw new NetsimInputError('options.groupBy', o.groupBy, 'must be "pod" or "namespace"');
}

/** The pods in scope, sorted by namespace then name, split into usable ones and the excluded. */
function podsInScope(state: ClusterState, o: ReachOptions): { pods: Pod[]; excluded: ReachExcluded[] } {
  const all = Object.keys(state.pods).sort();
  let namespaces: string[];
  if (o.namespaces?.length) {
    for (const [i, ns] of o.namespaces.entries())
      if (typeof ns !== 'string' || ns === '') throw new NetsimInputError(`options.namespaces[${i}]`, ns, 'must be a namespace name');
      else if (!Object.hasOwn(state.namespaces, ns) && !Object.hasOwn(state.pods, ns)) throw notFound('namespaces', ns);
    namespaces = [...new Set(o.namespaces)].sort();
  } else namespaces = o.allNamespaces ? all : all.filter((ns) => !REACH_SYSTEM_NAMESPACES.includes(ns));
  const pods: Pod[] = [];
  const excluded: ReachExcluded[] = [];
  for (const ns of namespaces) {
    const shard = state.pods[ns] ?? {};
    for (const name of Object.keys(shard).sort()) {
      const p = shard[name]!;
      if (p.spec.hostNetwork) excluded.push({ pod: keyOf(p), reason: 'hostNetwork' });
      else if (!p.status.podIP || !p.spec.nodeName) excluded.push({ pod: keyOf(p), reason: 'no pod IP' });
      else pods.push(p);
    }
  }
  return { pods, excluded };
}

/** Whether the packet reached `pod`'s network namespace (delivered, or its kernel answered). */
export function reachedPod(r: TraceResult, pod: string): boolean {
  if (r.verdict === 'delivered') return r.to?.pod === pod;
  const last = r.hops.at(-1);
  return r.verdict === 'rejected' && last?.kind === 'reject' && last.at.pod === pod;
}

/**
 * One cell from one trace: what `reach` does for every pair, exported so a single pair can be
 * judged the same way: `world` is `{ policies: storedPolicies(state), namespaces: state.namespaces }`,
 * `enforced` whether the CNI enforces NetworkPolicy (canal).
 */
export function reachCellOf(world: PolicyWorld, r: TraceResult, src: Pod, dst: Pod, port: number | undefined, enforced: boolean): ReachCell {
  return cellFrom(world, r, reachedPod(r, keyOf(dst)), src, dst, port, enforced);
}

function cellFrom(
  world: PolicyWorld,
  r: TraceResult,
  reached: boolean,
  src: Pod,
  dst: Pod,
  port: number | undefined,
  enforced: boolean,
  verdict?: PolicyVerdict,
  from = keyOf(src),
  to = keyOf(dst),
): ReachCell {
  const decisions = r.policy?.decisions ?? [];
  const denied = !reached && enforced && decisions.some((d) => d.verdict === 'deny');
  const cell: ReachCell = {
    from,
    to,
    ...(port !== undefined ? { port } : {}),
    status: reached ? 'allowed' : denied ? 'denied' : 'unreachable',
    verdict: r.verdict,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    enforced,
    wouldDeny: r.policy?.wouldDeny ?? [],
    decisions,
    ...(r.policy?.note !== undefined ? { note: r.policy.note } : {}),
  };
  // A pod reaching itself stays in its own network namespace: no policy judges it.
  if (!enforced && reached && world.policies.length > 0 && src !== dst) {
    // Nobody judged it: say what the spec would have (a refused connection's trace says nothing).
    const v = verdict ?? evaluateNetworkPolicy(world, { source: { pod: src }, destination: dst, port: port ?? 0, protocol: PROTOCOLS[r.proto] });
    cell.wouldDeny = denyingPolicies(v);
    const out: PolicyDecision[] = [];
    for (const [direction, d, pod] of [
      ['egress', v.egress, from],
      ['ingress', v.ingress, to],
    ] as const) {
      if (!d?.isolated) continue;
      out.push({
        direction,
        pod,
        verdict: d.allowed ? 'allow' : 'deny',
        ...(d.allowedBy ? { policy: d.allowedBy.policy, rule: d.allowedBy.rule } : {}),
        selectedBy: d.selectedBy,
      });
    }
    cell.decisions = out;
  }
  return cell;
}

/** The cell for one source, destination and port (port omitted for ICMP), or undefined. */
export function reachCell(m: ReachMatrix, from: string, to: string, port?: number): ReachCell | undefined {
  const r = m.sources.indexOf(from);
  const c = m.columns.findIndex((t) => t.pod === to);
  const layers = m.ports.length || 1;
  const p = m.ports.length ? m.ports.indexOf(port ?? -1) : 0;
  if (r < 0 || c < 0 || p < 0) return undefined;
  return m.cells[(r * m.columns.length + c) * layers + p];
}

function union(into: PolicyName[], more: readonly PolicyName[]): void {
  for (const n of more) if (!into.some((x) => x.namespace === n.namespace && x.name === n.name)) into.push(n);
}

function group(m: ReachMatrix, namespaces: string[]): ReachGroupCell[] {
  const out: ReachGroupCell[] = [];
  const layers: (number | undefined)[] = m.ports.length ? m.ports : [undefined];
  for (const ns of namespaces) {
    const members = m.sources.filter((s) => s.slice(0, s.indexOf('/')) === ns);
    for (const t of m.columns) {
      for (const port of layers) {
        const counts: ReachGroupCell['counts'] = { allowed: 0, denied: 0, unreachable: 0, wouldDeny: 0 };
        const wouldDeny: PolicyName[] = [];
        // A pod talking to itself says nothing about its namespace's access: left out, unless it is the only one.
        const others = members.length > 1 ? members.filter((s) => s !== t.pod) : members;
        for (const s of others) {
          const cell = reachCell(m, s, t.pod, port)!;
          counts[cell.status]++;
          if (cell.status === 'allowed' && cell.wouldDeny.length > 0) counts.wouldDeny++;
          union(wouldDeny, cell.wouldDeny);
        }
        const present = (['allowed', 'denied', 'unreachable'] as const).filter((k) => counts[k] > 0);
        const split = counts.wouldDeny > 0 && counts.wouldDeny < counts.allowed;
        out.push({ from: ns, to: t.pod, ...(port !== undefined ? { port } : {}), status: present.length === 1 && !split ? present[0]! : 'mixed', counts, wouldDeny });
      }
    }
  }
  return out;
}

/** One `trace()` per cell: the definition the class-memoised matrix is tested against. */
function cellsByTraces(state: ClusterState, pods: Pod[], layers: (number | undefined)[], proto: Proto, world: PolicyWorld, enforced: boolean): ReachCell[] {
  const cells: ReachCell[] = [];
  for (const src of pods) {
    for (const dst of pods) {
      for (const port of layers) {
        const r = trace(state, { from: { pod: keyOf(src) }, to: { ip: dst.status.podIP!, ...(port !== undefined ? { port } : {}) }, proto });
        cells.push(reachCellOf(world, r, src, dst, port, enforced));
      }
    }
  }
  return cells;
}

/**
 * The same cells with one trace per class of pairs: pairs that share the source and destination
 * nodes, both pods' CNI plugin, whether the destination listens on the port, and (under canal)
 * what the policies decide in each direction take the same path, so one walk stands for them
 * all; each cell then gets its own names — its decisions from the spec's evaluator in the
 * directions the dataplane judged on that path, and a drop's own end-of-tier rule as its reason.
 */
function cellsByClass(state: ClusterState, pods: Pod[], layers: (number | undefined)[], proto: Proto, world: PolicyWorld, enforced: boolean): ReachCell[] {
  const topo = topology(state);
  const policing = enforced && world.policies.length > 0;
  const protocol = PROTOCOLS[proto];
  const plugin = new Map(pods.map((p) => [p, onCalico(state, p) ? 'calico' : 'bridge'] as const));
  const keys = new Map(pods.map((p) => [p, keyOf(p)] as const));
  const verdictOf = verdictMemo(world, pods, layers.length);
  const memo: CellMemo = { decisions: new Map(), dropReasons: new Map() };
  const reps = new Map<string, { r: TraceResult; reached: boolean; src: Pod }>();
  const cells: ReachCell[] = [];
  for (const src of pods) {
    const from = keys.get(src)!;
    for (const dst of pods) {
      const to = keys.get(dst)!;
      const self = src === dst;
      for (let layer = 0; layer < layers.length; layer++) {
        const port = layers[layer];
        const listens = proto === 'icmp' || listening(topo, to, protocol as Protocol, port ?? 0, dst.status.podIP!);
        const v =
          world.policies.length > 0 && !self
            ? verdictOf(src, dst, layer, () => evaluateNetworkPolicy(world, { source: { pod: src }, destination: dst, port: port ?? 0, protocol }))
            : undefined;
        const eg = policing && v ? (v.egress?.isolated ? (v.egress.allowed ? 'allow' : 'deny') : 'none') : '-';
        const ing = policing && v ? (v.ingress.isolated ? (v.ingress.allowed ? 'allow' : 'deny') : 'none') : '-';
        const key = `${src.spec.nodeName}|${dst.spec.nodeName}|${plugin.get(src)}|${plugin.get(dst)}|${self}|${listens}|${port}|${eg}|${ing}`;
        const rep = reps.get(key);
        if (!rep) {
          const r = trace(state, { from: { pod: from }, to: { ip: dst.status.podIP!, ...(port !== undefined ? { port } : {}) }, proto });
          cells.push(reachCellOf(world, r, src, dst, port, enforced));
          reps.set(key, { r, reached: reachedPod(r, to), src });
          continue;
        }
        cells.push(cellLike(state, world, memo, rep, src, dst, to, port, enforced, v));
      }
    }
  }
  return cells;
}

/**
 * The spec's verdict for a pair, computed once per class of alike pairs: the evaluator reads a
 * pod's namespace, labels and named container ports (and its IP, when a policy has an ipBlock),
 * so pods alike in those get the same verdict from and to anyone.
 */
function verdictMemo(world: PolicyWorld, pods: Pod[], layers: number): (src: Pod, dst: Pod, layer: number, evaluate: () => PolicyVerdict) => PolicyVerdict {
  const byIp = world.policies.some((p) =>
    [...(p.spec.ingress ?? []).flatMap((r) => r.from ?? []), ...(p.spec.egress ?? []).flatMap((r) => r.to ?? [])].some((peer) => peer.ipBlock),
  );
  const ids = new Map<string, number>();
  const idOf = new Map<Pod, number>();
  for (const p of pods) {
    const labels = Object.entries(p.metadata.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const ports = p.spec.containers.map((c) => (c.ports ?? []).map((x) => [x.name, x.protocol, x.containerPort]));
    const sig = JSON.stringify([p.metadata.namespace ?? 'default', labels, ports, byIp ? p.status.podIP : null]);
    let id = ids.get(sig);
    if (id === undefined) ids.set(sig, (id = ids.size));
    idOf.set(p, id);
  }
  const n = ids.size;
  const memo = new Map<number, PolicyVerdict>();
  return (src, dst, layer, evaluate) => {
    const k = (idOf.get(src)! * n + idOf.get(dst)!) * layers + layer;
    let v = memo.get(k);
    if (!v) memo.set(k, (v = evaluate()));
    return v;
  };
}

/** What cells share: each pod's decision per direction and deciding rule, each chain's drop rule text. */
interface CellMemo {
  decisions: Map<string, PolicyDecision>;
  dropReasons: Map<string, string | undefined>;
}

/** Whether something in pod `key` listens on protocol/port at `ip` (the walker's delivery test). */
function listening(topo: Topology, key: string, protocol: Protocol, port: number, ip: string): boolean {
  const addr = tryParseIPv4(ip);
  return (topo.podListeners.get(key) ?? []).some((l) => l.protocol === protocol && l.port === port && (l.address === undefined || l.address === addr));
}

/** A pair's cell, on the path its class's representative took. */
function cellLike(
  state: ClusterState,
  world: PolicyWorld,
  memo: CellMemo,
  rep: { r: TraceResult; reached: boolean; src: Pod },
  src: Pod,
  dst: Pod,
  to: string,
  port: number | undefined,
  enforced: boolean,
  v: PolicyVerdict | undefined,
): ReachCell {
  const r: TraceResult = { ...rep.r };
  delete r.policy;
  if (r.to) r.to = { ...r.to, pod: to, ip: dst.status.podIP! };
  // The receiver saw the representative's source pod: it sees this one (pod to pod is not NATed).
  if (r.source && r.source.ip === rep.src.status.podIP) r.source = { ...r.source, ip: src.status.podIP! };
  if (enforced) {
    const decisions = (rep.r.policy?.decisions ?? []).map((d) => {
      const allowedBy = d.verdict === 'allow' ? (d.direction === 'egress' ? v?.egress?.allowedBy : v?.ingress.allowedBy) : undefined;
      const pod = d.direction === 'egress' ? src : dst;
      const key = `${pod.metadata.uid}|${d.direction}|${allowedBy ? `${allowedBy.policy.namespace}/${allowedBy.policy.name}#${allowedBy.rule}` : ''}`;
      let decision = memo.decisions.get(key);
      if (!decision) memo.decisions.set(key, (decision = policyDecision(state, world.policies, pod, d.direction, allowedBy)));
      return decision;
    });
    const denial = decisions.find((d) => d.verdict === 'deny');
    if (denial && r.reason?.startsWith('dropped by netfilter (')) {
      const node = (denial.direction === 'ingress' ? dst : src).spec.nodeName!;
      const reason = dropReason(state, memo, node, denial.chain);
      if (reason) r.reason = reason;
    }
    const policy = enforcedPolicy(state, src, r, decisions);
    if (policy) r.policy = policy;
  }
  return cellFrom(world, r, rep.reached, src, dst, port, enforced, v, keyOf(src), to);
}

/** `dropped by netfilter (RULE)` for the end-of-tier drop of a pod's endpoint chain on its node. */
function dropReason(state: ClusterState, memo: CellMemo, node: string, chainName: string | undefined): string | undefined {
  const key = `${node}|${chainName}`;
  if (memo.dropReasons.has(key)) return memo.dropReasons.get(key);
  const chain = nodeRuleset(state, node)
    .tables.find((t) => t.name === 'filter')
    ?.chains.find((c) => c.name === chainName);
  const rule = chain?.rules.find((x) => x.owner?.policy?.verdict === 'deny');
  const reason = chain && rule ? `dropped by netfilter (${ruleSpec(chain.name, rule)})` : undefined;
  memo.dropReasons.set(key, reason);
  return reason;
}

/**
 * The reachability matrix of the cluster as it is: each cell what one `trace()` from the source
 * pod to the destination pod IP and port gives (one walk per class of equivalent pairs; with
 * `byTraces`, one per cell). Throws NetsimInputError on a bad option, the API server's NotFound
 * on an unknown namespace.
 */
export function reach(state: ClusterState, options: ReachOptions = {}): ReachMatrix {
  checkOptions(options);
  const proto = options.proto ?? 'tcp';
  const ports = proto === 'icmp' ? [] : [...new Set(options.ports ?? [80])];
  const groupBy = options.groupBy ?? 'pod';
  const { pods, excluded } = podsInScope(state, options);
  const enforced = canalInstalled(state);
  const world: PolicyWorld = { policies: storedPolicies(state), namespaces: state.namespaces };
  const columns: ReachTarget[] = pods.map((p) => ({ pod: keyOf(p), ip: p.status.podIP!, node: p.spec.nodeName! }));
  const layers: (number | undefined)[] = ports.length ? ports : [undefined];
  const cells = options.byTraces ? cellsByTraces(state, pods, layers, proto, world, enforced) : cellsByClass(state, pods, layers, proto, world, enforced);
  const sources = pods.map(keyOf);
  const m: ReachMatrix = { proto, ports, enforced, groupBy, rows: sources, sources, columns, excluded, cells };
  if (groupBy === 'namespace') {
    const namespaces = [...new Set(pods.map((p) => p.metadata.namespace ?? 'default'))];
    m.rows = namespaces;
    m.groups = group(m, namespaces);
  }
  return m;
}
