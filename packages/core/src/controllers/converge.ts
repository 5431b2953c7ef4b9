// Controllers converge the cluster after every change, like kube-controller-manager, the
// scheduler and each node's kubelet would. Each is a pure reconciler over an immer draft; they
// run in this fixed order until none changes anything:
//   1. node IPAM (podCIDRs)   2. node readiness   3. garbage collector
//   4. Deployments → ReplicaSets   5. ReplicaSets → Pods   6. DaemonSets → Pods
//   7. scheduler   8. kubelets (runtime, CNI ADD/DEL)   9. flanneld on each node
//   10. kube-proxy on each node (reads its ConfigMap when its container starts)
//   11. endpoints + EndpointSlices   12. load-balancer provider (MetalLB)   13. ingress-nginx's
//   Ingress status   14. CoreDNS's reload of its ConfigMap   15. status write-back

import { produce, produceWithPatches } from '../util/immer.js';
import { Delta, isKeyedSlice, mergeTouched, touchedByDiff, touchedByPatches, type Touched } from '../state/diff.js';

import type { ClusterState } from '../state/types.js';
import { canonicalJson } from '../util/canonical.js';
import type { Controller } from './context.js';
import { advancePodIndex } from './indexes.js';
import { reconcileCoreDNS } from './coredns.js';
import { reconcileEndpoints } from './endpoints.js';
import { reconcileIngressStatus, reconcileLoadBalancers } from './loadbalancer.js';
import { reconcileCalico } from './calico.js';
import { reconcileFlannel } from './flannel.js';
import { reconcileKubelets } from './kubelet.js';
import { reconcileKubeProxy } from './kube-proxy/agent.js';
import { reconcileNodeIpam, reconcileNodeReadiness } from './nodes.js';
import { reconcileScheduler } from './scheduler.js';
import { reconcileStatus } from './status.js';
import { collectOrphanReplicaSets, reconcileDaemonSets, reconcileDeployments, reconcileReplicaSets } from './workloads.js';

const CONTROLLERS: readonly [string, Controller][] = [
  ['nodeipam', reconcileNodeIpam],
  ['nodelifecycle', reconcileNodeReadiness],
  ['garbagecollector', collectOrphanReplicaSets],
  ['deployment', reconcileDeployments],
  ['replicaset', reconcileReplicaSets],
  ['daemonset', reconcileDaemonSets],
  ['scheduler', reconcileScheduler],
  ['kubelet', reconcileKubelets],
  ['flanneld', reconcileFlannel],
  ['calico-node', reconcileCalico],
  ['kube-proxy', reconcileKubeProxy],
  ['endpoints', reconcileEndpoints],
  ['loadbalancer', reconcileLoadBalancers],
  ['ingress-nginx', reconcileIngressStatus],
  ['coredns', reconcileCoreDNS],
  ['status', reconcileStatus],
];

const MAX_ROUNDS = 20;

/** Keys touched beyond which a step's writes are found by diffing rather than by immer's patches. */
const BULK_KEYS = 64;

function bulky(touched: Touched): boolean {
  let n = 0;
  for (const [slice, keys] of touched) {
    // A whole keyed slice rewritten is bulk; a scalar one (the clock, events) is one value.
    if (keys === true) {
      if (isKeyedSlice(slice)) return true;
      continue;
    }
    n += keys.size;
    if (n > BULK_KEYS) return true;
  }
  return false;
}

let verify = false;

/**
 * Debug check, off by default: after every incremental converge, run a full resync and throw if
 * it changes anything (the incremental path missed a change). Costs a full resync per change.
 * Returns the previous setting.
 */
export function setVerifyConverge(enabled: boolean): boolean {
  const previous = verify;
  verify = enabled;
  return previous;
}

/**
 * Run every controller until a full round changes nothing; returns the converged state.
 *
 * With `since` — a converged state that `state` was derived from — each controller first looks
 * only at what changed since then (and afterwards at what changed since it last ran), as real
 * controllers follow watch events. Without it every controller resyncs the whole cluster.
 */
export function converge(state: ClusterState, since?: ClusterState): ClusterState {
  if (since && since.config !== state.config) since = undefined;
  // states[k] → states[k + 1] wrote steps[k]; states[0] is `since`.
  const states: ClusterState[] = [];
  const steps: Touched[] = [];
  /** One step from the last state to `next`, writing `touched`; the pod index follows it. */
  const step = (next: ClusterState, touched: Touched): void => {
    const pods = touched.get('pods');
    if (pods && pods !== true) advancePodIndex(states[states.length - 1]!.pods, next.pods, pods);
    steps.push(touched);
    states.push(next);
  };
  if (since) {
    states.push(since);
    if (since !== state) step(state, touchedByDiff(since, state));
  }
  // The step each controller last looked at (undefined: it has not run: full resync).
  const seen: (number | undefined)[] = CONTROLLERS.map(() => (since ? 0 : undefined));
  let cur = state;
  const deltas = new Map<number, Delta>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    for (let i = 0; i < CONTROLLERS.length; i++) {
      const from = seen[i];
      let delta: Delta | undefined;
      if (from !== undefined) {
        if (from === states.length - 1) continue;
        // Controllers that last looked at the same step share one delta (until the next write).
        delta = deltas.get(from);
        if (!delta) {
          const touched: Touched = new Map();
          for (let k = from; k < steps.length; k++) mergeTouched(touched, steps[k]!);
          deltas.set(from, (delta = new Delta(states[from]!, cur, touched)));
        }
        if (delta.empty) {
          seen[i] = states.length - 1;
          continue;
        }
      }
      const reconcile = CONTROLLERS[i]![1];
      const base = cur;
      let wrote = false;
      // Patches cost per written path, a diff per touched shard: a controller with a small delta
      // (one change) writes a few paths; one resyncing or taking a bulk batch writes thousands.
      let next: ClusterState;
      let touched: Touched | undefined;
      if (delta && !bulky(delta.touched)) {
        const [n, patches] = produceWithPatches(base, (draft) => {
          wrote = reconcile({ base, draft, delta });
        });
        next = n;
        if (n !== base) touched = touchedByPatches(patches, base);
      } else {
        next = produce(base, (draft) => {
          wrote = reconcile({ base, draft, delta });
        });
      }
      changed ||= wrote;
      if (states.length === 0) states.push(base);
      // After writing, it looks at its own writes again next round (some need two passes).
      const at = states.length - 1;
      if (next !== base) {
        step(next, touched ?? touchedByDiff(base, next));
        cur = next;
        deltas.clear();
      }
      seen[i] = next === base ? states.length - 1 : at;
    }
    if (!changed) {
      if (since && verify) verifyConverged(cur);
      return cur;
    }
  }
  throw new Error(`controllers did not converge after ${MAX_ROUNDS} rounds`);
}

/**
 * The setVerifyConverge check: a full resync of an incrementally converged state must change
 * nothing. Events are left out: some controllers re-announce on a resync.
 */
function verifyConverged(state: ClusterState): void {
  const full = converge(state);
  if (full === state) return;
  const strip = (s: ClusterState) => canonicalJson({ ...s, events: [], resourceVersion: 0 });
  const a = strip(state);
  const b = strip(full);
  if (a === b) return;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  throw new Error(`incremental converge missed a change: ...${a.slice(Math.max(0, i - 300), i + 200)}\n---\n...${b.slice(Math.max(0, i - 300), i + 200)}`);
}
