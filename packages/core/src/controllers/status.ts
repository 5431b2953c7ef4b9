// Status written back by the controllers (observed replicas, readiness counts).

import type { DaemonSet, Deployment, Pod, ReplicaSet } from '../api/types.js';
import { controllerOf } from '../state/meta.js';
import { groupBy } from '../util/group.js';
import { listObjects } from '../state/store.js';
import type { ClusterState } from '../state/types.js';

function isReady(p: Pod): boolean {
  return p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function setIfChanged<T extends object>(target: T, next: T): boolean {
  if (JSON.stringify(target) === JSON.stringify(next)) return false;
  for (const k of Object.keys(target)) delete (target as Record<string, unknown>)[k];
  Object.assign(target, next);
  return true;
}

export function reconcileStatus(draft: ClusterState): boolean {
  let changed = false;
  const podsByOwner = groupBy(listObjects(draft, 'Pod') as Pod[], (p) => controllerOf(p.metadata)?.uid);
  const rsByOwner = new Map<string, ReplicaSet[]>();
  for (const rs of listObjects(draft, 'ReplicaSet') as ReplicaSet[]) {
    const pods = podsByOwner.get(rs.metadata.uid) ?? [];
    const ready = pods.filter(isReady).length;
    const live = draft.replicaSets[rs.metadata.namespace ?? 'default']?.[rs.metadata.name];
    if (!live) continue;
    const next: ReplicaSet['status'] = { replicas: pods.length, observedGeneration: 1 };
    if (ready) Object.assign(next, { readyReplicas: ready, availableReplicas: ready });
    changed = setIfChanged(live.status, next) || changed;
    const uid = controllerOf(rs.metadata)?.uid;
    if (uid) {
      let l = rsByOwner.get(uid);
      if (!l) rsByOwner.set(uid, (l = []));
      l.push(live);
    }
  }
  for (const d of listObjects(draft, 'Deployment') as Deployment[]) {
    const live = draft.deployments[d.metadata.namespace ?? 'default']?.[d.metadata.name];
    if (!live) continue;
    const sets = rsByOwner.get(d.metadata.uid) ?? [];
    const replicas = sets.reduce((n, r) => n + r.status.replicas, 0);
    const ready = sets.reduce((n, r) => n + (r.status.readyReplicas ?? 0), 0);
    const current = sets.find((r) => r.spec.replicas === d.spec.replicas && r.spec.replicas > 0) ?? sets.find((r) => r.spec.replicas > 0);
    const next: Deployment['status'] = { observedGeneration: d.metadata.generation ?? 1, replicas, updatedReplicas: current?.status.replicas ?? 0 };
    if (ready) Object.assign(next, { readyReplicas: ready, availableReplicas: ready });
    if (replicas - ready > 0) next.unavailableReplicas = replicas - ready;
    changed = setIfChanged(live.status, next) || changed;
  }
  for (const ds of listObjects(draft, 'DaemonSet') as DaemonSet[]) {
    const live = draft.daemonSets[ds.metadata.namespace ?? 'default']?.[ds.metadata.name];
    if (!live) continue;
    const pods = podsByOwner.get(ds.metadata.uid) ?? [];
    const ready = pods.filter(isReady).length;
    const next: DaemonSet['status'] = {
      currentNumberScheduled: pods.length,
      desiredNumberScheduled: pods.length,
      numberReady: ready,
      numberAvailable: ready,
      updatedNumberScheduled: pods.length,
      numberMisscheduled: 0,
    };
    changed = setIfChanged(live.status, next) || changed;
  }
  return changed;
}
