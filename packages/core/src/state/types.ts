import type {
  ClusterRole,
  ClusterRoleBinding,
  ConfigMap,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Endpoints,
  Ingress,
  IngressClass,
  NetworkPolicy,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  Service,
  ServiceAccount,
} from '../api/types.js';
import type { NodeAgentState } from './node-agent.js';

/** A host on the simulated internet beyond the node network's gateway. */
export interface ExternalHost {
  ip: string;
  name: string;
  listens: { port: number; protocol: 'TCP' | 'UDP' }[];
  /** Initial TTL of its replies as seen after the internet's routers (ping's ttl=). */
  replyTtl: number;
}

/** One route in the workstation's main table, as `ip route add` stored it (addresses as text). */
export interface WorkstationRoute {
  /** Destination network, `a.b.c.d/len` (`0.0.0.0/0` for `default`). */
  dst: string;
  /** The gateway (`via`); absent for a route straight out of the device (scope link). */
  via?: string;
  dev: string;
  /** `metric`/`priority`; absent is 0. */
  metric?: number;
  /** `proto`, when given and not the default `boot`. */
  proto?: 'static' | 'kernel' | 'dhcp';
  /** `src`: the preferred source address. */
  src?: string;
}

/** Cluster-wide settings fixed at creation (kubeadm init flags, CNI choice, runtime). */
export interface ClusterConfig {
  /** Kubernetes version, e.g. "1.31.4"; older versions change behaviour (kubectl run, Ingress). */
  kubernetesVersion: string;
  /** Seed for every random choice: names, MACs, IDs, scheduler tie-breaks. */
  seed: number;
  /** --pod-network-cidr / Flannel Network. */
  podCIDR: string;
  /** --node-cidr-mask-size (kube-controller-manager), /24 by default. */
  nodeCIDRMaskSize: number;
  /** --service-cidr. */
  serviceCIDR: string;
  clusterDomain: string;
  /** The L2 network the nodes' eth0 sit on, and its gateway. */
  nodeNetwork: string;
  nodeGateway: string;
  /** MTU of the nodes' eth0 (the overlay's MTU is derived from it). */
  nodeMTU: number;
  /**
   * The load-balancer provider: MetalLB in L2 mode with one address pool on the node network
   * (ranges `a.b.c.d-a.b.c.e` or CIDRs), or none (LoadBalancer Services stay `<pending>`).
   */
  loadBalancer: { provider: 'metallb' | 'none'; pool: string[]; provisionDelayMs: number };
  /** The gateway NATs the node network to this public address; beyond it, these hosts. */
  internet: { gatewayPublicIP: string; hosts: ExternalHost[]; dnsZone: Record<string, { A?: string[]; AAAA?: string[]; CNAME?: string; TXT?: string[] }> };
  /** Container runtime the kubelet talks to; `docker` keeps the seed's `docker ps` meaningful. */
  containerRuntime: 'docker' | 'containerd';
}

/** Objects of one namespaced kind, sharded by namespace so one change copies little. */
export type Namespaced<T> = Record<string, Record<string, T>>;

export interface ClusterState {
  config: ClusterConfig;
  /** Simulated wall clock, milliseconds since the Unix epoch. */
  clock: number;
  /** Monotonic resourceVersion counter. */
  resourceVersion: number;
  namespaces: Record<string, Namespace>;
  nodes: Record<string, Node>;
  /** Node names in registration order (podCIDR allocation and views follow it). */
  nodeOrder: string[];
  pods: Namespaced<Pod>;
  deployments: Namespaced<Deployment>;
  replicaSets: Namespaced<ReplicaSet>;
  daemonSets: Namespaced<DaemonSet>;
  configMaps: Namespaced<ConfigMap>;
  serviceAccounts: Namespaced<ServiceAccount>;
  services: Namespaced<Service>;
  endpoints: Namespaced<Endpoints>;
  endpointSlices: Namespaced<EndpointSlice>;
  ingresses: Namespaced<Ingress>;
  /** Stored and validated; the lab's Flannel enforces none of them (state/networkpolicy.ts evaluates them). */
  networkPolicies: Namespaced<NetworkPolicy>;
  ingressClasses: Record<string, IngressClass>;
  clusterRoles: Record<string, ClusterRole>;
  clusterRoleBindings: Record<string, ClusterRoleBinding>;
  /**
   * What the CoreDNS pods have loaded: the last Corefile that parsed (the reload plugin picks up
   * ConfigMap edits; a broken edit is logged and the old one keeps serving).
   */
  coredns: { corefile: string; error?: string; logs?: Record<string, string[]> };
  /** The student's workstation on the node network (the lab host): its extra /etc/hosts lines, name → IP. */
  workstationHosts: Record<string, string>;
  /**
   * Routes the student added on the workstation (`sudo ip route add …`), in the order they were
   * added; absent until the first one. The workstation is the node network's gateway, so these
   * also route what it forwards from the internet into the lab.
   */
  workstationRoutes?: WorkstationRoute[];
  /** kube-scheduler's in-memory state: where the next pod's node search starts (large clusters). */
  scheduler?: { nextStartNodeIndex: number };
  /**
   * kube-controller-manager's ReplicaSet expectations: for each ReplicaSet (`ns/name`) whose last
   * sync was cut at burstReplicas, the clock of that sync. It syncs again once the clock has moved
   * on (its creations or deletions observed).
   */
  replicaSetExpectations?: Record<string, number>;
  /** Per-node agent state (kubelet, CNI, runtime), in buckets: read with `getAgent`. */
  nodeAgents: Namespaced<NodeAgentState>;
  /** Recent events, as `kubectl get events` would list them (bounded), in chunks: read with `clusterEvents`. */
  events: ClusterEvent[][];
}

export interface ClusterEvent {
  /** involvedObject */
  kind: string;
  namespace?: string;
  name: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  source: string;
  time: number;
}
