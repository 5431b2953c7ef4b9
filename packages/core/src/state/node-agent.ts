// What the node agents (kubelet, the CNI plugins, the container runtime) keep on each node.
// This is node-local state a real cluster holds on disk (/var/lib/cni, the runtime's store),
// not in the API server; it lives in ClusterState so that a snapshot restores it exactly.

import type { EndpointSlice, Service } from '../api/types.js';
import type { KubeProxyConfiguration } from '../addons/kube-proxy-config.js';
import { seeded, seededHex, seededMac } from '../util/seeded.js';

/** One container as the runtime (dockerd / cri-dockerd) knows it. */
export interface RuntimeContainer {
  /** 64 lowercase hex characters. */
  id: string;
  /** dockershim naming: k8s_<container>_<pod>_<namespace>_<pod uid>_<attempt>; pause is k8s_POD_… */
  name: string;
  image: string;
  /** Image ID as `docker inspect` shows it: sha256:<64 hex>. */
  imageId: string;
  command: string;
  pid: number;
  /** Pod namespace/name. */
  pod: string;
  podUid: string;
  /** Container name inside the pod, 'POD' for the sandbox (pause) container. */
  container: string;
  created: string;
}

/**
 * The network side of a pod sandbox, written by the CNI plugin: Flannel's delegate (the bridge
 * plugin: a veth `veth…` enslaved to cni0) or, under canal, Calico's plugin (a routed veth
 * `cali…`, no bridge).
 */
export interface SandboxNetwork {
  /** 'calico' for Calico's plugin; absent for Flannel's bridge. */
  plugin?: 'calico';
  /** `cni-<uuid>` netns name under /var/run/netns. */
  netns: string;
  /** Host-side veth name: `veth` + 8 hex characters (bridge), `cali` + 11 (Calico). */
  hostVeth: string;
  hostIfindex: number;
  hostMac: string;
  /** Pod-side interface: always eth0, ifindex 2 inside the pod's netns. */
  podIfindex: number;
  podMac: string;
  /** uint32 pod IP. */
  ip: number;
  /** The id the node's kernel gave the pod's namespace (`link-netnsid N` under docker). */
  netnsId?: number;
  /** MTU the bridge plugin gave the veth pair (FLANNEL_MTU at the time of CNI ADD). */
  mtu: number;
  /** The host-side veth's bridge-port hairpin flag, set by the bridge plugin at CNI ADD (its `hairpinMode`). */
  hairpin: boolean;
}

export interface PodSandbox {
  podUid: string;
  /** namespace/name */
  pod: string;
  /** pause container id (the sandbox id). */
  sandboxId: string;
  /** Absent for hostNetwork pods. */
  network?: SandboxNetwork;
  containers: RuntimeContainer[];
}

/** host-local IPAM state: /var/lib/cni/networks/cbr0. */
export interface HostLocalIpam {
  /** Range as configured by the flannel CNI plugin (the node's podCIDR). */
  subnet: string;
  /** last_reserved_ip.0 (uint32), absent before the first allocation. */
  lastReserved?: number;
  /** uint32 IP → container id, one file per allocated IP. */
  allocated: Record<string, string>;
}

/** What flanneld set up on the node (kube subnet manager mode). */
export interface FlannelNodeState {
  /** The flannel pod that runs flanneld here ("ns/name"). */
  pod: string;
  /** net-conf.json Network. */
  network: string;
  backend: 'vxlan' | 'host-gw';
  /** FLANNEL_MTU: eth0's MTU − 50 for VXLAN, eth0's for host-gw. */
  mtu: number;
  ipMasq: boolean;
  /**
   * The delegate's `hairpinMode` in the CNI config flannel's install-cni init container copied to
   * /etc/cni/net.d when this flanneld pod started (cni-conf.json of kube-flannel-cfg then).
   */
  hairpinMode: boolean;
  /** VXLAN device flannel.<VNI>. */
  vxlan?: { vni: number; port: number; ifindex: number; vtepMac: string };
}

/**
 * kube-proxy on the node (controllers/kube-proxy/agent.ts): the pod that runs, or last ran, here
 * and what it read from its config file when its container started.
 */
export interface KubeProxyNodeState {
  /** The kube-proxy pod ("ns/name") and its uid. */
  pod: string;
  podUid: string;
  /** When its current container started (ms since the epoch). */
  startedAt: number;
  /** The configuration it runs with; absent while it cannot start. */
  config?: KubeProxyConfiguration;
  /** Its config file set no `mode`, so it logged "Using iptables proxy" when it chose one. */
  modeDefaulted?: boolean;
  /** Why its container exits at start (`"command failed" err=…`): it is in CrashLoopBackOff. */
  error?: string;
  /** When the first of its failed containers exited: the kubelet's back-off counts restarts from here. */
  crashedAt?: number;
  /** The ConfigMap its volume needs is missing: its container never starts (ContainerCreating). */
  waitingForConfigMap?: string;
  /**
   * What the node's netfilter holds from kube-proxy: the rules of the last kube-proxy that synced
   * here, with its configuration. While that kube-proxy runs they follow the Services; once it is
   * gone or crash-looping, `frozen` keeps the Services and EndpointSlices as it last saw them
   * (kube-proxy does not clean up on exit). Absent where no kube-proxy ever synced.
   */
  programmed?: {
    config: KubeProxyConfiguration;
    frozen?: { services: Record<string, Record<string, Service>>; endpointSlices: Record<string, Record<string, EndpointSlice>> };
  };
}

export interface NodeAgentState {
  /** Next interface index the root netns's kernel will hand out (never reused). */
  nextIfindex: number;
  /** Next PID the node's kernel will hand out. */
  nextPid: number;
  ipam?: HostLocalIpam;
  /** Set once flanneld runs on the node; its CNI config then makes the runtime network ready. */
  flannel?: FlannelNodeState;
  /** Why flanneld could not start, as it logs it. */
  flannelError?: string;
  /**
   * Set while canal's calico-node runs on the node: its install-cni wrote 10-canal.conflist, which
   * sorts before Flannel's 10-flannel.conflist, so new pod sandboxes get Calico's plugin; Felix
   * programs policy for the `cali+` interfaces.
   */
  calico?: { pod: string };
  /** kube-proxy's state on the node (absent before its first pod started here). */
  kubeProxy?: KubeProxyNodeState;
  /** Whether cni0 exists (the bridge plugin creates it on the first pod ADD). */
  cni0?: { ifindex: number; mac: string; mtu: number };
  /** Pod sandboxes by pod uid. */
  sandboxes: Record<string, PodSandbox>;
  /** Fixed per-node identity used by views (MACs of eth0, docker0, machine id). */
  eth0Mac: string;
  docker0Mac?: string;
}

/** A fresh node agent: ifindexes 1..3 are lo, eth0 and (with docker) docker0. */
export function newNodeAgent(seed: number, nodeName: string, runtime: 'docker' | 'containerd'): NodeAgentState {
  const agent: NodeAgentState = {
    nextIfindex: runtime === 'docker' ? 4 : 3,
    nextPid: 1000 + (seeded(seed, 'pidbase', nodeName) % 2000),
    sandboxes: {},
    eth0Mac: seededMac(seed, 'eth0', nodeName),
  };
  if (runtime === 'docker') agent.docker0Mac = `02:42:${seededHex(seed, 8, 'docker0', nodeName).match(/../g)?.join(':')}`;
  return agent;
}
