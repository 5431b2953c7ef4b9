// kube-controller-manager's node IPAM (--allocate-node-cidrs) and the node's Ready condition.
// podCIDRs: CidrSet.AllocateNext hands out the cluster CIDR's /N subnets in order, starting
// at index 0, to nodes in registration order; a deleted node's subnet is free again.

import type { NodeCondition, Taint } from '../api/types.js';
import { ipToString, networkOf, parseCIDR } from '../net/ipv4.js';
import { rfc3339 } from '../state/store.js';
import type { ClusterState } from '../state/types.js';
import { recordEvent } from './events.js';

export const NOT_READY_TAINT: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

export function reconcileNodeIpam(draft: ClusterState): boolean {
  const { ip, prefixLen } = parseCIDR(draft.config.podCIDR);
  const mask = draft.config.nodeCIDRMaskSize;
  const count = 2 ** (mask - prefixLen);
  const base = networkOf(ip, prefixLen);
  const used = new Set<number>();
  for (const n of Object.values(draft.nodes)) {
    if (n.spec.podCIDR) used.add(parseCIDR(n.spec.podCIDR).ip);
  }
  let changed = false;
  for (const name of draft.nodeOrder) {
    const node = draft.nodes[name];
    if (!node || node.spec.podCIDR) continue;
    let assigned: string | undefined;
    for (let i = 0; i < count; i++) {
      const sub = (base + i * 2 ** (32 - mask)) >>> 0;
      if (!used.has(sub)) {
        used.add(sub);
        assigned = `${ipToString(sub)}/${mask}`;
        break;
      }
    }
    if (!assigned) {
      recordEvent(draft, node, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`, 'cidrAllocator');
      continue;
    }
    node.spec.podCIDR = assigned;
    node.spec.podCIDRs = [assigned];
    changed = true;
  }
  return changed;
}

function condition(type: NodeCondition['type'], status: NodeCondition['status'], reason: string, message: string, now: string): NodeCondition {
  return { type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now };
}

/** The kubelet's node conditions: Ready needs a network plugin, as the runtime reports it. */
export function nodeConditions(networkReady: boolean, now: string): NodeCondition[] {
  const conds: NodeCondition[] = [];
  if (networkReady) conds.push(condition('NetworkUnavailable', 'False', 'FlannelIsUp', 'Flannel is running on this node', now));
  conds.push(
    condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', now),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', now),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', now),
    networkReady
      ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', now)
      : condition(
          'Ready',
          'False',
          'KubeletNotReady',
          'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
          now,
        ),
  );
  return conds;
}

/** Node lifecycle: Ready follows the CNI; NotReady nodes carry the not-ready NoSchedule taint. */
export function reconcileNodeReadiness(draft: ClusterState): boolean {
  let changed = false;
  const networkReady = draft.config.cni !== 'none';
  const now = rfc3339(draft.clock);
  for (const name of draft.nodeOrder) {
    const node = draft.nodes[name];
    if (!node) continue;
    const ready = node.status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
    if (ready !== networkReady || node.status.conditions.length === 0) {
      node.status.conditions = nodeConditions(networkReady, now);
      recordEvent(draft, node, 'Normal', networkReady ? 'NodeReady' : 'NodeNotReady', `Node ${name} status is now: ${networkReady ? 'NodeReady' : 'NodeNotReady'}`, 'kubelet');
      changed = true;
    }
    const taints = node.spec.taints ?? [];
    const has = taints.some((t) => t.key === NOT_READY_TAINT.key);
    if (!networkReady && !has) {
      node.spec.taints = [...taints, { ...NOT_READY_TAINT }];
      changed = true;
    } else if (networkReady && has) {
      const rest = taints.filter((t) => t.key !== NOT_READY_TAINT.key);
      if (rest.length) node.spec.taints = rest;
      else delete node.spec.taints;
      changed = true;
    }
  }
  return changed;
}
