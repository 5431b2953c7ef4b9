// NetworkPolicy's part in a trace.
//
// Plain Flannel enforces none: the walk is unchanged, and a delivered trace gets `policy` when a
// policy selecting the destination (or the source) pod would have denied it, judged on what the
// receiver sees — after DNAT (the endpoint pod) and after any SNAT (a masqueraded source is an IP,
// and the source pod's egress is then not judged: the rewrite hides which pod sent it).
//
// Under canal, Felix's chains decide inside the walk. Its policy rules carry their verdict
// (`owner.policy`), the walker collects the ones that matched, and each becomes a decision: the
// policy and rule that allowed a direction, or the endpoint chain's end-of-tier drop, with every
// policy that selected the pod. A pod whose traffic never meets Felix's chains (created on
// Flannel's cni0 before canal was installed) is named in a note.

import type { NetworkPolicy, Pod, Protocol } from '../api/types.js';
import type { Rule } from '../net/netfilter.js';
import { canalInstalled, denyingPolicies, evaluateNetworkPolicy, storedPolicies, type PolicyEndpoint } from '../state/networkpolicy.js';
import { getAgent, getObject, splitObjectKey } from '../state/store.js';
import type { ClusterState } from '../state/types.js';
import { policyChainName } from '../controllers/felix/policy.js';
import { selectingPolicies, workloadEndpoint } from '../controllers/felix/tables.js';
import type { PolicyDecision, PolicyName, TracePolicy, TraceRequest, TraceResult } from './types.js';

function podByKey(state: ClusterState, key: string): Pod | undefined {
  const { namespace, name } = splitObjectKey(key);
  return getObject(state, 'Pod', namespace, name);
}

function keyOf(p: Pod): string {
  return `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
}

const PROTOCOLS: Record<string, Protocol | 'ICMP'> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP', icmp: 'ICMP' };

/** Whether any NetworkPolicy exists (storedPolicies is kept per policies record: every trace asks). */
function anyPolicy(state: ClusterState): boolean {
  return storedPolicies(state).length > 0;
}

/** Whether canal's Felix polices this cluster's pods: the rules collector for a walk, or undefined. */
export function policyCollector(state: ClusterState): Rule[] | undefined {
  return canalInstalled(state) && anyPolicy(state) ? [] : undefined;
}

function sourcePod(state: ClusterState, req: TraceRequest): Pod | undefined {
  return 'pod' in req.from && req.from.pod !== undefined ? podByKey(state, req.from.pod) : undefined;
}

/** The result with `policy` added: what the policies decided (canal) or would have (Flannel). */
export function withPolicy(state: ClusterState, req: TraceRequest, r: TraceResult, matched: Rule[] | undefined): TraceResult {
  if (matched) return enforced(state, req, r, matched);
  return withPolicyNote(state, req, r);
}

/** Flannel: the policies that would have denied a delivery it let through. */
export function withPolicyNote(state: ClusterState, req: TraceRequest, r: TraceResult): TraceResult {
  // Without a policy nothing would deny it: no need to look the source pod up.
  if (!anyPolicy(state)) return r;
  const policy = wouldDenyPolicy(state, sourcePod(state, req), r);
  return policy ? { ...r, policy } : r;
}

/** The policies that would deny a delivery from `srcPod` (if the trace came from a pod), or undefined. Asked only where policies exist. */
function wouldDenyPolicy(state: ClusterState, srcPod: Pod | undefined, r: TraceResult): TracePolicy | undefined {
  if (r.verdict !== 'delivered' || !r.to?.pod || !r.source) return undefined;
  const dst = podByKey(state, r.to.pod);
  if (!dst || dst.spec.hostNetwork) return undefined;
  // A pod reaching itself never leaves its network namespace: no policy applies.
  if (srcPod === dst && r.forwardings === 0) return undefined;
  const source: PolicyEndpoint = srcPod && !srcPod.spec.hostNetwork && srcPod.status.podIP === r.source.ip ? { pod: srcPod } : { ip: r.source.ip };
  const verdict = evaluateNetworkPolicy(
    { policies: storedPolicies(state), namespaces: state.namespaces },
    { source, destination: dst, port: r.to.port ?? 0, protocol: PROTOCOLS[r.proto] ?? 'TCP' },
  );
  if (verdict.allowed) return undefined;
  return { enforced: false, wouldDeny: denyingPolicies(verdict) };
}

function ref(p: { metadata: { namespace?: string; name: string } }): PolicyName {
  return { namespace: p.metadata.namespace ?? 'default', name: p.metadata.name };
}

/** Whether a pod's traffic crosses Felix's chains: its sandbox came from Calico's plugin. */
export function onCalico(state: ClusterState, pod: Pod): boolean {
  return pod.spec.nodeName !== undefined && getAgent(state, pod.spec.nodeName)?.sandboxes[pod.metadata.uid]?.network?.plugin === 'calico';
}

/** The policies selecting `pod` in `direction`, in the order Felix tries them. */
function selectedBy(state: ClusterState, policies: readonly NetworkPolicy[], pod: Pod, direction: 'ingress' | 'egress'): PolicyName[] {
  const ep = workloadEndpoint(state, pod);
  return ep ? selectingPolicies(policies, ep, direction === 'ingress' ? 'Ingress' : 'Egress').map(ref) : [];
}

/**
 * One direction's decision at `pod` as Felix makes it: allowed by `allowedBy` (policy and rule,
 * its cali-pi/po chain), or denied at the end of the pod's cali-tw/fw chain.
 */
export function policyDecision(
  state: ClusterState,
  policies: readonly NetworkPolicy[],
  pod: Pod,
  direction: 'ingress' | 'egress',
  allowedBy: { policy: PolicyName; rule: number } | undefined,
): PolicyDecision {
  const d: PolicyDecision = { direction, pod: keyOf(pod), verdict: allowedBy ? 'allow' : 'deny', selectedBy: selectedBy(state, policies, pod, direction) };
  if (allowedBy) {
    d.policy = allowedBy.policy;
    d.rule = allowedBy.rule;
    const np = getObject(state, 'NetworkPolicy', allowedBy.policy.namespace, allowedBy.policy.name);
    if (np) d.chain = policyChainName(direction, np);
  } else {
    const iface = workloadEndpoint(state, pod)?.iface;
    if (iface) d.chain = `${direction === 'ingress' ? 'cali-tw-' : 'cali-fw-'}${iface}`;
  }
  return d;
}

function enforced(state: ClusterState, req: TraceRequest, r: TraceResult, matched: Rule[]): TraceResult {
  const policies = storedPolicies(state);
  const src = sourcePod(state, req);
  const decisions: PolicyDecision[] = [];
  for (const rule of matched) {
    const v = rule.owner!.policy!;
    const key = v.pod ?? (v.direction === 'egress' ? (src ? keyOf(src) : undefined) : r.to?.pod);
    const pod = key === undefined ? undefined : podByKey(state, key);
    if (!pod || decisions.some((d) => d.direction === v.direction && d.pod === key)) continue;
    const allowedBy =
      v.verdict === 'allow' && rule.owner?.name ? { policy: { namespace: rule.owner.namespace ?? 'default', name: rule.owner.name }, rule: v.rule ?? 0 } : undefined;
    decisions.push(policyDecision(state, policies, pod, v.direction, allowedBy));
  }
  const policy = enforcedPolicy(state, src, r, decisions);
  return policy ? { ...r, policy } : r;
}

/**
 * What an enforcing CNI's trace says of NetworkPolicy, given the decisions its dataplane made on
 * the way (egress first): those, the policies behind a denial, and a note for a selected pod
 * whose traffic never meets Felix's chains. Undefined when nothing is to be said.
 */
export function enforcedPolicy(state: ClusterState, src: Pod | undefined, r: TraceResult, made: readonly PolicyDecision[]): TracePolicy | undefined {
  const policies = storedPolicies(state);
  const decisions = [...made].sort((a, b) => (a.direction === b.direction ? 0 : a.direction === 'egress' ? -1 : 1));
  // Pods the policies select whose traffic Felix never sees.
  const unpoliced: string[] = [];
  const dst = r.to?.pod ? podByKey(state, r.to.pod) : undefined;
  if (src && !src.spec.hostNetwork && !onCalico(state, src) && selectedBy(state, policies, src, 'egress').length) unpoliced.push(keyOf(src));
  if (dst && !dst.spec.hostNetwork && !onCalico(state, dst) && selectedBy(state, policies, dst, 'ingress').length) unpoliced.push(keyOf(dst));
  if (!decisions.length && !unpoliced.length) return undefined;
  const policy: TracePolicy = {
    enforced: true,
    enforcer: 'calico',
    wouldDeny: decisions.filter((d) => d.verdict === 'deny').flatMap((d) => d.selectedBy),
    decisions,
  };
  if (unpoliced.length) {
    policy.note = `${unpoliced.map((p) => `pod ${p}`).join(' and ')} ${unpoliced.length > 1 ? 'are' : 'is'} not on a Calico interface (created on Flannel's cni0 before canal was installed): Felix's policy chains never see ${unpoliced.length > 1 ? 'their' : 'its'} traffic; recreate ${unpoliced.length > 1 ? 'them' : 'it'}`;
    if (r.verdict === 'delivered' && !decisions.some((d) => d.verdict === 'deny')) {
      const note = wouldDenyPolicy(state, src, r);
      if (note) policy.wouldDeny = note.wouldDeny;
    }
  }
  return policy;
}
