// Controllers converge the cluster after every change, like kube-controller-manager, the
// scheduler and each node's kubelet would. Each is a pure reconciler over an immer draft; they
// run in this fixed order until none changes anything:
//   1. node IPAM (podCIDRs)   2. node readiness   3. garbage collector
//   4. Deployments → ReplicaSets   5. ReplicaSets → Pods   6. DaemonSets → Pods
//   7. scheduler   8. kubelets (runtime, CNI ADD/DEL)   9. flanneld on each node
//   10. endpoints + EndpointSlices   11. load-balancer provider (MetalLB)   12. ingress-nginx's
//   Ingress status   13. CoreDNS's reload of its ConfigMap   14. status write-back

import type { ClusterState } from '../state/types.js';
import { reconcileCoreDNS } from './coredns.js';
import { reconcileEndpoints } from './endpoints.js';
import { reconcileIngressStatus, reconcileLoadBalancers } from './loadbalancer.js';
import { reconcileFlannel } from './flannel.js';
import { reconcileKubelets } from './kubelet.js';
import { reconcileNodeIpam, reconcileNodeReadiness } from './nodes.js';
import { reconcileScheduler } from './scheduler.js';
import { reconcileStatus } from './status.js';
import { collectOrphanReplicaSets, reconcileDaemonSets, reconcileDeployments, reconcileReplicaSets } from './workloads.js';

const CONTROLLERS: readonly [string, (draft: ClusterState) => boolean][] = [
  ['nodeipam', reconcileNodeIpam],
  ['nodelifecycle', reconcileNodeReadiness],
  ['garbagecollector', collectOrphanReplicaSets],
  ['deployment', reconcileDeployments],
  ['replicaset', reconcileReplicaSets],
  ['daemonset', reconcileDaemonSets],
  ['scheduler', reconcileScheduler],
  ['kubelet', reconcileKubelets],
  ['flanneld', reconcileFlannel],
  ['endpoints', reconcileEndpoints],
  ['loadbalancer', reconcileLoadBalancers],
  ['ingress-nginx', reconcileIngressStatus],
  ['coredns', reconcileCoreDNS],
  ['status', reconcileStatus],
];

const MAX_ROUNDS = 20;

/** Run every controller until a full round changes nothing (call inside an immer draft). */
export function converge(draft: ClusterState): void {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    for (const [, reconcile] of CONTROLLERS) changed = reconcile(draft) || changed;
    if (!changed) return;
  }
  throw new Error(`controllers did not converge after ${MAX_ROUNDS} rounds`);
}
