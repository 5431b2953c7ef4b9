// Cluster creation options (kubeadm init's flags, the CNI, the lab's add-ons and its simulated
// internet) and their defaults: the ClusterConfig a lab starts from, and its nodes.

import { DEFAULT_KUBERNETES_VERSION } from '../api/version.js';
import { defaultUpstreamZone } from '../dns/upstream.js';
import { nthAddress, parseCidr, rangeText, subRange } from '../net/cidr.js';
import { ipToString } from '../net/ipv4.js';
import type { ClusterConfig, ExternalHost } from '../state/types.js';

export interface NodeSpecInput {
  name: string;
  role?: 'control-plane' | 'worker';
  /** eth0 address; default: the node network's .10, .11, … */
  ip?: string;
}

export interface ClusterOptions {
  seed?: number;
  kubernetesVersion?: string;
  /** Node count (first is the control plane) or explicit nodes. Default: controlplane, node01, node02. */
  nodes?: number | NodeSpecInput[];
  podCIDR?: string;
  nodeCIDRMaskSize?: number;
  serviceCIDR?: string;
  clusterDomain?: string;
  nodeNetwork?: string;
  nodeGateway?: string;
  /**
   * The CNI installed at creation: Flannel (default, kube-flannel.yml: no NetworkPolicy
   * enforcement), canal (canal.yaml: Flannel's VXLAN network with Calico's policy, routed `cali…`
   * veths), or none, as after `kubeadm init`.
   */
  cni?: 'flannel' | 'canal' | 'none';
  /** Flannel's backend in net-conf.json (default vxlan). */
  flannelBackend?: 'vxlan' | 'host-gw';
  /**
   * The bridge plugin's `hairpinMode` in Flannel's cni-conf.json (default true, as kube-flannel.yml
   * ships it): whether a pod can reach itself through its own Service.
   */
  hairpinMode?: boolean;
  containerRuntime?: 'docker' | 'containerd';
  /** MetalLB's L2 address pool (default `192.168.56.240-192.168.56.250` on the node network), or false for no provider. */
  loadBalancerPool?: string[] | false;
  /** Install ingress-nginx (default true): IngressClass `nginx` (default), its LoadBalancer Service. */
  ingressController?: boolean;
  /** Extra names the simulated internet's DNS answers (e.g. `{ 'kubeserve.example.com': { A: ['192.168.56.240'] } }`). */
  dnsZone?: Record<string, { A?: string[]; AAAA?: string[]; CNAME?: string; TXT?: string[] }>;
  /** Hosts on the simulated internet (default: 8.8.8.8, 1.1.1.1, example.com). */
  externalHosts?: ExternalHost[];
  /** When the control plane was initialised (RFC 3339). */
  startTime?: string;
}

/** The lab's nodes: names (controlplane, node01, …), roles and eth0 addresses (.10, .11, … of the node network). */
export function nodeSpecs(opts: ClusterOptions, config: ClusterConfig): Required<NodeSpecInput>[] {
  const given = opts.nodes ?? 3;
  const list: NodeSpecInput[] =
    typeof given === 'number'
      ? Array.from({ length: given }, (_, i) => ({ name: i === 0 ? 'controlplane' : `node${String(i).padStart(2, '0')}`, role: i === 0 ? 'control-plane' : 'worker' }))
      : given;
  if (list.length === 0) throw new Error('a cluster needs at least one node');
  const nodeNet = parseCidr(config.nodeNetwork);
  const capacity = nodeNet.size - 12;
  if (list.length > capacity) throw new Error(`nodeNetwork ${config.nodeNetwork} has room for ${capacity} nodes, not ${list.length}`);
  return list.map((n, i) => ({
    name: n.name,
    role: n.role ?? (i === 0 ? 'control-plane' : 'worker'),
    ip: n.ip ?? ipToString(nthAddress(nodeNet, 10 + i)),
  }));
}

function defaultLoadBalancer(opts: ClusterOptions): ClusterConfig['loadBalancer'] {
  if (opts.loadBalancerPool === false) return { provider: 'none', pool: [], provisionDelayMs: 0 };
  if (opts.loadBalancerPool) return { provider: 'metallb', pool: opts.loadBalancerPool, provisionDelayMs: 2000 };
  // The top of the node network's /24, as lab guides carve out for MetalLB.
  const nodeNet = parseCidr(opts.nodeNetwork ?? '192.168.56.0/24');
  return { provider: 'metallb', pool: [rangeText(subRange(nodeNet, nodeNet.size - 16, 11))], provisionDelayMs: 2000 };
}

/** Well-known public hosts, so pods and nodes have somewhere real-looking to reach. */
export const DEFAULT_EXTERNAL_HOSTS: ExternalHost[] = [
  {
    ip: '8.8.8.8',
    name: 'dns.google',
    listens: [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
      { port: 443, protocol: 'TCP' },
    ],
    replyTtl: 118,
  },
  {
    ip: '1.1.1.1',
    name: 'one.one.one.one',
    listens: [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
      { port: 80, protocol: 'TCP' },
      { port: 443, protocol: 'TCP' },
    ],
    replyTtl: 57,
  },
  {
    ip: '93.184.215.14',
    name: 'example.com',
    listens: [
      { port: 80, protocol: 'TCP' },
      { port: 443, protocol: 'TCP' },
    ],
    replyTtl: 56,
  },
];

export function defaultConfig(opts: ClusterOptions = {}): ClusterConfig {
  return {
    kubernetesVersion: opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    seed: opts.seed ?? 1,
    podCIDR: opts.podCIDR ?? '10.244.0.0/16',
    nodeCIDRMaskSize: opts.nodeCIDRMaskSize ?? 24,
    serviceCIDR: opts.serviceCIDR ?? '10.96.0.0/12',
    clusterDomain: opts.clusterDomain ?? 'cluster.local',
    nodeNetwork: opts.nodeNetwork ?? '192.168.56.0/24',
    nodeGateway: opts.nodeGateway ?? ipToString(nthAddress(parseCidr(opts.nodeNetwork ?? '192.168.56.0/24'), 1)),
    nodeMTU: 1500,
    loadBalancer: defaultLoadBalancer(opts),
    internet: { gatewayPublicIP: '203.0.113.1', hosts: opts.externalHosts ?? DEFAULT_EXTERNAL_HOSTS, dnsZone: { ...defaultUpstreamZone(), ...(opts.dnsZone ?? {}) } },
    containerRuntime: opts.containerRuntime ?? 'docker',
  };
}

const DEFAULT_START = '2026-11-25T09:00:00Z';

/** When the control plane was initialised, in ms since the epoch (opts.startTime, RFC 3339). */
export function startTimeMs(opts: ClusterOptions): number {
  const start = Date.parse(opts.startTime ?? DEFAULT_START);
  if (Number.isNaN(start)) throw new Error(`startTime: not an RFC 3339 time: ${opts.startTime}`);
  return start;
}
