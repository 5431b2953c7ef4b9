// Flannel's subnet leases, as every flanneld sees them through the kube subnet manager: one per
// node that publishes flannel annotations. This is the one cluster-wide table the overlay is
// derived from; each node's routes, neighbours and FDB entries are this list minus itself.

import { FLANNEL_ANNOTATION } from '../state/queries.js';
import { parseCIDR, tryParseIPv4 } from '../net/ipv4.js';
import type { ClusterState } from '../state/types.js';

export interface Lease {
  node: string;
  /** The node's podCIDR (network address, uint32) and its prefix. */
  subnet: number;
  prefixLen: number;
  publicIP: number;
  backend: 'vxlan' | 'host-gw';
  vtepMac?: string;
  vni?: number;
}

const cache = new WeakMap<ClusterState['nodes'], Lease[]>();

export function flannelLeases(state: ClusterState): Lease[] {
  const hit = cache.get(state.nodes);
  if (hit) return hit;
  const leases: Lease[] = [];
  for (const name of state.nodeOrder) {
    const node = state.nodes[name];
    const a = node?.metadata.annotations;
    // The kube subnet manager ignores nodes whose lease flanneld did not write itself.
    if (!node?.spec.podCIDR || !a || a[`${FLANNEL_ANNOTATION}kube-subnet-manager`] !== 'true') continue;
    const type = a[`${FLANNEL_ANNOTATION}backend-type`];
    const ip = tryParseIPv4(a[`${FLANNEL_ANNOTATION}public-ip`] ?? '');
    if ((type !== 'vxlan' && type !== 'host-gw') || ip === undefined) continue;
    const { ip: subnet, prefixLen } = parseCIDR(node.spec.podCIDR);
    const lease: Lease = { node: name, subnet, prefixLen, publicIP: ip, backend: type };
    if (type === 'vxlan') {
      try {
        const data = JSON.parse(a[`${FLANNEL_ANNOTATION}backend-data`] ?? '{}') as { VNI?: number; VtepMAC?: string };
        if (data.VtepMAC) lease.vtepMac = data.VtepMAC;
        if (data.VNI !== undefined) lease.vni = data.VNI;
      } catch {
        continue; // a lease flanneld cannot parse is ignored by its peers too
      }
    }
    leases.push(lease);
  }
  cache.set(state.nodes, leases);
  return leases;
}
