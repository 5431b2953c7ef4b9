// What a test author asks of a cluster, as plain records: pods with their addresses, a Service
// with its ports and endpoints (as kube-proxy sees them, from EndpointSlices), a node's network
// identity. Read-only views over ClusterState; nobody needs to walk the state's shards.

import { endpointConditions } from '../api/endpoint-conditions.js';
import type { PodPhase, Protocol, ServiceType } from '../api/types.js';
import { isNodeReady, nodeInternalIP } from '../state/queries.js';
import { selectorMatches } from '../api/labels.js';
import { parseSelector } from '../shell/commands/kubectl/index.js';
import type { ClusterState } from '../state/types.js';

/** A pod as `kubectl get pods -o wide` shows it. */
export interface PodInfo {
  namespace: string;
  name: string;
  /** status.podIP; undefined while the pod has no sandbox (Pending, ContainerCreating). */
  ip: string | undefined;
  /** spec.nodeName; undefined while unscheduled. */
  node: string | undefined;
  phase: PodPhase;
  labels: Record<string, string>;
}

export interface PodQuery {
  /** Only this namespace (default: every namespace). */
  namespace?: string;
  /** A label selector as `kubectl -l` takes it (`app=web,tier!=db`, `app`, `!canary`) or labels to match exactly. */
  selector?: string | Record<string, string>;
  /** Only pods bound to this node. */
  node?: string;
}

export interface ServicePortInfo {
  /** The port's name ('' when unnamed, as kube-proxy keys it). */
  name: string;
  port: number;
  protocol: Protocol;
  targetPort: number | string;
  nodePort?: number;
}

/** One endpoint of a Service port, from its EndpointSlices. */
export interface ServiceEndpointInfo {
  ip: string;
  port: number;
  /** The Service port (by name) this endpoint serves. */
  portName: string;
  protocol: Protocol;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  node: string | undefined;
  /** "ns/name" of the pod behind the address, when it is one. */
  pod: string | undefined;
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  type: ServiceType;
  /** spec.clusterIPs (empty for headless and ExternalName Services). */
  clusterIPs: string[];
  headless: boolean;
  ports: ServicePortInfo[];
  /** status.loadBalancer.ingress[].ip: what the load-balancer provider assigned. */
  loadBalancerIPs: string[];
  externalIPs: string[];
  externalName?: string;
  externalTrafficPolicy?: 'Cluster' | 'Local';
  internalTrafficPolicy?: 'Cluster' | 'Local';
  endpoints: ServiceEndpointInfo[];
}

export interface NodeInfo {
  name: string;
  /** The InternalIP address (eth0). */
  internalIP: string | undefined;
  /** spec.podCIDR; undefined until node IPAM assigned one. */
  podCIDR: string | undefined;
  ready: boolean;
  roles: string[];
}

function labelMatcher(selector: PodQuery['selector']): (labels: Record<string, string> | undefined) => boolean {
  if (selector === undefined) return () => true;
  if (typeof selector === 'string') return parseSelector(selector) ?? (() => true);
  return (labels) => selectorMatches({ matchLabels: selector }, labels);
}

export function listPods(state: ClusterState, q: PodQuery = {}): PodInfo[] {
  const matches = labelMatcher(q.selector);
  const namespaces = q.namespace !== undefined ? [q.namespace] : Object.keys(state.pods).sort();
  const out: PodInfo[] = [];
  for (const ns of namespaces) {
    const shard = state.pods[ns] ?? {};
    for (const name of Object.keys(shard).sort()) {
      const p = shard[name]!;
      if (q.node !== undefined && p.spec.nodeName !== q.node) continue;
      if (!matches(p.metadata.labels)) continue;
      out.push({ namespace: ns, name, ip: p.status.podIP, node: p.spec.nodeName, phase: p.status.phase, labels: { ...(p.metadata.labels ?? {}) } });
    }
  }
  return out;
}

/** "ns/name" or "name" (in default) → [namespace, name]. */
export function splitRef(ref: string): [string, string] {
  const i = ref.indexOf('/');
  return i < 0 ? ['default', ref] : [ref.slice(0, i), ref.slice(i + 1)];
}

export function describeService(state: ClusterState, ref: string): ServiceInfo | undefined {
  const [namespace, name] = splitRef(ref);
  const svc = state.services[namespace]?.[name];
  if (!svc) return undefined;
  const spec = svc.spec;
  const headless = spec.clusterIP === 'None';
  const endpoints: ServiceEndpointInfo[] = [];
  const slices = Object.values(state.endpointSlices[namespace] ?? {})
    .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name && s.addressType === 'IPv4')
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const s of slices) {
    for (const port of s.ports ?? []) {
      for (const ep of s.endpoints) {
        for (const ip of ep.addresses) {
          endpoints.push({
            ip,
            port: port.port ?? 0,
            portName: port.name ?? '',
            protocol: port.protocol ?? 'TCP',
            ...endpointConditions(ep),
            node: ep.nodeName,
            pod: ep.targetRef?.kind === 'Pod' ? `${ep.targetRef.namespace ?? namespace}/${ep.targetRef.name}` : undefined,
          });
        }
      }
    }
  }
  return {
    namespace,
    name,
    type: spec.type,
    clusterIPs: headless || spec.type === 'ExternalName' ? [] : [...(spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []))],
    headless,
    ports: (spec.ports ?? []).map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: p.protocol,
      targetPort: p.targetPort,
      ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
    })),
    loadBalancerIPs: (svc.status.loadBalancer.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : [])),
    externalIPs: [...(spec.externalIPs ?? [])],
    ...(spec.externalName !== undefined ? { externalName: spec.externalName } : {}),
    ...(spec.externalTrafficPolicy !== undefined ? { externalTrafficPolicy: spec.externalTrafficPolicy } : {}),
    ...(spec.internalTrafficPolicy !== undefined ? { internalTrafficPolicy: spec.internalTrafficPolicy } : {}),
    endpoints,
  };
}

export function describeNode(state: ClusterState, name: string): NodeInfo | undefined {
  const node = state.nodes[name];
  if (!node) return undefined;
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort();
  return { name, internalIP: nodeInternalIP(node), podCIDR: node.spec.podCIDR, ready: isNodeReady(node), roles };
}
