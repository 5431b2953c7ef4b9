// kube-controller-manager's node IPAM (--allocate-node-cidrs) and the node's Ready condition.
// podCIDRs: CidrSet.AllocateNext hands out the cluster CIDR's /N subnets in order, starting
// at index 0, to nodes in registration order; a deleted node's subnet is free again.

import type { NodeCondition, Taint } from '../api/types.js';
import { cidrText, nthSubnet, parseCidr, subnetCount } from '../net/cidr.js';
import { rfc3339, getAgent } from '../state/store.js';
import type { ClusterState } from '../state/types.js';
import type { ControllerContext } from './context.js';
import { inNodeOrder } from './indexes.js';
import { recordEvent } from './events.js';

export const NOT_READY_TAINT: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

export function reconcileNodeIpam({ base: state, draft, delta }: ControllerContext): boolean {
  if (delta && !delta.nodes.length && !delta.nodeOrderChanged) return false;
  const clusterCIDR = parseCidr(state.config.podCIDR);
  const mask = state.config.nodeCIDRMaskSize;
  const count = subnetCount(clusterCIDR, mask);
  const used = new Set<number>();
  for (const n of Object.values(state.nodes)) {
    if (n.spec.podCIDR) used.add(parseCidr(n.spec.podCIDR).ip);
  }
  let changed = false;
  // Subnets below `from` are all taken (used only grows during the pass): no rescan per node.
  let from = 0;
  for (const name of state.nodeOrder) {
    if (!state.nodes[name] || state.nodes[name].spec.podCIDR) continue;
    const node = draft.nodes[name]!;
    let assigned: string | undefined;
    for (let i = from; i < count; i++, from++) {
      const sub = nthSubnet(clusterCIDR, mask, i);
      if (!used.has(sub.first)) {
        used.add(sub.first);
        assigned = cidrText(sub);
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

function readyCondition(networkReady: boolean, now: string): NodeCondition {
  return networkReady
    ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', now)
    : condition(
        'Ready',
        'False',
        'KubeletNotReady',
        'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
        now,
      );
}

/** The kubelet's node conditions (NetworkUnavailable is the network plugin's to set). */
export function nodeConditions(networkReady: boolean, now: string): NodeCondition[] {
  return [
    condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', now),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', now),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', now),
    readyCondition(networkReady, now),
  ];
}

/**
 * The node lifecycle controller's grace period for a node whose kubelet never posted a status
 * (kube-controller-manager --node-startup-grace-period, 1m by default): the fake Ready condition
 * it assumes has the creation time as its last heartbeat.
 */
export const NODE_STARTUP_GRACE_PERIOD_MS = 60_000;

export const UNREACHABLE_TAINT_KEY = 'node.kubernetes.io/unreachable';

/** The NoSchedule taints the node lifecycle controller derives from conditions (TaintNodesByCondition), by key. */
const CONDITION_TAINT_KEYS = new Set([
  NOT_READY_TAINT.key,
  UNREACHABLE_TAINT_KEY,
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/network-unavailable',
]);

/** The conditions the controller marks Unknown when the kubelet is silent (not NetworkUnavailable: the network plugin's). */
const SILENT_KUBELET_CONDITIONS: readonly NodeCondition['type'][] = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * A Node no kubelet runs on (a bare `kind: Node` applied by hand), as the node lifecycle
 * controller treats it (tryUpdateNodeHealth, then the NoSchedule and NoExecute tainting
 * passes): nothing during the startup grace period after its creation (it keeps the
 * not-ready:NoSchedule taint admission gave it); once it is over, Ready, MemoryPressure,
 * DiskPressure and PIDPressure become Unknown ("Kubelet never posted node status."), and the
 * taints node.kubernetes.io/unreachable NoSchedule and NoExecute (with its timeAdded) replace
 * the not-ready ones. Returns whether it changed the node.
 */
function reconcileSilentNode(base: ClusterState, draft: ClusterState, name: string): boolean {
  const seen = base.nodes[name]!;
  const created = Date.parse(seen.metadata.creationTimestamp ?? '');
  const ready = seen.status.conditions.find((c) => c.type === 'Ready');
  // A Ready condition someone else posted is left alone; the never-posted case is the one modelled.
  if (ready && ready.status !== 'Unknown') return false;
  if (!ready && !(base.clock > created + NODE_STARTUP_GRACE_PERIOD_MS)) return false;
  const now = rfc3339(base.clock);
  const unknownConditions = SILENT_KUBELET_CONDITIONS.some((t) => !seen.status.conditions.some((c) => c.type === t));
  const taints = seen.spec.taints ?? [];
  const wantNoSchedule = taints.some((t) => t.key === UNREACHABLE_TAINT_KEY && t.effect === 'NoSchedule');
  const wantNoExecute = taints.some((t) => t.key === UNREACHABLE_TAINT_KEY && t.effect === 'NoExecute');
  const staleControllerTaint = taints.some((t) => CONDITION_TAINT_KEYS.has(t.key) && t.key !== UNREACHABLE_TAINT_KEY);
  if (!unknownConditions && wantNoSchedule && wantNoExecute && !staleControllerTaint) return false;
  const node = draft.nodes[name]!;
  for (const type of SILENT_KUBELET_CONDITIONS) {
    if (node.status.conditions.some((c) => c.type === type)) continue;
    node.status.conditions.push({
      type,
      status: 'Unknown',
      reason: 'NodeStatusNeverUpdated',
      message: 'Kubelet never posted node status.',
      lastHeartbeatTime: seen.metadata.creationTimestamp ?? now,
      lastTransitionTime: now,
    });
  }
  // doNoScheduleTaintingPass: the conditions' taints replace the controller's others;
  // doNoExecuteTaintingPass: unreachable:NoExecute replaces not-ready:NoExecute.
  const kept = taints.filter((t) => !(CONDITION_TAINT_KEYS.has(t.key) && t.key !== UNREACHABLE_TAINT_KEY));
  if (!wantNoSchedule) kept.push({ key: UNREACHABLE_TAINT_KEY, effect: 'NoSchedule' });
  if (!wantNoExecute) kept.push({ key: UNREACHABLE_TAINT_KEY, effect: 'NoExecute', timeAdded: now });
  node.spec.taints = kept;
  return true;
}

/**
 * When the node lifecycle controller next has work that only the clock brings
 * (controllers/timers.ts): a Node no kubelet runs on, still without a Ready condition, goes
 * Unknown at the first instant past its startup grace period. Undefined: nothing pending.
 */
export function nodeLifecycleTimer(state: ClusterState): number | undefined {
  let due: number | undefined;
  for (const name of state.nodeOrder) {
    const node = state.nodes[name];
    if (!node || getAgent(state, name) || node.status.conditions.some((c) => c.type === 'Ready')) continue;
    const at = Date.parse(node.metadata.creationTimestamp ?? '') + NODE_STARTUP_GRACE_PERIOD_MS + 1;
    if (at > state.clock && (due === undefined || at < due)) due = at;
  }
  return due;
}

/**
 * Node lifecycle: Ready follows the runtime's network status, i.e. whether a CNI config is
 * installed (Flannel's init container writes it); NotReady nodes carry the not-ready taint.
 * A node without a kubelet (no node agent) goes Unknown after the startup grace period
 * (reconcileSilentNode); the clock moving is what can make that happen.
 */
export function reconcileNodeReadiness({ base, draft, delta }: ControllerContext): boolean {
  let changed = false;
  const now = rfc3339(base.clock);
  let names = base.nodeOrder;
  if (delta) {
    // Readiness follows the node agent's network (flannel); other agent changes do not matter.
    const agents = delta.nodeAgents.filter((c) => !c.before || !c.after || c.before.flannel !== c.after.flannel);
    const dirty = new Set([...delta.nodes, ...agents].map((c) => c.name));
    if (delta.clockChanged) for (const n of base.nodeOrder) if (!getAgent(base, n)) dirty.add(n);
    names = inNodeOrder(names, dirty);
  }
  for (const name of names) {
    const seen = base.nodes[name];
    if (!seen) continue;
    const agent = getAgent(base, name);
    if (!agent) {
      changed = reconcileSilentNode(base, draft, name) || changed;
      continue;
    }
    const networkReady = agent.flannel !== undefined;
    const seenReady = seen.status.conditions.find((c) => c.type === 'Ready');
    const hasTaint = (seen.spec.taints ?? []).some((t) => t.key === NOT_READY_TAINT.key);
    if (seenReady && (seenReady.status === 'True') === networkReady && hasTaint !== networkReady) continue;
    const node = draft.nodes[name]!;
    const ready = node.status.conditions.find((c) => c.type === 'Ready');
    if (!ready) {
      node.status.conditions.push(...nodeConditions(networkReady, now));
      changed = true;
    } else if ((ready.status === 'True') !== networkReady) {
      Object.assign(ready, readyCondition(networkReady, now));
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
