// kube-scheduler, reduced to the plugins that decide placement in a lab cluster:
// filters NodeUnschedulable, TaintToleration (NoSchedule/NoExecute), NodeName, NodeAffinity
// (nodeSelector) and node readiness, then NodeResourcesFit's pod count (no CPU or memory
// requests: a node takes pods up to its allocatable `pods`, the kubelet's maxPods, 110 by
// default); scoring spreads a controller's pods over nodes (PodTopologySpread's default
// constraint) and then prefers the least loaded node.
// Ties are broken by a seeded draw, as the real scheduler picks at random among equal scores.
// In clusters of 100 nodes or more it stops at numFeasibleNodesToFind feasible nodes per pod.
// Preemption finds no victims: every pod has the default priority (no PriorityClass admission).

import type { Node, Pod } from '../api/types.js';
import { controllerOf } from '../state/meta.js';
import { putObject } from '../state/store.js';
import type { Change } from '../state/diff.js';
import type { ClusterState } from '../state/types.js';
import { seeded } from '../util/seeded.js';
import type { ControllerContext } from './context.js';
import { nodePositions, podCountsOnNode, podIndex } from './indexes.js';
import { recordEvent } from './events.js';
import { mapSelectorMatches, toleratesAll } from './selector.js';

/** Why a node cannot take the pod, in the scheduler's words; undefined when it can. */
export function filterNode(pod: Pod, node: Node): string | undefined {
  if (node.spec.unschedulable && !(pod.spec.tolerations ?? []).some((t) => t.key === 'node.kubernetes.io/unschedulable' && t.operator === 'Exists')) {
    return 'node(s) were unschedulable';
  }
  const taint = toleratesAll(pod.spec.tolerations, node.spec.taints, ['NoSchedule', 'NoExecute']);
  if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  if (!mapSelectorMatches(pod.spec.nodeSelector, node.metadata.labels)) return "node(s) didn't match Pod's node affinity/selector";
  return undefined;
}

/** NodeResourcesFit's reason when the node already runs its allocatable number of pods. */
export const TOO_MANY_PODS = 'Too many pods';

/** The kubelet's default --max-pods, which it reports as the node's capacity and allocatable `pods`. */
export const DEFAULT_MAX_PODS = 110;

/**
 * How many pods the node takes (NodeInfo.Allocatable.AllowedPodNumber): its allocatable `pods`;
 * a Node registered without a status gets what its kubelet reports, the default 110.
 */
export function allowedPodNumber(node: Node): number {
  const text = node.status?.allocatable?.pods ?? node.status?.capacity?.pods;
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : DEFAULT_MAX_PODS;
}

export { podCountsOnNode };

/**
 * PostFilter (DefaultPreemption) on the nodes the filters refused: where a filter said
 * UnschedulableAndUnresolvable (taints, affinity, unschedulable) preemption cannot help; where only
 * NodeResourcesFit refused, the dry run looks for lower-priority pods to evict and finds none.
 */
const PREEMPTION_REASON = (reason: string): string => (reason === TOO_MANY_PODS ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling');

/**
 * FailedScheduling message: FitError's histogram of filter reasons, then DefaultPreemption's
 * (`preemption: ` and its own FitError over the same nodes), each sorted as sort.Strings does.
 */
export function unschedulableMessage(total: number, reasons: Map<string, number>): string {
  const histogram = (m: Map<string, number>) =>
    [...m.entries()]
      .map(([r, n]) => `${n} ${r}`)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .join(', ');
  const preemption = new Map<string, number>();
  for (const [r, n] of reasons) {
    const p = PREEMPTION_REASON(r);
    preemption.set(p, (preemption.get(p) ?? 0) + n);
  }
  return `0/${total} nodes are available: ${histogram(reasons)}. preemption: 0/${total} nodes are available: ${histogram(preemption)}.`;
}

/**
 * How many feasible nodes the scheduler looks for before scoring (percentageOfNodesToScore
 * left at its adaptive default): all nodes below 100; otherwise 50% minus 1% per 125 nodes,
 * at least 5% and at least 100 nodes. The search resumes where the previous pod's stopped.
 */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < 100) return numAllNodes;
  const percentage = Math.max(5, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(100, Math.trunc((numAllNodes * percentage) / 100));
}

/** Whether a pod change frees a place on a node (a bound pod deleted, finished or replaced). */
function freesPlace(c: Change<Pod>): boolean {
  const b = c.before;
  if (!b?.spec.nodeName || !podCountsOnNode(b)) return false;
  const a = c.after;
  return !a || a.metadata.uid !== b.metadata.uid || a.spec.nodeName !== b.spec.nodeName || !podCountsOnNode(a);
}

/**
 * Pods waiting for a node: new or changed unscheduled pods; all of them when nodes changed or a
 * place on a node came free (NodeResourcesFit's Pod/Delete event requeues the unschedulable ones).
 */
function pendingPods(base: ClusterState, delta: ControllerContext['delta']): Pod[] {
  let pods: Iterable<Pod>;
  const changes = delta?.of('Pod');
  if (!delta || !changes || delta.nodes.length || delta.nodeOrderChanged || changes.some(freesPlace)) pods = podIndex(base.pods).unscheduled.values();
  else pods = changes.flatMap((c) => (c.after && !c.after.spec.nodeName ? [c.after] : []));
  // Older pods first, as the scheduling queue pops them.
  return [...pods].filter((p) => !p.spec.nodeName && !p.metadata.deletionTimestamp).sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
}

/** What filterNode reads from a pod: pods alike in this have the same feasible nodes. */
function schedulingSignature(pod: Pod): string {
  const { tolerations, nodeSelector } = pod.spec;
  return tolerations === undefined && nodeSelector === undefined ? '' : JSON.stringify([tolerations ?? null, nodeSelector ?? null]);
}

// The static filters' verdicts per pod signature and node index, kept while the nodes (and
// their order) are the same objects: a change that adds one pod looks at hundreds of nodes.
// Per node a code: UNKNOWN (not looked at yet), FITS, or the index of the filter's reason.
const UNKNOWN = -1;
const FITS = 0;

interface StaticVerdicts {
  code: Int32Array;
  /** reasons[code] for codes ≥ 1 (index 0 unused). */
  reasons: string[];
}

const verdictCache = new WeakMap<ClusterState['nodes'], { order: readonly string[]; bySignature: Map<string, StaticVerdicts> }>();

function staticVerdicts(base: ClusterState): Map<string, StaticVerdicts> {
  let v = verdictCache.get(base.nodes);
  if (v?.order !== base.nodeOrder) verdictCache.set(base.nodes, (v = { order: base.nodeOrder, bySignature: new Map() }));
  return v.bySignature;
}

function reasonCode(reasons: string[], reason: string): number {
  if (reasons.length === 0) reasons.push('');
  const at = reasons.indexOf(reason, 1);
  return at > 0 ? at : reasons.push(reason) - 1;
}

export function reconcileScheduler({ base, draft, delta }: ControllerContext): boolean {
  const pending = pendingPods(base, delta);
  if (pending.length === 0) return false;
  const index = podIndex(base.pods);
  const names = base.nodeOrder;
  const n = names.length;
  // Pods bound per node index (those that count against its `pods`), read when a node is first
  // looked at (-1: not yet), counted up as we bind: NodeResourcesFit's check and the load score.
  const load = new Int32Array(n).fill(-1);
  const podCount = (i: number): number => {
    let c = load[i]!;
    if (c < 0) c = load[i] = index.placesTaken.get(names[i]!) ?? 0;
    return c;
  };
  // Each node's allocatable pods (-1: not read yet).
  const allowed = new Int32Array(n).fill(-1);
  const room = (i: number): boolean => {
    let a = allowed[i]!;
    if (a < 0) a = allowed[i] = allowedPodNumber(base.nodes[names[i]!]!);
    return podCount(i) < a;
  };
  const position = nodePositions(names);
  // Per controller: its pods per node index (the spreading score).
  const ownerLoads = new Map<string, Map<number, number>>();
  const ownerLoad = (owner: string): Map<number, number> => {
    let m = ownerLoads.get(owner);
    if (!m) {
      ownerLoads.set(owner, (m = new Map()));
      for (const p of index.byOwner.get(owner)?.values() ?? []) {
        const i = p.spec.nodeName === undefined ? undefined : position.get(p.spec.nodeName);
        if (i !== undefined) m.set(i, (m.get(i) ?? 0) + 1);
      }
    }
    return m;
  };
  // Filter results per pod signature and node, filled in as nodes are first looked at. They are
  // the static filters' (taints, selector, unschedulable); the pod count, which changes as this
  // pass binds, is checked against `load` after them (NodeResourcesFit runs after NodeAffinity).
  const verdicts = staticVerdicts(base);
  const toFind = numFeasibleNodesToFind(n);
  let next = (base.scheduler?.nextStartNodeIndex ?? 0) % Math.max(1, n);
  let changed = false;
  const feasible: number[] = [];
  // The pending pod's controller's pods per node index, spread out of `ownerLoad` for the
  // scoring loop (a typed array read per feasible node, not a Map lookup), cleared after.
  const ownerOnNode = new Int32Array(n);
  for (const snapshot of pending) {
    const ns = snapshot.metadata.namespace ?? 'default';
    const sig = schedulingSignature(snapshot);
    let verdict = verdicts.get(sig);
    if (!verdict) verdicts.set(sig, (verdict = { code: new Int32Array(n).fill(UNKNOWN), reasons: [] }));
    const { code, reasons: why } = verdict;
    let reasons: Map<string, number> | undefined;
    feasible.length = 0;
    let processed = 0;
    for (; processed < n && feasible.length < toFind; processed++) {
      let i = next + processed;
      if (i >= n) i -= n;
      let c = code[i]!;
      if (c === UNKNOWN) {
        const node = base.nodes[names[i]!];
        const reason = node ? filterNode(snapshot, node) : 'node(s) not found';
        c = code[i] = reason === undefined ? FITS : reasonCode(why, reason);
      }
      if (c === FITS && room(i)) feasible.push(i);
      else {
        const reason = c === FITS ? TOO_MANY_PODS : why[c]!;
        (reasons ??= new Map()).set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
    if (n) next = (next + processed) % n;
    if (feasible.length === 0) {
      const message = unschedulableMessage(n, reasons ?? new Map());
      const cond = snapshot.status.conditions?.find((c) => c.type === 'PodScheduled');
      if (!cond || cond.message !== message) {
        const pod = draft.pods[ns]![snapshot.metadata.name]!;
        pod.status.conditions = [
          { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: new Date(base.clock).toISOString().replace(/\.\d{3}Z$/, 'Z') },
        ];
        recordEvent(draft, pod, 'Warning', 'FailedScheduling', message, 'default-scheduler');
        changed = true;
      }
      continue;
    }
    const owner = controllerOf(snapshot.metadata)?.uid ?? '';
    const spread = owner ? ownerLoad(owner) : undefined;
    if (spread) for (const [i, count] of spread) ownerOnNode[i] = count;
    // Best (spread, load); among equal scores one seeded draw picks, as selectHost samples
    // uniformly among the top-scored nodes.
    let best0 = Infinity;
    let best1 = Infinity;
    let ties = 0;
    for (let k = 0; k < feasible.length; k++) {
      const i = feasible[k]!;
      const s0 = ownerOnNode[i]!;
      if (s0 > best0) continue;
      const s1 = podCount(i);
      if (s0 === best0 && s1 > best1) continue;
      if (s0 < best0 || s1 < best1) {
        best0 = s0;
        best1 = s1;
        ties = 0;
      }
      // Reuse the front of `feasible` for the tied nodes (k ≥ ties always).
      feasible[ties++] = i;
    }
    if (spread) for (const i of spread.keys()) ownerOnNode[i] = 0;
    const chosen = feasible[seeded(base.config.seed, 'schedule', snapshot.metadata.uid) % ties]!;
    const nodeName = names[chosen]!;
    // The binding written as a new pod object: nothing else has written this pod in this pass.
    putObject(draft, { ...snapshot, spec: { ...snapshot.spec, nodeName }, status: { ...snapshot.status, conditions: [] } });
    load[chosen]!++;
    spread?.set(chosen, (spread.get(chosen) ?? 0) + 1);
    recordEvent(draft, snapshot, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${snapshot.metadata.name} to ${nodeName}`, 'default-scheduler');
    changed = true;
  }
  if (n >= 100 && (base.scheduler?.nextStartNodeIndex ?? 0) !== next) draft.scheduler = { nextStartNodeIndex: next };
  return changed;
}
