import type { DaemonSet, Deployment, Namespace, Node, Pod, ReplicaSet } from '../api/types.js';
import type { NodeAgentState } from './node-agent.js';

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
  /** Flannel's MTU (eth0 MTU − 50 for VXLAN). */
  podMTU: number;
  /** Container runtime the kubelet talks to; `docker` keeps the seed's `docker ps` meaningful. */
  containerRuntime: 'docker' | 'containerd';
  /** Whether a CNI (Flannel) has been installed: without it nodes stay NotReady. */
  cni: 'flannel' | 'none';
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
  /** Per-node agent state (kubelet, CNI, runtime). */
  nodeAgents: Record<string, NodeAgentState>;
  /** Recent events, as `kubectl get events` would list them (bounded). */
  events: ClusterEvent[];
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
