// Each node's netfilter ruleset, assembled here from what each daemon builds: the built-in
// chains, what kube-proxy programs (controllers/kube-proxy/rules.ts; its jumps are inserted
// first, so they come before Flannel's), and what flanneld programs with --ip-masq for the
// node's own subnet (controllers/flannel-rules.ts). kube-proxy's per-service chains are the same
// on every node for Cluster-policy services; its generator memoises them, so nodes share them.

import type { ClusterState } from '../../state/types.js';
import { proxyServicePorts } from '../../controllers/kube-proxy/input.js';
import { kubeProxyTables } from '../../controllers/kube-proxy/rules.js';
import type { ProxyServicePort } from '../../controllers/kube-proxy/types.js';
import { nodeInternalIP } from '../../state/queries.js';
import { flannelTables } from '../../controllers/flannel-rules.js';
import { BUILTIN_CHAINS, type Chain, type Ruleset, type Table, type TableName } from '../../net/netfilter.js';
import { getAgent } from '../../state/store.js';

function emptyTables(): Record<TableName, Table> {
  const make = (name: TableName): Table => ({ name, chains: BUILTIN_CHAINS[name].map((hook) => ({ name: hook, policy: 'ACCEPT', rules: [] })) });
  return { raw: make('raw'), mangle: make('mangle'), nat: make('nat'), filter: make('filter') };
}

/** Append a daemon's chains (kube-proxy's, Flannel's): rules for built-in chains join them, its own chains are added. */
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
  if (agent?.flannel?.ipMasq && node?.spec.podCIDR) {
    const fl = flannelTables(agent.flannel.network, node.spec.podCIDR);
    mergeChains(t.nat, fl.nat);
    mergeChains(t.filter, fl.filter);
  }
  // raw is never created on a kubeadm node (nothing writes to it), so iptables-save omits it.
  const ruleset: Ruleset = { tables: [t.mangle, t.nat, t.filter] };
  cache.set(key, { nodes: state.nodes, ports, ruleset });
  return ruleset;
}

/** A pod's namespace: no table was ever created, so iptables-save prints nothing. */
export const EMPTY_RULESET: Ruleset = { tables: [] };
