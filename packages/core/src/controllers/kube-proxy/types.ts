// kube-proxy's view of the cluster (what its ServiceChangeTracker / EndpointsChangeTracker
// hold): one entry per service port, with the endpoints that EndpointSlices list for it.
// Built by the Services controller stage from ClusterState; kube-proxy's rule generation
// (rules.ts) is a pure function of this and the node it runs on.

export type ProxyProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface ProxyEndpoint {
  ip: string;
  port: number;
  /** EndpointSlice conditions. */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  /** The pod behind it ("ns/name"), for traces. */
  pod?: string;
}

export interface ProxyServicePort {
  namespace: string;
  name: string;
  /** The Service port's name ('' when unnamed). */
  portName: string;
  protocol: ProxyProtocol;
  /** IPv4 ClusterIP; absent for headless services (which get no rules). */
  clusterIP?: string;
  port: number;
  nodePort?: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress[].ip */
  loadBalancerIPs: string[];
  loadBalancerSourceRanges: string[];
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  healthCheckNodePort?: number;
  /** Present when sessionAffinity is ClientIP. */
  sessionAffinity?: { timeoutSeconds: number };
  endpoints: ProxyEndpoint[];
}

export interface ProxyConfig {
  /** --cluster-cidr (the pod network), for the "from outside the cluster" masquerade rule. */
  clusterCIDR: string;
  masqueradeAll: boolean;
  /** The node this kube-proxy runs on (Local policies pick its endpoints). */
  nodeName: string;
  nodeIPs: string[];
}
