// The controllers' timers: work that nothing but the simulated clock moving brings. Every other
// controller reacts to writes, so a converged state is at rest except for these (each function
// lives beside its controller and returns the first instant at which that controller would act):
//   - MetalLB's controller: a LoadBalancer Service gets its address provisionDelayMs (2 s) after
//     its creation (loadBalancerTimer);
//   - the node lifecycle controller: a Node no kubelet runs on goes Unknown once its startup grace
//     period (60 s) is over (nodeLifecycleTimer);
//   - the ReplicaSet controller: a sync cut at 500 creations or deletions goes on at the next step
//     of the clock (replicaSetTimer);
//   - the kubelet's back-off: a crash-looping kube-proxy whose ConfigMap changed since it failed
//     reads it at its next restart (kubeProxyTimer).
// `settle` (transitions.ts) moves the clock from one of these instants to the next until none is
// left.

import type { ClusterState } from '../state/types.js';
import { loadBalancerTimer } from './loadbalancer.js';
import { nodeLifecycleTimer } from './nodes.js';
import { replicaSetTimer } from './workloads.js';
import { kubeProxyTimer } from './kube-proxy/agent.js';

/**
 * The latest simulated time: 9999-12-31T23:59:59Z, the last second RFC 3339 can write with its
 * four-digit year and the last one Go's time.Time JSON encoding (every Kubernetes timestamp)
 * accepts. JS dates reach further (8.64e15 ms), Kubernetes objects do not.
 */
export const MAX_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

const TIMERS: readonly ((state: ClusterState) => number | undefined)[] = [loadBalancerTimer, nodeLifecycleTimer, replicaSetTimer, kubeProxyTimer];

/**
 * The first simulated instant (ms since the epoch, after `state.clock`) at which a controller
 * has work that only time brings, or undefined when none has: the state is settled.
 */
export function nextTimer(state: ClusterState): number | undefined {
  let due: number | undefined;
  for (const timer of TIMERS) {
    const at = timer(state);
    if (at !== undefined && (due === undefined || at < due)) due = at;
  }
  return due;
}
