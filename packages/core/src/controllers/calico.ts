// canal's calico-node, one per node where the canal DaemonSet's pod runs: its install-cni init
// container writes 10-canal.conflist (Calico's CNI plugin, host-local IPAM on the node's
// podCIDR), which the runtime prefers to Flannel's 10-flannel.conflist from then on; Felix then
// programs NetworkPolicy for the node's `cali+` workload interfaces (dataplane/netfilter/felix.ts
// derives its rules). The flannel container of the same pod is flanneld (controllers/flannel.ts).

import type { Pod } from '../api/types.js';
import { getAgent } from '../state/store.js';
import type { ControllerContext } from './context.js';
import { inNodeOrder, podIndex } from './indexes.js';

/** Whether a pod runs calico-node (Felix): a container with the calico/node image. */
export function runsCalicoNode(p: Pod): boolean {
  return p.spec.containers.some((c) => /(^|\/)calico\/node(:|@|$)/.test(c.image));
}

function dirtyNodes(base: ControllerContext['base'], delta: NonNullable<ControllerContext['delta']>): string[] {
  const out = new Set<string>();
  for (const c of delta.of('Pod')) {
    if (c.before?.spec.nodeName && runsCalicoNode(c.before)) out.add(c.before.spec.nodeName);
    if (c.after?.spec.nodeName && runsCalicoNode(c.after)) out.add(c.after.spec.nodeName);
  }
  for (const c of delta.nodes) out.add(c.name);
  for (const c of delta.nodeAgents) if (!c.before || !c.after) out.add(c.name);
  return inNodeOrder(base.nodeOrder, out);
}

export function reconcileCalico({ base, draft, delta }: ControllerContext): boolean {
  let changed = false;
  const index = podIndex(base.pods);
  for (const name of delta ? dirtyNodes(base, delta) : base.nodeOrder) {
    const seen = getAgent(base, name);
    if (!base.nodes[name] || !seen) continue;
    const pod = [...(index.byNode.get(name)?.values() ?? [])].find((p) => p.status.phase === 'Running' && runsCalicoNode(p));
    const key = pod ? `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}` : undefined;
    if (seen.calico?.pod === key) continue;
    // The CNI config stays on the node when calico-node goes (the runtime keeps using it); Felix's
    // rules go with it. The simple case modelled: both follow the pod.
    const agent = getAgent(draft, name)!;
    if (key) agent.calico = { pod: key };
    else delete agent.calico;
    changed = true;
  }
  return changed;
}
