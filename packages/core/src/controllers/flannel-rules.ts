// What flanneld programs into netfilter (with --ip-masq) for its node's lease, kept beside
// Flannel's controller; the dataplane's ruleset assembler merges it after kube-proxy's chains.

import { networkOf, parseCIDR } from '../net/ipv4.js';
import type { Chain, Net, Rule } from '../net/netfilter.js';

/** kube-proxy's masquerade mark, which Flannel also honours. */
export const KUBE_MARK_MASQ = 0x4000;
const MULTICAST: Net = { ip: 0xe0000000, prefixLen: 4 };

function net(cidr: string): Net {
  const { ip, prefixLen } = parseCIDR(cidr);
  return { ip: networkOf(ip, prefixLen), prefixLen };
}

const by = { by: 'flanneld' } as const;

/** Flannel's chains per table: rules for a built-in chain (policy set) are appended to it, its own chains are added. */
export interface FlannelTables {
  nat: Chain[];
  filter: Chain[];
}

/**
 * pkg/trafficmngr/iptables: masquerade rules (nat) and forward rules (filter) for one node's lease,
 * `network` being the whole pod network and `subnet` the node's podCIDR.
 */
export function flannelTables(networkCIDR: string, subnetCIDR: string): FlannelTables {
  const network = net(networkCIDR);
  const subnet = net(subnetCIDR);
  const masq = { m: 'comment', comment: 'flanneld masq' } as const;
  const postrouting: Chain = { name: 'POSTROUTING', policy: 'ACCEPT', rules: [{ matches: [masq], target: { t: 'jump', chain: 'FLANNEL-POSTRTG' }, owner: by }] };
  const postrtg: Chain = { name: 'FLANNEL-POSTRTG', rules: [] };
  const post = postrtg.rules;
  const add = (r: Rule) => post.push({ ...r, owner: by });
  // Traffic kube-proxy already marked for masquerade is left to kube-proxy.
  add({ matches: [{ m: 'mark', value: KUBE_MARK_MASQ, mask: KUBE_MARK_MASQ }, masq], target: { t: 'RETURN' } });
  // Pod to pod, in either direction: never NATed.
  add({ matches: [{ m: 'src', net: subnet }, { m: 'dst', net: network }, masq], target: { t: 'RETURN' } });
  add({ matches: [{ m: 'src', net: network }, { m: 'dst', net: subnet }, masq], target: { t: 'RETURN' } });
  // From outside the pod network to this node's pods: keep the source.
  add({ matches: [{ m: 'src', net: network, invert: true }, { m: 'dst', net: subnet }, masq], target: { t: 'RETURN' } });
  // Pods to anything outside the pod network (except multicast): SNAT to the node.
  add({ matches: [{ m: 'src', net: network }, { m: 'dst', net: MULTICAST, invert: true }, masq], target: { t: 'MASQUERADE', randomFully: true } });
  // The node itself to remote pods.
  add({ matches: [{ m: 'src', net: network, invert: true }, { m: 'dst', net: network }, masq], target: { t: 'MASQUERADE', randomFully: true } });

  const fwd = { m: 'comment', comment: 'flanneld forward' } as const;
  const forward: Chain = { name: 'FORWARD', policy: 'ACCEPT', rules: [{ matches: [fwd], target: { t: 'jump', chain: 'FLANNEL-FWD' }, owner: by }] };
  const flannelFwd: Chain = {
    name: 'FLANNEL-FWD',
    rules: [
      { matches: [{ m: 'src', net: network }, fwd], target: { t: 'ACCEPT' }, owner: by },
      { matches: [{ m: 'dst', net: network }, fwd], target: { t: 'ACCEPT' }, owner: by },
    ],
  };
  return { nat: [postrouting, postrtg], filter: [forward, flannelFwd] };
}
