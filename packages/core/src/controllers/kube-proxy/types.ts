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

/**
 * How kube-proxy tells traffic from local pods from the rest (pkg/proxy/util/localdetector.go):
 * by source CIDR (detectLocalMode ClusterCIDR or NodeCIDR: `-s CIDR` / `! -s CIDR`), by input
 * interface (BridgeInterface: `-i cni0`; InterfaceNamePrefix: `-i veth+`), or not at all.
 */
export type LocalDetector = { kind: 'none' } | { kind: 'cidr'; cidr: string } | { kind: 'interface'; iface: string };

export interface ProxyConfig {
  /** --cluster-cidr (the pod network): the local-traffic detector when `localDetector` is absent ('' for none). */
  clusterCIDR: string;
  masqueradeAll: boolean;
  /** The node this kube-proxy runs on (Local policies pick its endpoints). */
  nodeName: string;
  nodeIPs: string[];
  /** The local-traffic detector; absent: by `clusterCIDR`. */
  localDetector?: LocalDetector;
  /** iptables.masqueradeBit: KUBE-MARK-MASQ's mark is 1 << bit (default 14: 0x4000). */
  masqueradeBit?: number;
  /** NodePorts answer on 127.0.0.0/8 (default true; kube-proxy turns it off when nodePortAddresses leaves out loopback). */
  localhostNodePorts?: boolean;
  /**
   * The node addresses NodePorts answer on when nodePortAddresses selects some (its CIDRs matched
   * against the node's interface addresses, in address order); absent: every local address.
   */
  nodePortIPs?: string[];
}
