// kube-scheduler, reduced to the plugins that decide placement in a lab cluster:
// filters NodeUnschedulable, TaintToleration (NoSchedule/NoExecute), NodeName, NodeAffinity
// (nodeSelector) and node readiness; scoring spreads a controller's pods over nodes
// (PodTopologySpread's default constraint) and then prefers the least loaded node.
// Ties are broken by a seeded draw, as the real scheduler picks at random among equal scores.
// In clusters of 100 nodes or more it stops at numFeasibleNodesToFind feasible nodes per pod.

import type { Node, Pod } from '../api/types.js';
import { controllerOf } from '../state/meta.js';
import type { ClusterState } from '../state/types.js';
import { seeded } from '../util/seeded.js';
import type { ControllerContext } from './context.js';
import { podIndex } from './indexes.js';
import { recordEvent } from './events.js';
import { mapSelectorMatches, toleratesAll } from './selector.js';

export function isNodeReady(node: Node): boolean {
  return node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Why a node cannot take the pod, in the scheduler's words; undefined when it can. */
export function filterNode(pod: Pod, node: Node): string | undefined {
  if (node.spec.unschedulable && !(pod.spec.tolerations ?? []).some((t) => t.key === 'node.kubernetes.io/unschedulable' && (t.operator === 'Exists'))) {
    return 'node(s) were unschedulable';
  }
  const taint = toleratesAll(pod.spec.tolerations, node.spec.taints, ['NoSchedule', 'NoExecute']);
  if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  if (!mapSelectorMatches(pod.spec.nodeSelector, node.metadata.labels)) return "node(s) didn't match Pod's node affinity/selector";
  return undefined;
}

/** FailedScheduling message, grouped by reason and sorted as the framework's FitError does. */
export function unschedulableMessage(total: number, reasons: Map<string, number>): string {
  const parts = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
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

/** Pods waiting for a node: new or changed unscheduled pods, or all of them when nodes changed. */
function pendingPods(base: ClusterState, delta: ControllerContext['delta']): Pod[] {
  let pods: Iterable<Pod>;
  if (!delta || delta.nodes.length || delta.nodeOrderChanged) pods = podIndex(base.pods).unscheduled.values();
  else pods = delta.of('Pod').flatMap((c) => (c.after && !c.after.spec.nodeName ? [c.after] : []));
  // Older pods first, as the scheduling queue pops them.
  return [...pods].filter((p) => !p.spec.nodeName && !p.metadata.deletionTimestamp).sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
}

export function reconcileScheduler({ base, draft, delta }: ControllerContext): boolean {
  const pending = pendingPods(base, delta);
  if (pending.length === 0) return false;
  const index = podIndex(base.pods);
  // Pods per node, and per (node, controller), counted as we bind so one pass spreads well.
  const load = new Map<string, number>();
  const ownerLoads = new Map<string, Map<string, number>>();
  const loadOf = (node: string) => load.get(node) ?? index.byNode.get(node)?.size ?? 0;
  const ownerLoad = (owner: string): Map<string, number> => {
    let m = ownerLoads.get(owner);
    if (!m) {
      ownerLoads.set(owner, (m = new Map()));
      for (const p of index.byOwner.get(owner)?.values() ?? []) if (p.spec.nodeName) m.set(p.spec.nodeName, (m.get(p.spec.nodeName) ?? 0) + 1);
    }
    return m;
  };
  const nodes = base.nodeOrder;
  const toFind = numFeasibleNodesToFind(nodes.length);
  let next = (base.scheduler?.nextStartNodeIndex ?? 0) % Math.max(1, nodes.length);
  let changed = false;
  for (const snapshot of pending) {
    const ns = snapshot.metadata.namespace ?? 'default';
    const reasons = new Map<string, number>();
    const feasible: Node[] = [];
    let processed = 0;
    for (; processed < nodes.length && feasible.length < toFind; processed++) {
      const node = base.nodes[nodes[(next + processed) % nodes.length]!];
      if (!node) continue;
      const why = filterNode(snapshot, node);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      else feasible.push(node);
    }
    if (nodes.length) next = (next + processed) % nodes.length;
    if (feasible.length === 0) {
      const message = unschedulableMessage(nodes.length, reasons);
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
    // Best (spread, load); among equal scores one seeded draw picks, as selectHost samples
    // uniformly among the top-scored nodes.
    let best0 = Infinity;
    let best1 = Infinity;
    let ties: Node[] = [];
    for (const node of feasible) {
      const name = node.metadata.name;
      const s0 = spread?.get(name) ?? 0;
      if (s0 > best0) continue;
      const s1 = loadOf(name);
      if (s0 === best0 && s1 > best1) continue;
      if (s0 < best0 || s1 < best1) {
        best0 = s0;
        best1 = s1;
        ties = [];
      }
      ties.push(node);
    }
    const best = ties.length ? ties[seeded(base.config.seed, 'schedule', snapshot.metadata.uid) % ties.length] : undefined;
    if (!best) continue;
    const nodeName = best.metadata.name;
    const pod = draft.pods[ns]![snapshot.metadata.name]!;
    pod.spec.nodeName = nodeName;
    load.set(nodeName, loadOf(nodeName) + 1);
    spread?.set(nodeName, (spread.get(nodeName) ?? 0) + 1);
    pod.status.conditions = [];
    recordEvent(draft, pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${pod.metadata.name} to ${nodeName}`, 'default-scheduler');
    changed = true;
  }
  if (nodes.length >= 100 && (base.scheduler?.nextStartNodeIndex ?? 0) !== next) draft.scheduler = { nextStartNodeIndex: next };
  return changed;
}
