// Each node's netfilter ruleset, derived: the built-in chains, what kube-proxy programs (its
// jumps are inserted first, so they come before Flannel's), and what flanneld programs (with
// --ip-masq) for the node's own subnet. kube-proxy's per-service chains are the same on every
// node for Cluster-policy services; its generator memoises them, so nodes share them.

import type { ClusterState } from '../../state/types.js';
import { proxyServicePorts } from '../../controllers/kube-proxy/input.js';
import { kubeProxyTables } from '../../controllers/kube-proxy/rules.js';
import type { ProxyServicePort } from '../../controllers/kube-proxy/types.js';
import { nodeInternalIP } from '../../controllers/kubelet.js';
import { networkOf, parseCIDR } from '../../net/ipv4.js';
import { BUILTIN_CHAINS, type Chain, type Net, type Rule, type Ruleset, type Table, type TableName } from './types.js';
import { getAgent } from '../../state/store.js';

/** kube-proxy's masquerade mark, which Flannel also honours. */
export const KUBE_MARK_MASQ = 0x4000;
const MULTICAST: Net = { ip: 0xe0000000, prefixLen: 4 };

function net(cidr: string): Net {
  const { ip, prefixLen } = parseCIDR(cidr);
  return { ip: networkOf(ip, prefixLen), prefixLen };
}

function emptyTables(): Record<TableName, Table> {
  const make = (name: TableName): Table => ({ name, chains: BUILTIN_CHAINS[name].map((hook) => ({ name: hook, policy: 'ACCEPT', rules: [] })) });
  return { raw: make('raw'), mangle: make('mangle'), nat: make('nat'), filter: make('filter') };
}

function chain(table: Table, name: string): Chain {
  let c = table.chains.find((x) => x.name === name);
  if (!c) table.chains.push((c = { name, rules: [] }));
  return c;
}

const by = { by: 'flanneld' } as const;

/** pkg/trafficmngr/iptables: masquerade rules (nat) and forward rules (filter) for one node's lease. */
function flannelRules(t: Record<TableName, Table>, network: Net, subnet: Net): void {
  const masq = { m: 'comment', comment: 'flanneld masq' } as const;
  chain(t.nat, 'POSTROUTING').rules.push({ matches: [masq], target: { t: 'jump', chain: 'FLANNEL-POSTRTG' }, owner: by });
  const post = chain(t.nat, 'FLANNEL-POSTRTG').rules;
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
  chain(t.filter, 'FORWARD').rules.push({ matches: [fwd], target: { t: 'jump', chain: 'FLANNEL-FWD' }, owner: by });
  chain(t.filter, 'FLANNEL-FWD').rules.push(
    { matches: [{ m: 'src', net: network }, fwd], target: { t: 'ACCEPT' }, owner: by },
    { matches: [{ m: 'dst', net: network }, fwd], target: { t: 'ACCEPT' }, owner: by },
  );
}

/** Append kube-proxy's chains: rules for built-in chains join them, its own chains are added. */
function mergeChains(table: Table, chains: readonly Chain[]): void {
  // Built-ins looked up by name up front: searching the growing list made this O(chains²).
  const builtins = new Map(table.chains.filter((x) => x.policy !== undefined).map((x) => [x.name, x]));
  for (const c of chains) {
    const builtin = builtins.get(c.name);
    if (builtin) builtin.rules.push(...c.rules);
    else table.chains.push(c);
  }
}

/** kube-proxy runs on the node when its DaemonSet pod is Running there. */
function kubeProxyRuns(state: ClusterState, nodeName: string): boolean {
  const agent = getAgent(state, nodeName);
  return Object.values(agent?.sandboxes ?? {}).some((sb) => sb.containers.some((c) => c.container === 'kube-proxy'));
}

const cache = new WeakMap<object, { nodes: ClusterState['nodes']; ports: readonly ProxyServicePort[]; ruleset: Ruleset }>();

/** The ruleset `iptables-save` would dump on this node. */
export function nodeRuleset(state: ClusterState, nodeName: string): Ruleset {
  const agent = getAgent(state, nodeName);
  const node = state.nodes[nodeName];
  const key = agent ?? state;
  const ports = proxyServicePorts(state);
  const hit = cache.get(key);
  if (hit && hit.nodes === state.nodes && hit.ports === ports) return hit.ruleset;
  const t = emptyTables();
  if (node && kubeProxyRuns(state, nodeName)) {
    const ip = nodeInternalIP(node);
    const kp = kubeProxyTables(ports, { clusterCIDR: state.config.podCIDR, masqueradeAll: false, nodeName, nodeIPs: ip ? [ip] : [] });
    mergeChains(t.mangle, kp.mangle);
    mergeChains(t.nat, kp.nat);
    mergeChains(t.filter, kp.filter);
  }
  if (agent?.flannel?.ipMasq && node?.spec.podCIDR) flannelRules(t, net(agent.flannel.network), net(node.spec.podCIDR));
  // raw is never created on a kubeadm node (nothing writes to it), so iptables-save omits it.
  const ruleset: Ruleset = { tables: [t.mangle, t.nat, t.filter] };
  cache.set(key, { nodes: state.nodes, ports, ruleset });
  return ruleset;
}

/** A pod's namespace: no table was ever created, so iptables-save prints nothing. */
export const EMPTY_RULESET: Ruleset = { tables: [] };
