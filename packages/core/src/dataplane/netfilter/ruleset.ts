// Each node's netfilter ruleset, assembled here from what each daemon builds: the built-in
// chains, what kube-proxy programs (controllers/kube-proxy/rules.ts; its jumps are inserted
// first, so they come before Flannel's), and what flanneld programs with --ip-masq for the
// node's own subnet (controllers/flannel-rules.ts). kube-proxy's per-service chains are the same
// on every node for Cluster-policy services; its generator memoises them, so nodes share them.
// kube-proxy's part is whatever the node's kube-proxy last programmed (controllers/kube-proxy/
// node.ts): with the configuration it started with, following the Services while it runs, frozen
// as it left them once it stopped or crash-loops; nothing where none ever synced.

import type { ClusterState } from '../../state/types.js';
import { nodeKubeProxy, proxyConfigOf } from '../../controllers/kube-proxy/node.js';
import { kubeProxyTables } from '../../controllers/kube-proxy/rules.js';
import type { ProxyServicePort } from '../../controllers/kube-proxy/types.js';
import { nodeInternalIP } from '../../state/queries.js';
import { nodeNetns } from '../netns.js';
import { flannelTables } from '../../controllers/flannel-rules.js';
import { BUILTIN_CHAINS, type Chain, type Ruleset, type Table, type TableName } from '../../net/netfilter.js';
import { getAgent } from '../../state/store.js';
import { felixTables, workloadEndpoints, type WorkloadEndpoint } from '../../controllers/felix/tables.js';
import { storedPolicies } from '../../state/networkpolicy.js';

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

const cache = new WeakMap<object, { nodes: ClusterState['nodes']; ports: readonly ProxyServicePort[] | undefined; felix: readonly unknown[] | undefined; ruleset: Ruleset }>();

// The cluster's workload endpoints, once per pods/namespaces identity: every node's ipsets list them.
const endpointsMemo = new WeakMap<object, { namespaces: ClusterState['namespaces']; endpoints: WorkloadEndpoint[] }>();
function endpointsOf(state: ClusterState): WorkloadEndpoint[] {
  const hit = endpointsMemo.get(state.pods);
  if (hit?.namespaces === state.namespaces) return hit.endpoints;
  const endpoints = workloadEndpoints(state);
  endpointsMemo.set(state.pods, { namespaces: state.namespaces, endpoints });
  return endpoints;
}

/** The ruleset `iptables-save` would dump on this node. */
export function nodeRuleset(state: ClusterState, nodeName: string): Ruleset {
  const agent = getAgent(state, nodeName);
  const node = state.nodes[nodeName];
  const key = agent ?? state;
  const proxy = node ? nodeKubeProxy(state, nodeName) : undefined;
  const ports = proxy?.ports;
  // Felix reads every pod, namespace and policy: its part changes with any of them.
  const felix = agent?.calico ? [state.pods, state.namespaces, state.networkPolicies] : undefined;
  const hit = cache.get(key);
  if (hit && hit.nodes === state.nodes && hit.ports === ports && sameInputs(hit.felix, felix)) return hit.ruleset;
  const t = emptyTables();
  if (node && proxy) {
    const cfg = proxyConfigOf(proxy.config, {
      nodeName,
      nodeIP: nodeInternalIP(node),
      podCIDRs: node.spec.podCIDRs ?? (node.spec.podCIDR ? [node.spec.podCIDR] : []),
      addresses: () => nodeNetns(state, nodeName)?.addresses.map((a) => a.ip) ?? [],
    });
    const kp = kubeProxyTables(proxy.ports, cfg);
    mergeChains(t.mangle, kp.mangle);
    mergeChains(t.nat, kp.nat);
    mergeChains(t.filter, kp.filter);
  }
  if (agent?.flannel?.ipMasq && node?.spec.podCIDR) {
    const fl = flannelTables(agent.flannel.network, node.spec.podCIDR);
    mergeChains(t.nat, fl.nat);
    mergeChains(t.filter, fl.filter);
  }
  let ipsets: Ruleset['ipsets'];
  if (felix) {
    // Felix inserts its jumps at the top of the built-in chains (ChainInsertMode insert), ahead
    // of kube-proxy's and Flannel's, and appends its own last rules after theirs.
    const fx = felixTables(nodeName, storedPolicies(state), endpointsOf(state));
    for (const c of fx.insert) t.filter.chains.find((x) => x.name === c.name)?.rules.unshift(...c.rules);
    mergeChains(t.filter, [...fx.append, ...fx.chains]);
    ipsets = fx.ipsets;
  }
  // raw is never created on a kubeadm node (nothing writes to it), so iptables-save omits it.
  const ruleset: Ruleset = { tables: [t.mangle, t.nat, t.filter], ...(ipsets ? { ipsets } : {}) };
  cache.set(key, { nodes: state.nodes, ports, felix, ruleset });
  return ruleset;
}

function sameInputs(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A pod's namespace: no table was ever created, so iptables-save prints nothing. */
export const EMPTY_RULESET: Ruleset = { tables: [] };
