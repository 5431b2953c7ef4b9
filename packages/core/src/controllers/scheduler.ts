// kube-scheduler, reduced to the plugins that decide placement in a lab cluster:
// filters NodeUnschedulable, TaintToleration (NoSchedule/NoExecute), NodeName, NodeAffinity
// (nodeSelector) and node readiness; scoring spreads a controller's pods over nodes
// (PodTopologySpread's default constraint) and then prefers the least loaded node.
// Ties are broken by a seeded draw, as the real scheduler picks at random among equal scores.

import type { Node, Pod } from '../api/types.js';
import { controllerOf } from '../state/meta.js';
import { listObjects } from '../state/store.js';
import type { ClusterState } from '../state/types.js';
import { seeded } from '../util/seeded.js';
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

export function reconcileScheduler(draft: ClusterState): boolean {
  const pending = (listObjects(draft, 'Pod') as Pod[]).filter((p) => !p.spec.nodeName && !p.metadata.deletionTimestamp);
  if (pending.length === 0) return false;
  // Load per node and per (node, controller), updated as we bind so one pass spreads well.
  const load = new Map<string, number>();
  const ownerLoad = new Map<string, number>();
  for (const p of listObjects(draft, 'Pod') as Pod[]) {
    if (!p.spec.nodeName) continue;
    load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1);
    const owner = controllerOf(p.metadata)?.uid;
    if (owner) ownerLoad.set(`${p.spec.nodeName}\u0000${owner}`, (ownerLoad.get(`${p.spec.nodeName}\u0000${owner}`) ?? 0) + 1);
  }
  // Older pods first, as the scheduling queue pops them.
  pending.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  let changed = false;
  for (const snapshot of pending) {
    const ns = snapshot.metadata.namespace ?? 'default';
    const pod = draft.pods[ns]?.[snapshot.metadata.name];
    if (!pod) continue;
    const reasons = new Map<string, number>();
    const feasible: Node[] = [];
    for (const name of draft.nodeOrder) {
      const node = draft.nodes[name];
      if (!node) continue;
      const why = filterNode(pod, node);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      else feasible.push(node);
    }
    if (feasible.length === 0) {
      const message = unschedulableMessage(draft.nodeOrder.length, reasons);
      const cond = pod.status.conditions?.find((c) => c.type === 'PodScheduled');
      if (!cond || cond.message !== message) {
        pod.status.conditions = [
          { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: new Date(draft.clock).toISOString().replace(/\.\d{3}Z$/, 'Z') },
        ];
        recordEvent(draft, pod, 'Warning', 'FailedScheduling', message, 'default-scheduler');
        changed = true;
      }
      continue;
    }
    const owner = controllerOf(pod.metadata)?.uid ?? '';
    let best: Node | undefined;
    let bestScore: [number, number, number] = [Infinity, Infinity, Infinity];
    for (const node of feasible) {
      const name = node.metadata.name;
      const score: [number, number, number] = [
        owner ? ownerLoad.get(`${name}\u0000${owner}`) ?? 0 : 0,
        load.get(name) ?? 0,
        seeded(draft.config.seed, 'schedule', pod.metadata.uid, name),
      ];
      if (score[0] < bestScore[0] || (score[0] === bestScore[0] && (score[1] < bestScore[1] || (score[1] === bestScore[1] && score[2] < bestScore[2])))) {
        best = node;
        bestScore = score;
      }
    }
    if (!best) continue;
    const nodeName = best.metadata.name;
    pod.spec.nodeName = nodeName;
    load.set(nodeName, (load.get(nodeName) ?? 0) + 1);
    if (owner) ownerLoad.set(`${nodeName}\u0000${owner}`, (ownerLoad.get(`${nodeName}\u0000${owner}`) ?? 0) + 1);
    pod.status.conditions = [];
    recordEvent(draft, pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${pod.metadata.name} to ${nodeName}`, 'default-scheduler');
    changed = true;
  }
  return changed;
}
