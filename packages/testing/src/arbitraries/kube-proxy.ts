// fast-check generators of kube-proxy's input (service ports with endpoints), shared by the rule
// generator's property tests and the test that loads the output into the real iptables-restore.
// Test-only (imports fast-check).

import fc from 'fast-check';
import type { ProxyConfig, ProxyEndpoint, ProxyProtocol, ProxyServicePort } from '@k8s-netsim/core';

export const PROXY_NODE = 'node1';
export const PROXY_CONFIG: ProxyConfig = { clusterCIDR: '10.244.0.0/16', masqueradeAll: false, nodeName: PROXY_NODE, nodeIPs: ['192.168.1.11'] };

const octet = fc.integer({ min: 1, max: 254 });
const ip = (prefix: string) => fc.tuple(octet, octet).map(([a, b]) => `${prefix}.${a}.${b}`);
const port = fc.integer({ min: 1, max: 65535 });

/** Endpoint conditions as the EndpointSlice controller can set them (ready implies serving). */
const conditions = fc.constantFrom(
  { ready: true, serving: true, terminating: false },
  { ready: false, serving: false, terminating: false },
  { ready: false, serving: true, terminating: true },
  { ready: false, serving: false, terminating: true },
);

export function arbProxyEndpoint(opts: { allReady?: boolean } = {}): fc.Arbitrary<ProxyEndpoint> {
  return fc
    .record({
      ip: ip('10.244'),
      port: fc.constantFrom(80, 8080, 9376, 53),
      cond: opts.allReady ? fc.constant({ ready: true, serving: true, terminating: false }) : conditions,
      nodeName: fc.constantFrom(PROXY_NODE, 'node2', 'node3', undefined),
    })
    .map(({ ip, port, cond, nodeName }) => ({ ip, port, ...cond, ...(nodeName ? { nodeName } : {}) }));
}

export interface ProxyServicePortArbOptions {
  /** Only ClusterIP ports with Cluster policies, no affinity. */
  clusterIPOnly?: boolean;
  allReady?: boolean;
  /** Distinct "ip:port" endpoints (kube-proxy would merge duplicates). */
  uniqueEndpoints?: boolean;
  maxEndpoints?: number;
}

export function arbProxyServicePort(opts: ProxyServicePortArbOptions = {}): fc.Arbitrary<ProxyServicePort> {
  const eps = opts.uniqueEndpoints
    ? fc.uniqueArray(arbProxyEndpoint(opts), { maxLength: opts.maxEndpoints ?? 6, selector: (e) => `${e.ip}:${e.port}` })
    : fc.array(arbProxyEndpoint(opts), { maxLength: opts.maxEndpoints ?? 6 });
  const base = fc.record({
    namespace: fc.constantFrom('default', 'kube-system', 'ns1'),
    name: fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/),
    portName: fc.constantFrom('', 'http', 'dns-tcp', 'p80'),
    protocol: fc.constantFrom<ProxyProtocol>('TCP', 'UDP', 'SCTP'),
    clusterIP: ip('10.96'),
    port,
    endpoints: eps,
  });
  if (opts.clusterIPOnly) {
    return base.map(
      (b): ProxyServicePort => ({
        ...b,
        externalIPs: [],
        loadBalancerIPs: [],
        loadBalancerSourceRanges: [],
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
      }),
    );
  }
  return fc
    .record({
      base,
      headless: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'),
      nodePort: fc.integer({ min: 30000, max: 32767 }),
      externalIPs: fc.array(ip('203.0'), { maxLength: 2 }),
      loadBalancerIPs: fc.array(ip('192.168'), { minLength: 1, maxLength: 2 }),
      loadBalancerSourceRanges: fc.array(fc.constantFrom('203.0.113.0/25', '192.168.1.0/24', '10.0.0.0/8', '198.51.100.7/32'), { maxLength: 2 }),
      externalTrafficPolicy: fc.constantFrom<'Cluster' | 'Local'>('Cluster', 'Local'),
      internalTrafficPolicy: fc.constantFrom<'Cluster' | 'Local'>('Cluster', 'Local'),
      healthCheckNodePort: fc.integer({ min: 30000, max: 32767 }),
      affinity: fc.option(fc.integer({ min: 1, max: 86400 }), { nil: undefined }),
    })
    .map((r): ProxyServicePort => {
      // Headless services can only be ClusterIP ones (the API server refuses the rest).
      if (r.headless) {
        const { clusterIP: _none, ...rest } = r.base;
        return { ...rest, externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [], externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' };
      }
      const external = r.type !== 'ClusterIP' || r.externalIPs.length > 0;
      const lb = r.type === 'LoadBalancer';
      const etp = external ? r.externalTrafficPolicy : 'Cluster';
      return {
        ...r.base,
        ...(r.type !== 'ClusterIP' ? { nodePort: r.nodePort } : {}),
        externalIPs: r.externalIPs,
        loadBalancerIPs: lb ? r.loadBalancerIPs : [],
        loadBalancerSourceRanges: lb ? r.loadBalancerSourceRanges : [],
        externalTrafficPolicy: etp,
        internalTrafficPolicy: r.internalTrafficPolicy,
        ...(lb && etp === 'Local' ? { healthCheckNodePort: r.healthCheckNodePort } : {}),
        ...(r.affinity !== undefined ? { sessionAffinity: { timeoutSeconds: r.affinity } } : {}),
      };
    });
}

/** Service ports as one kube-proxy sees them: (service port name, protocol) unique. */
export function arbProxyServicePorts(opts: ProxyServicePortArbOptions & { maxLength?: number } = {}): fc.Arbitrary<ProxyServicePort[]> {
  return fc.uniqueArray(arbProxyServicePort(opts), {
    maxLength: opts.maxLength ?? 8,
    selector: (sp) => `${sp.namespace}/${sp.name}:${sp.portName}/${sp.protocol}`,
  });
}
