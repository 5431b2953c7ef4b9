// What a delivered trace would have met if the cluster enforced NetworkPolicy. The lab's
// Flannel enforces none (the packet got through), so the walk itself is unchanged: this only
// adds `policy` to the result when a policy selecting the destination (or the source) pod would
// have denied the connection. Judged on what the receiver sees, after DNAT (the endpoint pod)
// and after any SNAT (a masqueraded source is an IP, and the source pod's egress is then not
// judged: the rewrite hides which pod sent it).

import type { Pod, Protocol } from '../api/types.js';
import { denyingPolicies, evaluateNetworkPolicy, storedPolicies, type PolicyEndpoint } from '../state/networkpolicy.js';
import { getObject } from '../state/store.js';
import type { ClusterState } from '../state/types.js';
import type { TraceRequest, TraceResult } from './types.js';

function podByKey(state: ClusterState, key: string): Pod | undefined {
  const i = key.indexOf('/');
  const ns = i < 0 ? 'default' : key.slice(0, i);
  const name = i < 0 ? key : key.slice(i + 1);
  return getObject(state, 'Pod', ns, name);
}

const PROTOCOLS: Record<string, Protocol | 'ICMP'> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP', icmp: 'ICMP' };

/** The result with `policy` added when stored policies would have denied this delivery. */
export function withPolicyNote(state: ClusterState, req: TraceRequest, r: TraceResult): TraceResult {
  if (r.verdict !== 'delivered' || !r.to?.pod || !r.source) return r;
  let any = false;
  for (const ns in state.networkPolicies) {
    for (const _ in state.networkPolicies[ns]) any = true;
  }
  if (!any) return r;
  const dst = podByKey(state, r.to.pod);
  if (!dst || dst.spec.hostNetwork) return r;
  const srcPod = 'pod' in req.from && req.from.pod !== undefined ? podByKey(state, req.from.pod) : undefined;
  const source: PolicyEndpoint = srcPod && !srcPod.spec.hostNetwork && srcPod.status.podIP === r.source.ip ? { pod: srcPod } : { ip: r.source.ip };
  const verdict = evaluateNetworkPolicy(
    { policies: storedPolicies(state), namespaces: state.namespaces },
    { source, destination: dst, port: r.to.port ?? 0, protocol: PROTOCOLS[r.proto] ?? 'TCP' },
  );
  if (verdict.allowed) return r;
  return { ...r, policy: { enforced: false, wouldDeny: denyingPolicies(verdict) } };
}
