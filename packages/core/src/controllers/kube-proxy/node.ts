// Which kube-proxy rules a node holds, and the ProxyConfig they are generated with: read from the
// node agent's record of its kube-proxy (agent.ts) and the configuration that kube-proxy started
// with (addons/kube-proxy-config.ts), resolved against the node as kube-proxy resolves it at
// start (cmd/kube-proxy/app: getLocalDetectors, the `primary` nodePortAddresses, and the iptables
// proxier's localhostNodePorts / NodePortAddresses).

import { defaultKubeProxyConfiguration, isCIDR, NODE_PORT_ADDRESSES_PRIMARY, type KubeProxyConfiguration } from '../../addons/kube-proxy-config.js';
import { inSubnet, ipToString, networkOf, parseIPv4, tryParseCIDR } from '../../net/ipv4.js';
import { getAgent } from '../../state/store.js';
import type { ClusterState } from '../../state/types.js';
import { proxyServicePorts } from './input.js';
import type { LocalDetector, ProxyConfig, ProxyServicePort } from './types.js';

/** The kube-proxy rules a node holds: generated from these ports with this configuration. */
export interface NodeKubeProxy {
  config: KubeProxyConfiguration;
  ports: readonly ProxyServicePort[];
  /** A kube-proxy runs and syncs there now (false: the rules a stopped or crash-looping one left behind). */
  live: boolean;
}

/** What a stopped kube-proxy's rules were generated from. */
type ProxyStateSlices = Pick<ClusterState, 'services' | 'endpointSlices'>;

/** Whether a pod sandbox on the node runs a kube-proxy container. */
function kubeProxyContainerRuns(state: ClusterState, nodeName: string): boolean {
  const agent = getAgent(state, nodeName);
  return Object.values(agent?.sandboxes ?? {}).some((sb) => sb.containers.some((c) => c.container === 'kube-proxy'));
}

const legacyDefaults = new WeakMap<object, KubeProxyConfiguration>();

/**
 * The configuration a node's kube-proxy rules were generated with and whether it still syncs,
 * without the service ports (what asking "does the default kube-proxy run here?" needs: cheap,
 * where the ports are a pass over every Service).
 */
export function nodeKubeProxyConfig(state: ClusterState, nodeName: string): { config: KubeProxyConfiguration; live: boolean; frozen?: ProxyStateSlices } | undefined {
  const rec = getAgent(state, nodeName)?.kubeProxy;
  const programmed = rec?.programmed;
  if (programmed) {
    const frozen = programmed.frozen;
    return frozen ? { config: programmed.config, live: false, frozen } : { config: programmed.config, live: true };
  }
  // A snapshot from before kube-proxy's start was recorded on the node: a running kube-proxy
  // container ran with the lab's (kubeadm's) configuration.
  if (!rec && kubeProxyContainerRuns(state, nodeName)) {
    let config = legacyDefaults.get(state.config);
    if (!config) legacyDefaults.set(state.config, (config = defaultKubeProxyConfiguration(state.config.podCIDR)));
    return { config, live: true };
  }
  return undefined;
}

/** The kube-proxy rules on a node, or undefined where no kube-proxy ever synced. */
export function nodeKubeProxy(state: ClusterState, nodeName: string): NodeKubeProxy | undefined {
  const p = nodeKubeProxyConfig(state, nodeName);
  return p && { config: p.config, ports: proxyServicePorts(p.frozen ?? state), live: p.live };
}

/** The first IPv4 CIDR of a list (kube-proxy's detectors and NodePort addresses are per IP family). */
function firstIPv4(cidrs: readonly string[]): string | undefined {
  return cidrs.find((c) => tryParseCIDR(c.trim()) !== undefined)?.trim();
}

/** getLocalDetectors for the IPv4 family. */
export function localDetectorOf(config: KubeProxyConfiguration, podCIDRs: readonly string[]): LocalDetector {
  switch (config.detectLocalMode) {
    case 'ClusterCIDR': {
      const cidr = firstIPv4(config.clusterCIDRs);
      return cidr ? { kind: 'cidr', cidr } : { kind: 'none' };
    }
    case 'NodeCIDR': {
      const cidr = firstIPv4(podCIDRs);
      return cidr ? { kind: 'cidr', cidr } : { kind: 'none' };
    }
    case 'BridgeInterface':
      return { kind: 'interface', iface: config.bridgeInterface };
    case 'InterfaceNamePrefix':
      return { kind: 'interface', iface: `${config.interfaceNamePrefix}+` };
  }
}

/** NewNodePortAddresses for IPv4: the family's CIDRs (`primary` resolved to the node IP), or undefined for "every local address". */
export function nodePortCIDRs(config: KubeProxyConfiguration, nodeIP: string | undefined): string[] | undefined {
  let cidrs = config.nodePortAddresses;
  if (cidrs.length === 1 && cidrs[0] === NODE_PORT_ADDRESSES_PRIMARY) cidrs = nodeIP && !nodeIP.startsWith('127.') ? [`${nodeIP}/32`] : [];
  const v4 = cidrs.filter((c) => isCIDR(c) && tryParseCIDR(c) !== undefined);
  if (v4.length === 0 || v4.some((c) => tryParseCIDR(c)!.prefixLen === 0)) return undefined;
  return v4;
}

const LOOPBACK = parseIPv4('127.0.0.0');

/** NodePortAddresses.ContainsIPv4Loopback (every address when unset). */
function containsLoopback(cidrs: readonly string[] | undefined): boolean {
  if (cidrs === undefined) return true;
  return cidrs.some((c) => {
    const p = tryParseCIDR(c)!;
    return inSubnet(LOOPBACK, p.ip, p.prefixLen) || p.ip >>> 24 === 127;
  });
}

/** NewProxier: localhost NodePorts (and route_localnet) only when nodePortAddresses takes in 127.0.0.0/8. */
export function localhostNodePortsOn(config: KubeProxyConfiguration, nodeIP: string | undefined): boolean {
  return config.localhostNodePorts && containsLoopback(nodePortCIDRs(config, nodeIP));
}

/** What of the node the configuration is resolved against. */
export interface ProxyNodeFacts {
  nodeName: string;
  nodeIP: string | undefined;
  /** node.spec.podCIDRs (NodeCIDR mode). */
  podCIDRs: readonly string[];
  /** The node's interface addresses, asked only when nodePortAddresses selects some. */
  addresses: () => readonly number[];
}

/** The ProxyConfig kube-proxy's rules on the node are generated with. */
export function proxyConfigOf(config: KubeProxyConfiguration, node: ProxyNodeFacts): ProxyConfig {
  const cidrs = nodePortCIDRs(config, node.nodeIP);
  const cfg: ProxyConfig = {
    clusterCIDR: firstIPv4(config.clusterCIDRs) ?? '',
    masqueradeAll: config.masqueradeAll,
    nodeName: node.nodeName,
    nodeIPs: node.nodeIP ? [node.nodeIP] : [],
    localDetector: localDetectorOf(config, node.podCIDRs),
    masqueradeBit: config.masqueradeBit,
    localhostNodePorts: localhostNodePortsOn(config, node.nodeIP),
  };
  if (cidrs) {
    const nets = cidrs.map((c) => tryParseCIDR(c)!);
    const ips = new Set<number>();
    for (const a of node.addresses()) if (nets.some((n) => inSubnet(a, n.ip, n.prefixLen))) ips.add(a);
    cfg.nodePortIPs = [...ips].sort((a, b) => a - b).map(ipToString);
  }
  return cfg;
}

/**
 * Whether the configuration programs exactly the rules of kubeadm's default one on a cluster
 * with this pod network (what the compiled fast path models).
 */
export function isDefaultKubeProxyConfiguration(config: KubeProxyConfiguration, podCIDR: string): boolean {
  if (config.mode !== 'iptables' || config.masqueradeAll || config.masqueradeBit !== 14 || !config.localhostNodePorts) return false;
  if (nodePortCIDRs(config, undefined) !== undefined || config.nodePortAddresses.includes(NODE_PORT_ADDRESSES_PRIMARY)) return false;
  if (config.detectLocalMode !== 'ClusterCIDR') return false;
  const mine = tryParseCIDR(firstIPv4(config.clusterCIDRs) ?? '');
  const net = tryParseCIDR(podCIDR);
  return !!mine && !!net && mine.prefixLen === net.prefixLen && networkOf(mine.ip, mine.prefixLen) === networkOf(net.ip, net.prefixLen);
}
