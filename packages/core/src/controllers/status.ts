// Status written back by the controllers (observed replicas, readiness counts).

import type { DaemonSet, Deployment, Pod, ReplicaSet } from '../api/types.js';
import { changedKeys, changedOwners } from '../state/diff.js';
import { controllerOf } from '../state/meta.js';
import { sameOrderedData } from '../util/canonical.js';
import { reconcileTargets, type ControllerContext } from './context.js';
import { namesByController, podIndex } from './indexes.js';
import { daemonTemplateHash } from './workloads.js';

function isReady(p: Pod): boolean {
  return p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function reconcileStatus({ base, draft, delta }: ControllerContext): boolean {
  let changed = false;
  const index = podIndex(base.pods);
  const podsOf = (uid: string) => [...(index.byOwner.get(uid)?.values() ?? [])];
  const rsKeys = delta && changedOwners(delta.of('Pod'), 'ReplicaSet', changedKeys(delta.of('ReplicaSet')));
  // A Deployment sums its ReplicaSets: recount those whose sets changed (or are recounted now).
  const deploymentKeys = delta && changedOwners(delta.of('ReplicaSet'), 'Deployment', changedKeys(delta.of('Deployment')));
  const rsStatus = new Map<ReplicaSet, ReplicaSet['status']>();
  for (const rs of reconcileTargets(base, 'ReplicaSet', rsKeys)) {
    const pods = podsOf(rs.metadata.uid);
    const ready = pods.filter(isReady).length;
    const next: ReplicaSet['status'] = { replicas: pods.length, observedGeneration: 1 };
    if (ready) Object.assign(next, { readyReplicas: ready, availableReplicas: ready });
    rsStatus.set(rs, next);
    if (!sameOrderedData(rs.status, next)) {
      draft.replicaSets[rs.metadata.namespace ?? 'default']![rs.metadata.name]!.status = next;
      changed = true;
      const ref = controllerOf(rs.metadata);
      if (deploymentKeys && ref?.kind === 'Deployment') deploymentKeys.add(`${rs.metadata.namespace ?? 'default'}/${ref.name}`);
    }
  }
  for (const d of reconcileTargets(base, 'Deployment', deploymentKeys)) {
    const ns = d.metadata.namespace ?? 'default';
    const shard = base.replicaSets[ns];
    const sets = (namesByController(shard).get(d.metadata.uid) ?? [])
      .map((n) => shard![n]!)
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
      .map((r) => ({ spec: r.spec, status: rsStatus.get(r) ?? r.status }));
    const replicas = sets.reduce((n, r) => n + r.status.replicas, 0);
    const ready = sets.reduce((n, r) => n + (r.status.readyReplicas ?? 0), 0);
    const current = sets.find((r) => r.spec.replicas === d.spec.replicas && r.spec.replicas > 0) ?? sets.find((r) => r.spec.replicas > 0);
    const next: Deployment['status'] = { observedGeneration: d.metadata.generation ?? 1, replicas, updatedReplicas: current?.status.replicas ?? 0 };
    if (ready) Object.assign(next, { readyReplicas: ready, availableReplicas: ready });
    if (replicas - ready > 0) next.unavailableReplicas = replicas - ready;
    if (!sameOrderedData(d.status, next)) {
      draft.deployments[ns]![d.metadata.name]!.status = next;
      changed = true;
    }
  }
  const dsKeys = delta && changedOwners(delta.of('Pod'), 'DaemonSet', changedKeys(delta.of('DaemonSet')));
  for (const ds of reconcileTargets(base, 'DaemonSet', dsKeys)) {
    const pods = podsOf(ds.metadata.uid);
    const ready = pods.filter(isReady).length;
    const next: DaemonSet['status'] = {
      currentNumberScheduled: pods.length,
      desiredNumberScheduled: pods.length,
      numberReady: ready,
      numberAvailable: ready,
      updatedNumberScheduled: pods.filter((p) => {
        const rev = p.metadata.labels?.['controller-revision-hash'];
        return rev === undefined || rev === daemonTemplateHash(ds);
      }).length,
      numberMisscheduled: 0,
    };
    if (!sameOrderedData(ds.status, next)) {
      draft.daemonSets[ds.metadata.namespace ?? 'default']![ds.metadata.name]!.status = next;
      changed = true;
    }
  }
  return changed;
}
