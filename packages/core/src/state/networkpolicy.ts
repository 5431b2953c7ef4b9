// NetworkPolicy semantics as a pure, read-only query: would the policies let this connection
// through? The meaning follows the API reference and the concepts page
// (kubernetes.io/docs/concepts/services-networking/network-policies/):
//
//   - a pod is isolated for ingress (egress) iff some policy in its namespace selects it
//     (spec.podSelector matches its labels) and lists "Ingress" ("Egress") in policyTypes;
//   - traffic into an isolated pod is allowed iff some rule of some selecting policy matches it:
//     a rule matches when one of its peers matches the other end (absent/empty `from`/`to`: every
//     peer) and one of its ports matches (absent/empty `ports`: every port and protocol);
//   - a connection needs both ends: the source's egress and the destination's ingress.
//
// Peers: `ipBlock` matches the other end's IP (inside `cidr`, outside every `except`);
// `podSelector` alone matches pods in the policy's own namespace; `namespaceSelector` alone every
// pod in the namespaces it selects; both in one element are ANDed. A non-pod end (an IP outside
// the cluster) only ever matches ipBlock peers.
// Ports: `protocol` must equal; a numeric `port` equals the destination port, or with `endPort`
// bounds a range; a named `port` is looked up among the destination pod's containers' ports
// (same name and protocol); no `port` matches every port of that protocol.
// Traffic to a Service is judged after DNAT: the caller passes the endpoint pod.
//
// Not modelled: the node's own traffic to its pods (always allowed by most plugins), hostNetwork
// pods (undefined upstream), IPv6.
//
// Policies are passed in (not yet a stored kind), with the namespaces for namespaceSelector.

import { selectorMatches } from '../api/labels.js';
import type { Namespace, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod, PolicyType, Protocol } from '../api/types.js';
import { contains, tryParseCidr } from '../net/cidr.js';
import { tryParseIPv4 } from '../net/ipv4.js';

export interface PolicyRef {
  namespace: string;
  name: string;
}

/** What the evaluator reads: the policies and the namespaces (their labels). */
export interface PolicyWorld {
  policies: readonly NetworkPolicy[];
  namespaces: Readonly<Record<string, Namespace>>;
}

/** One end of the connection that is not the destination pod: a pod, or a bare IP. */
export type PolicyEndpoint = { pod: Pod } | { ip: string };

export interface PolicyQuery {
  source: PolicyEndpoint;
  destination: Pod;
  port: number;
  /** ICMP has no ports: only rules without `ports` allow it. */
  protocol: Protocol | 'ICMP';
}

/** The verdict of one direction at one pod. */
export interface DirectionVerdict {
  /** Policies in the pod's namespace that select it with this policy type, in the order given. */
  selectedBy: PolicyRef[];
  /** Whether the pod is isolated in this direction (selectedBy is not empty). */
  isolated: boolean;
  allowed: boolean;
  /** The first policy and rule index (into spec.ingress / spec.egress) that allowed it. */
  allowedBy?: { policy: PolicyRef; rule: number };
}

export interface PolicyVerdict {
  allowed: boolean;
  /** The destination pod's ingress. */
  ingress: DirectionVerdict;
  /** The source pod's egress; absent when the source is not a pod. */
  egress?: DirectionVerdict;
}

function ref(p: NetworkPolicy): PolicyRef {
  return { namespace: p.metadata.namespace ?? 'default', name: p.metadata.name };
}

/** The policies that select `pod` for `type`: same namespace, podSelector matches, type listed. */
export function policiesSelecting(world: PolicyWorld, pod: Pod, type: PolicyType): NetworkPolicy[] {
  const ns = pod.metadata.namespace ?? 'default';
  return world.policies.filter((p) => (p.metadata.namespace ?? 'default') === ns && p.spec.policyTypes.includes(type) && selectorMatches(p.spec.podSelector, pod.metadata.labels));
}

function endpointIP(e: PolicyEndpoint): number | undefined {
  const ip = 'pod' in e ? e.pod.status.podIP : e.ip;
  return ip === undefined ? undefined : tryParseIPv4(ip);
}

function peerMatches(world: PolicyWorld, policyNs: string, peer: NetworkPolicyPeer, other: PolicyEndpoint): boolean {
  if (peer.ipBlock) {
    const ip = endpointIP(other);
    const block = tryParseCidr(peer.ipBlock.cidr);
    if (ip === undefined || !block || !contains(block, ip)) return false;
    return !(peer.ipBlock.except ?? []).some((x) => {
      const b = tryParseCidr(x);
      return b !== undefined && contains(b, ip);
    });
  }
  if (!('pod' in other)) return false;
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const podNs = other.pod.metadata.namespace ?? 'default';
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, world.namespaces[podNs]?.metadata.labels)) return false;
  } else if (podNs !== policyNs) {
    return false;
  }
  return !peer.podSelector || selectorMatches(peer.podSelector, other.pod.metadata.labels);
}

/** A named port on the destination pod: the containerPort of that name and protocol, if any. */
function namedPort(pod: Pod, name: string, protocol: Protocol | 'ICMP'): number | undefined {
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) if (p.name === name && p.protocol === protocol) return p.containerPort;
  }
  return undefined;
}

function portMatches(p: NetworkPolicyPort, destination: Pod, port: number, protocol: Protocol | 'ICMP'): boolean {
  if ((p.protocol ?? 'TCP') !== protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'string') return namedPort(destination, p.port, protocol) === port;
  if (p.endPort !== undefined) return port >= p.port && port <= p.endPort;
  return port === p.port;
}

function direction(world: PolicyWorld, pod: Pod, type: PolicyType, other: PolicyEndpoint, destination: Pod, port: number, protocol: Protocol | 'ICMP'): DirectionVerdict {
  const selecting = policiesSelecting(world, pod, type);
  const selectedBy = selecting.map(ref);
  if (selecting.length === 0) return { selectedBy, isolated: false, allowed: true };
  for (const p of selecting) {
    const policyNs = p.metadata.namespace ?? 'default';
    const rules = type === 'Ingress' ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
    for (const [i, r] of rules.entries()) {
      const peerOk = !r.peers?.length || r.peers.some((peer) => peerMatches(world, policyNs, peer, other));
      const portOk = !r.ports?.length || r.ports.some((pp) => portMatches(pp, destination, port, protocol));
      if (peerOk && portOk) return { selectedBy, isolated: true, allowed: true, allowedBy: { policy: ref(p), rule: i } };
    }
  }
  return { selectedBy, isolated: true, allowed: false };
}

/**
 * Would the NetworkPolicies allow `source` to open a connection to `destination`:port/protocol?
 * Both the destination's ingress and (for a pod source) the source's egress must allow it.
 */
export function evaluateNetworkPolicy(world: PolicyWorld, q: PolicyQuery): PolicyVerdict {
  const dst: PolicyEndpoint = { pod: q.destination };
  const ingress = direction(world, q.destination, 'Ingress', q.source, q.destination, q.port, q.protocol);
  const egress = 'pod' in q.source ? direction(world, q.source.pod, 'Egress', dst, q.destination, q.port, q.protocol) : undefined;
  return { allowed: ingress.allowed && (egress?.allowed ?? true), ingress, ...(egress ? { egress } : {}) };
}

/** The policies whose selection of the source or destination decided a denial (for traces). */
export function denyingPolicies(v: PolicyVerdict): PolicyRef[] {
  return [...(v.ingress.allowed ? [] : v.ingress.selectedBy), ...(v.egress && !v.egress.allowed ? v.egress.selectedBy : [])];
}

// Once per policies record (immutable): traces and the reachability matrix ask for every packet.
const storedMemo = new WeakMap<object, NetworkPolicy[]>();

/** The policies stored in the state, namespace by namespace, in name order within each. */
export function storedPolicies(state: { networkPolicies: Readonly<Record<string, Readonly<Record<string, NetworkPolicy>>>> }): NetworkPolicy[] {
  const hit = storedMemo.get(state.networkPolicies);
  if (hit) return hit;
  const out = listPolicies(state);
  storedMemo.set(state.networkPolicies, out);
  return out;
}

function listPolicies(state: { networkPolicies: Readonly<Record<string, Readonly<Record<string, NetworkPolicy>>>> }): NetworkPolicy[] {
  const out: NetworkPolicy[] = [];
  for (const ns of Object.keys(state.networkPolicies).sort()) {
    const shard = state.networkPolicies[ns]!;
    for (const name of Object.keys(shard).sort()) out.push(shard[name]!);
  }
  return out;
}

/** Whether canal (Calico's policy on Flannel's network) is installed: its DaemonSet kube-system/canal. */
export function canalInstalled(state: { daemonSets: Readonly<Record<string, Readonly<Record<string, unknown>>>> }): boolean {
  return state.daemonSets['kube-system']?.canal !== undefined;
}

/**
 * The CNI that would have to enforce NetworkPolicy but does not: 'flannel' when kube-flannel's
 * DaemonSet is installed and canal is not, undefined otherwise (canal enforces them).
 */
export function nonEnforcingCNI(state: { daemonSets: Readonly<Record<string, Readonly<Record<string, unknown>>>> }): 'flannel' | undefined {
  return state.daemonSets['kube-flannel']?.['kube-flannel-ds'] !== undefined && !canalInstalled(state) ? 'flannel' : undefined;
}
