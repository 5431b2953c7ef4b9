// kube-controller-manager's workload controllers: Deployment → ReplicaSet → Pod, and DaemonSet → Pod.
// Rollouts are instantaneous (the new ReplicaSet takes all replicas at once, old ones go to 0);
// the objects, names, labels and owner references are what the real controllers write.
//
// The ReplicaSet controller creates or deletes at most burstReplicas (500) pods per sync, in
// slow-start batches of 1, 2, 4, … (replica_set.go manageReplicas, slowStartBatch); a sync cut
// short records expectations, and the ReplicaSet waits until they are observed. Here that is the
// next step of the simulated clock: a ReplicaSet of 100,000 replicas gets 500 pods per step (one
// per shell command, or per `sleep`), never all of them in one transition.

import { isDraft } from 'immer';
import { plainCopy } from '../util/clone.js';
import type { DaemonSet, Node, Pod, PodTemplateSpec, ReplicaSet, Toleration } from '../api/types.js';
import { controllerOf, controllerRef, createMeta } from '../state/meta.js';
import { canonicalJson } from '../util/canonical.js';
import { listObjects, putObject, removeObject, splitObjectKey } from '../state/store.js';
import { changedKeys, changedOwners, type Change } from '../state/diff.js';
import type { ClusterState } from '../state/types.js';
import { fnv1a32, safeEncodeString, seeded, seededSuffix } from '../util/seeded.js';
import { mapSelectorMatches, toleratesAll } from './selector.js';
import { recordEvent } from './events.js';
import { reconcileTargets, type ControllerContext } from './context.js';
import { inNodeOrder, namesByController, podIndex, type PodIndex } from './indexes.js';

/**
 * pod-template-hash: FNV-32a of the template, printed in decimal and SafeEncoded, as
 * controller.ComputeHash does. (Kubernetes hashes Go's spew dump of the struct, which we cannot
 * reproduce byte for byte, so the value differs from a real cluster's; its shape is the same.)
 */
export function podTemplateHash(template: PodTemplateSpec, collisionCount = 0): string {
  return safeEncodeString(String(fnv1a32(canonicalJson(template) + (collisionCount ? String(collisionCount) : ''))));
}

/** A free `<prefix><5 chars>` name in the namespace, drawn from the seed and the draw counter. */
function generateName(draft: ClusterState, prefix: string, namespace: string, purpose: string): string {
  for (let attempt = 0; ; attempt++) {
    const name = prefix + seededSuffix(draft.config.seed, 5, purpose, draft.resourceVersion, attempt);
    if (!draft.pods[namespace]?.[name]) return name;
  }
}

function newPodFromTemplate(
  draft: ClusterState,
  template: PodTemplateSpec,
  namespace: string,
  prefix: string,
  owner: { apiVersion: string; kind: string; meta: ReplicaSet['metadata'] },
  extraTolerations: Toleration[] = [],
  nodeName?: string,
): Pod {
  const name = generateName(draft, prefix, namespace, `${owner.kind}/${owner.meta.uid}`);
  // The pod's spec is its own object, its parts (containers, volumes, …) the template's: states
  // are immutable, so thousands of replicas can share them (a draft template is copied first).
  const spec = { ...(isDraft(template) ? plainCopy(template.spec) : template.spec) };
  if (nodeName) spec.nodeName = nodeName;
  if (extraTolerations.length) spec.tolerations = [...(spec.tolerations ?? []), ...extraTolerations];
  const metadata = createMeta(draft, 'Pod', {
    name,
    namespace,
    generateName: prefix,
    labels: template.metadata.labels,
    annotations: template.metadata.annotations,
    ownerReferences: [controllerRef(owner.apiVersion, owner.kind, owner.meta)],
  });
  // The template's labels and annotations themselves, like its spec's parts.
  if (!isDraft(template)) {
    if (metadata.labels) metadata.labels = template.metadata.labels!;
    if (metadata.annotations) metadata.annotations = template.metadata.annotations!;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec,
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}

/** Deployment controller: one ReplicaSet per template hash; the current one gets all replicas. */
export function reconcileDeployments({ base, draft, delta }: ControllerContext): boolean {
  let changed = false;
  const dirty = delta && changedKeys(delta.of('Deployment'), changedOwners(delta.of('ReplicaSet'), 'Deployment'));
  for (const d of reconcileTargets(base, 'Deployment', dirty)) {
    const ns = d.metadata.namespace ?? 'default';
    const hash = podTemplateHash(d.spec.template);
    const rsName = `${d.metadata.name}-${hash}`;
    const shard = base.replicaSets[ns];
    const owned = (namesByController(shard).get(d.metadata.uid) ?? []).map((n) => shard![n]!).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const revision = String(owned.length ? Math.max(...owned.map((r) => Number(r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0))) : 0);
    if (!owned.some((r) => r.metadata.name === rsName)) {
      const labels = { ...(d.spec.template.metadata.labels ?? {}), 'pod-template-hash': hash };
      const template: PodTemplateSpec = plainCopy(d.spec.template);
      template.metadata.labels = labels;
      const rs: ReplicaSet = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: createMeta(draft, 'ReplicaSet', {
          name: rsName,
          namespace: ns,
          labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
            'deployment.kubernetes.io/max-replicas': String(d.spec.replicas + 1),
            'deployment.kubernetes.io/revision': String(Number(revision) + 1),
          },
          ownerReferences: [controllerRef('apps/v1', 'Deployment', d.metadata)],
        }),
        spec: {
          replicas: d.spec.replicas,
          selector: {
            ...d.spec.selector,
            matchLabels: { ...(d.spec.selector.matchLabels ?? {}), 'pod-template-hash': hash },
          },
          template,
        },
        status: { replicas: 0 },
      };
      putObject(draft, rs);
      recordEvent(draft, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${d.spec.replicas}`, 'deployment-controller');
      changed = true;
    }
    for (const rs of owned) {
      const want = rs.metadata.name === rsName ? d.spec.replicas : 0;
      if (rs.spec.replicas !== want) {
        const live = draft.replicaSets[ns]![rs.metadata.name]!;
        const verb = want > live.spec.replicas ? 'up' : 'down';
        recordEvent(draft, d, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} replica set ${rs.metadata.name} from ${live.spec.replicas} to ${want}`, 'deployment-controller');
        live.spec.replicas = want;
        if (live.metadata.annotations) live.metadata.annotations['deployment.kubernetes.io/desired-replicas'] = String(d.spec.replicas);
        changed = true;
      }
    }
    // Old ReplicaSets beyond revisionHistoryLimit are garbage-collected.
    const old = owned.filter((r) => r.metadata.name !== rsName && r.spec.replicas === 0);
    if (old.length > d.spec.revisionHistoryLimit) {
      old.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
      for (const r of old.slice(0, old.length - d.spec.revisionHistoryLimit)) {
        removeObject(draft, 'ReplicaSet', ns, r.metadata.name);
        changed = true;
      }
    }
  }
  return changed;
}

/** Deletion ranking (controller.ActivePods, simplified): unscheduled, then not running, then newest. */
function deletionRank(p: Pod): [number, number, number] {
  return [p.spec.nodeName ? 1 : 0, p.status.phase === 'Running' ? 1 : 0, -Number(p.metadata.resourceVersion)];
}

function compareRank(a: Pod, b: Pod): number {
  const ra = deletionRank(a);
  const rb = deletionRank(b);
  for (let i = 0; i < 3; i++) if ((ra[i] ?? 0) !== (rb[i] ?? 0)) return (ra[i] ?? 0) - (rb[i] ?? 0);
  return a.metadata.name < b.metadata.name ? -1 : 1;
}

/** Pods a controller owns that still count (not terminating or finished). */
function activePods(index: PodIndex, uid: string): Pod[] {
  return [...(index.byOwner.get(uid)?.values() ?? [])].filter((p) => !p.metadata.deletionTimestamp && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed');
}

/** The ReplicaSet controller's cap on creations or deletions per sync (replicaset.BurstReplicas). */
export const BURST_REPLICAS = 500;

/** controller.SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/**
 * replica_set.go slowStartBatch: call `fn` `count` times in batches of `initialBatchSize`, then
 * twice as many each time, stopping after the first batch with a failure; returns the successes.
 * (Creations never fail here, so a sync makes all of them; the batches keep the real order.)
 */
export function slowStartBatch(count: number, initialBatchSize: number, fn: () => boolean): number {
  let remaining = count;
  let successes = 0;
  for (let batchSize = Math.min(remaining, initialBatchSize); batchSize > 0; batchSize = Math.min(2 * batchSize, remaining)) {
    let failed = false;
    for (let i = 0; i < batchSize; i++) {
      if (fn()) successes++;
      else failed = true;
    }
    if (failed) return successes;
    remaining -= batchSize;
  }
  return successes;
}

/**
 * When the ReplicaSet controller next has work that only the clock brings (controllers/timers.ts):
 * a ReplicaSet whose sync was cut at BURST_REPLICAS goes on at the next step of the clock. One
 * waiting because the kubelet rejected the pods it just created (OutOfpods, for pods bound by
 * nodeName to a full node) would create and lose pods at every step, as the real controller does:
 * that is not work time completes, and does not count. Undefined: nothing pending.
 */
export function replicaSetTimer(state: ClusterState): number | undefined {
  const waiting = state.replicaSetExpectations;
  for (const key in waiting) {
    const { namespace: ns, name } = splitObjectKey(key);
    const rs = state.replicaSets[ns]?.[name];
    if (!rs) continue;
    // Pods carry their creation time to the second.
    const since = Math.floor(waiting[key]! / 1000) * 1000;
    const shard = state.pods[ns];
    const rejected = (namesByController(shard).get(rs.metadata.uid) ?? []).some((n) => {
      const p = shard![n]!;
      return p.status.phase === 'Failed' && Date.parse(p.metadata.creationTimestamp ?? '') >= since;
    });
    if (!rejected) return state.clock + 1;
  }
  return undefined;
}

/**
 * ReplicaSet controller: create or delete pods until the owned count equals spec.replicas, at
 * most BURST_REPLICAS per sync. A sync cut short waits for the next step of the clock.
 */
export function reconcileReplicaSets(ctx: ControllerContext): boolean {
  const { base, draft, delta } = ctx;
  let changed = false;
  const index = podIndex(base.pods);
  const waiting = base.replicaSetExpectations;
  const dirty = delta && changedKeys(delta.of('ReplicaSet'), changedOwners(delta.of('Pod'), 'ReplicaSet'));
  // The clock moved on: the ReplicaSets that were waiting have observed their last sync.
  if (dirty && delta.clockChanged && waiting) {
    for (const key in waiting) {
      const at = splitObjectKey(key);
      if (base.replicaSets[at.namespace]?.[at.name]) dirty.add(key);
      else delete draft.replicaSetExpectations![key];
    }
  }
  // ReplicaSets whose pods the kubelet has just failed (rejected at admission: OutOfpods). The
  // controller hears of it at the next step of the clock; replacing them at once would create and
  // lose a pod in every round for a ReplicaSet pinned (spec.nodeName) to a full node.
  const failedNow = new Set<string>();
  for (const c of delta?.of('Pod') ?? []) {
    if (c.after?.status.phase !== 'Failed' || c.before?.status.phase === 'Failed') continue;
    const ref = controllerOf(c.after.metadata);
    if (ref?.kind === 'ReplicaSet') failedNow.add(`${c.namespace}/${ref.name}`);
  }
  for (const rs of reconcileTargets(base, 'ReplicaSet', dirty)) {
    const ns = rs.metadata.namespace ?? 'default';
    const key = `${ns}/${rs.metadata.name}`;
    const at = waiting?.[key];
    // Expectations not yet met: no sync until the clock moves on.
    if (at !== undefined && at >= base.clock) continue;
    const pods = activePods(index, rs.metadata.uid);
    const diff = rs.spec.replicas - pods.length;
    if (diff > 0 && failedNow.has(key)) {
      (draft.replicaSetExpectations ??= {})[key] = base.clock;
      changed = true;
      continue;
    }
    let cut = false;
    if (diff > 0) {
      const toCreate = Math.min(diff, BURST_REPLICAS);
      cut = diff > toCreate;
      slowStartBatch(toCreate, SLOW_START_INITIAL_BATCH_SIZE, () => {
        const pod = newPodFromTemplate(draft, rs.spec.template, ns, `${rs.metadata.name}-`, {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          meta: rs.metadata,
        });
        putObject(draft, pod);
        recordEvent(draft, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'replicaset-controller');
        return true;
      });
      changed = true;
    } else if (diff < 0) {
      const toDelete = Math.min(-diff, BURST_REPLICAS);
      cut = -diff > toDelete;
      for (const p of pods.sort(compareRank).slice(0, toDelete)) {
        removeObject(draft, 'Pod', ns, p.metadata.name);
        recordEvent(draft, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'replicaset-controller');
      }
      changed = true;
    }
    if (cut) (draft.replicaSetExpectations ??= {})[key] = base.clock;
    else if (at !== undefined) delete draft.replicaSetExpectations![key];
  }
  // Expectations of ReplicaSets that are gone (or replaced by a new one of the same name).
  if (waiting) {
    for (const c of delta?.of('ReplicaSet') ?? []) {
      const key = `${c.namespace}/${c.name}`;
      if (c.before && c.after?.metadata.uid !== c.before.metadata.uid && waiting[key] !== undefined && waiting[key] === draft.replicaSetExpectations?.[key]) {
        delete draft.replicaSetExpectations[key];
      }
    }
    if (draft.replicaSetExpectations && Object.keys(draft.replicaSetExpectations).length === 0) delete draft.replicaSetExpectations;
  }
  // Garbage collector: pods whose controlling ReplicaSet is gone.
  changed = collectOrphans(ctx, index, 'ReplicaSet') || changed;
  return changed;
}

/** The tolerations the DaemonSet controller adds to every daemon pod (util.AddOrUpdateDaemonPodTolerations). */
function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** Whether a daemon pod should run on the node (taints and nodeSelector, as the DS controller checks). */
export function daemonShouldRun(ds: DaemonSet, node: Node, tolerations = daemonPodTolerations(ds)): boolean {
  if (!mapSelectorMatches(ds.spec.template.spec.nodeSelector, node.metadata.labels)) return false;
  return !node.spec.taints?.length || toleratesAll(tolerations, node.spec.taints, ['NoSchedule', 'NoExecute']) === undefined;
}

/** Whether a node change can change which daemon pods belong on it. */
function placementChanged(c: Change<Node>): boolean {
  return !c.before || !c.after || c.before.metadata.labels !== c.after.metadata.labels || c.before.spec.taints !== c.after.spec.taints;
}

/** A daemon pod's tolerations: its template's and the ones the controller adds. */
function daemonPodTolerations(ds: DaemonSet): Toleration[] {
  const spec = ds.spec.template.spec;
  return [...(spec.tolerations ?? []), ...daemonTolerations(spec.hostNetwork ?? false)];
}

const dsTemplates = new WeakMap<DaemonSet, { hash: string; template: PodTemplateSpec }>();

/**
 * The template a DaemonSet's pods are created from: its own, labelled as the controller labels
 * daemon pods — `controller-revision-hash` (the template's hash, as for a ControllerRevision) and
 * `pod-template-generation`.
 */
function daemonTemplate(ds: DaemonSet): { hash: string; template: PodTemplateSpec } {
  let t = dsTemplates.get(ds);
  if (!t) {
    const hash = podTemplateHash(ds.spec.template);
    const template: PodTemplateSpec = {
      ...ds.spec.template,
      metadata: {
        ...ds.spec.template.metadata,
        labels: { 'controller-revision-hash': hash, ...(ds.spec.template.metadata.labels ?? {}), 'pod-template-generation': String(ds.metadata.generation ?? 1) },
      },
    };
    dsTemplates.set(ds, (t = { hash, template }));
  }
  return t;
}

/** The controller-revision-hash of a DaemonSet's current template (its up-to-date pods carry it). */
export function daemonTemplateHash(ds: DaemonSet): string {
  return daemonTemplate(ds).hash;
}

/** A pod counts as available once Ready (minReadySeconds is 0 on the lab's DaemonSets). */
function podAvailable(p: Pod): boolean {
  return p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * The old pods the RollingUpdate strategy replaces now (pkg/controller/daemon/update.go
 * rollingUpdate, maxSurge 0 and maxUnavailable 1 — the API defaults, which kubeadm's, Flannel's
 * and MetalLB's DaemonSets keep): every old pod that is not available, and available ones only
 * while fewer than maxUnavailable nodes are without an available pod. A new pod that never
 * becomes ready (a crash-looping kube-proxy) so stalls the rollout on its node. Which candidate
 * goes first follows Go's map order there, a seeded draw here.
 */
function daemonPodsToReplace(
  seed: number,
  ds: DaemonSet,
  hash: string,
  nodes: readonly string[],
  byNode: Map<string | undefined, Pod>,
  shouldRun: (node: string) => boolean,
): Set<string> {
  const maxUnavailable = 1;
  let unavailable = 0;
  const out = new Set<string>();
  const candidates: Pod[] = [];
  for (const nodeName of nodes) {
    if (!shouldRun(nodeName)) continue;
    const p = byNode.get(nodeName);
    const rev = p?.metadata.labels?.['controller-revision-hash'];
    if (!p) unavailable++;
    else if (rev === undefined || rev === hash) {
      if (!podAvailable(p)) unavailable++;
    } else if (!podAvailable(p)) out.add(p.metadata.name);
    else candidates.push(p);
  }
  const draw = (p: Pod) => seeded(seed, 'daemonset-rollout', ds.metadata.uid, hash, p.spec.nodeName ?? '');
  candidates.sort((a, b) => draw(a) - draw(b));
  for (const p of candidates.slice(0, Math.max(0, maxUnavailable - unavailable))) out.add(p.metadata.name);
  return out;
}

/**
 * DaemonSet controller: exactly one pod on every eligible node, from the current template. A pod
 * of an older template (its controller-revision-hash differs) is replaced as the RollingUpdate
 * strategy does, one node at a time (daemonPodsToReplace).
 */
export function reconcileDaemonSets(ctx: ControllerContext): boolean {
  const { base, draft, delta } = ctx;
  let changed = false;
  const index = podIndex(base.pods);
  // Changed DaemonSets (or their pods) look at every node; a node whose labels or taints
  // changed concerns every DaemonSet, for that node only. Joins and removals: everything.
  const full = !delta || delta.nodeOrderChanged;
  const dirty = full ? undefined : changedKeys(delta.of('DaemonSet'), changedOwners(delta.of('Pod'), 'DaemonSet'));
  const relabelled = full
    ? []
    : inNodeOrder(
        base.nodeOrder,
        delta.nodes.filter(placementChanged).map((c) => c.name),
      );
  for (const ds of reconcileTargets(base, 'DaemonSet', relabelled.length ? undefined : dirty)) {
    const ns = ds.metadata.namespace ?? 'default';
    const pods = [...(index.byOwner.get(ds.metadata.uid)?.values() ?? [])].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const byNode = new Map(pods.map((p) => [p.spec.nodeName, p]));
    const tolerations = daemonPodTolerations(ds);
    const { hash, template } = daemonTemplate(ds);
    const whole = !dirty || dirty.has(`${ns}/${ds.metadata.name}`);
    const nodes = whole ? base.nodeOrder : relabelled;
    const shouldRun = (n: string) => base.nodes[n] !== undefined && daemonShouldRun(ds, base.nodes[n], tolerations);
    const replace = whole ? daemonPodsToReplace(base.config.seed, ds, hash, base.nodeOrder, byNode, shouldRun) : new Set<string>();
    for (const nodeName of nodes) {
      const node = base.nodes[nodeName];
      if (!node) continue;
      let here = byNode.get(nodeName);
      const should = daemonShouldRun(ds, node, tolerations);
      if (should && here && replace.has(here.metadata.name)) {
        removeObject(draft, 'Pod', ns, here.metadata.name);
        recordEvent(draft, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${here.metadata.name}`, 'daemonset-controller');
        here = undefined;
      }
      if (should && !here) {
        const pod = newPodFromTemplate(
          draft,
          template,
          ns,
          `${ds.metadata.name}-`,
          { apiVersion: 'apps/v1', kind: 'DaemonSet', meta: ds.metadata },
          daemonTolerations(ds.spec.template.spec.hostNetwork ?? false),
          nodeName,
        );
        putObject(draft, pod);
        recordEvent(draft, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'daemonset-controller');
        changed = true;
      } else if (!should && here) {
        removeObject(draft, 'Pod', ns, here.metadata.name);
        changed = true;
      }
    }
    // Pods on nodes that no longer exist.
    for (const p of pods) {
      if (p.spec.nodeName && !base.nodes[p.spec.nodeName]) {
        removeObject(draft, 'Pod', ns, p.metadata.name);
        changed = true;
      }
    }
  }
  changed = collectOrphans(ctx, index, 'DaemonSet') || changed;
  return changed;
}

/** Garbage-collect ReplicaSets whose Deployment is gone. */
export function collectOrphanReplicaSets({ base, draft, delta }: ControllerContext): boolean {
  let changed = false;
  let candidates: ReplicaSet[];
  if (!delta) candidates = listObjects(base, 'ReplicaSet');
  else {
    // Changed ReplicaSets, and those of Deployments that went away (or were replaced).
    const keys = changedKeys(delta.of('ReplicaSet'));
    for (const c of delta.of('Deployment')) {
      if (!c.before || c.after?.metadata.uid === c.before.metadata.uid) continue;
      for (const n of namesByController(base.replicaSets[c.namespace]).get(c.before.metadata.uid) ?? []) keys.add(`${c.namespace}/${n}`);
    }
    candidates = reconcileTargets(base, 'ReplicaSet', keys);
  }
  for (const rs of candidates) {
    const ref = controllerOf(rs.metadata);
    if (ref?.kind !== 'Deployment') continue;
    const owner = base.deployments[rs.metadata.namespace ?? 'default']?.[ref.name];
    if (!owner || owner.metadata.uid !== ref.uid) {
      removeObject(draft, 'ReplicaSet', rs.metadata.namespace, rs.metadata.name);
      changed = true;
    }
  }
  return changed;
}

/** Pods whose controlling ReplicaSet or DaemonSet is gone (the garbage collector). */
function collectOrphans({ base, draft, delta }: ControllerContext, index: PodIndex, ownerKind: 'ReplicaSet' | 'DaemonSet'): boolean {
  let changed = false;
  let candidates: Pod[];
  if (!delta) candidates = listObjects(base, 'Pod');
  else {
    candidates = [];
    for (const c of delta.of('Pod')) if (c.after) candidates.push(c.after);
    for (const c of delta.of(ownerKind)) {
      if (!c.before || c.after?.metadata.uid === c.before.metadata.uid) continue;
      candidates.push(...(index.byOwner.get(c.before.metadata.uid)?.values() ?? []));
    }
  }
  for (const p of candidates) {
    const ref = controllerOf(p.metadata);
    if (ref?.kind !== ownerKind) continue;
    const ns = p.metadata.namespace ?? 'default';
    const owner = ownerKind === 'ReplicaSet' ? base.replicaSets[ns]?.[ref.name] : base.daemonSets[ns]?.[ref.name];
    if (!owner || owner.metadata.uid !== ref.uid) changed = removeObject(draft, 'Pod', ns, p.metadata.name) || changed;
  }
  return changed;
}
