// What kube-proxy sees: each Service port with the endpoints its EndpointSlices list, built
// from ClusterState. Cached by the identity of each Service and of its namespace's slices, so an
// unchanged service port keeps the same object — rule generation memoises on that identity.

import { endpointConditions } from '../../api/endpoint-conditions.js';
import type { EndpointSlice, Service } from '../../api/types.js';
import type { ClusterState } from '../../state/types.js';
import type { ProxyEndpoint, ProxyServicePort } from './types.js';
import { groupBy } from '../../util/group.js';
import { namesWithLabel } from '../indexes.js';

function slicesByService(slices: Record<string, EndpointSlice> | undefined): Map<string, EndpointSlice[]> {
  return groupBy(Object.values(slices ?? {}), (s) => s.metadata.labels?.['kubernetes.io/service-name']);
}

function portsFor(svc: Service, slices: readonly EndpointSlice[]): ProxyServicePort[] {
  const ns = svc.metadata.namespace ?? 'default';
  const clusterIP = svc.spec.clusterIP && svc.spec.clusterIP !== 'None' ? svc.spec.clusterIP : undefined;
  const lbIPs = (svc.status.loadBalancer.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));
  return (svc.spec.ports ?? []).map((p) => {
    // One endpoint per "ip:port" across the Service's slices. As kube-proxy's EndpointSliceCache
    // merges them, a later copy replaces an earlier one unless the later one is terminating.
    const byKey = new Map<string, ProxyEndpoint>();
    for (const slice of slices) {
      if (slice.addressType !== 'IPv4') continue;
      const sp = slice.ports?.find((x) => (x.name ?? '') === (p.name ?? '') && (x.protocol ?? 'TCP') === p.protocol);
      if (!sp?.port) continue;
      for (const e of slice.endpoints) {
        const ip = e.addresses[0];
        if (!ip) continue;
        const ep: ProxyEndpoint = { ip, port: sp.port, ...endpointConditions(e) };
        if (e.nodeName) ep.nodeName = e.nodeName;
        if (e.targetRef?.kind === 'Pod') ep.pod = `${e.targetRef.namespace ?? ns}/${e.targetRef.name}`;
        const key = `${ip}:${sp.port}`;
        if (!byKey.has(key) || !ep.terminating) byKey.set(key, ep);
      }
    }
    const endpoints = [...byKey.values()];
    const out: ProxyServicePort = {
      namespace: ns,
      name: svc.metadata.name,
      portName: p.name ?? '',
      protocol: p.protocol,
      port: p.port,
      externalIPs: svc.spec.externalIPs ?? [],
      loadBalancerIPs: svc.spec.type === 'LoadBalancer' ? lbIPs : [],
      loadBalancerSourceRanges: svc.spec.type === 'LoadBalancer' ? (svc.spec.loadBalancerSourceRanges ?? []) : [],
      externalTrafficPolicy: svc.spec.externalTrafficPolicy ?? 'Cluster',
      internalTrafficPolicy: svc.spec.internalTrafficPolicy ?? 'Cluster',
      endpoints,
    };
    if (clusterIP) out.clusterIP = clusterIP;
    if (p.nodePort) out.nodePort = p.nodePort;
    if (svc.spec.healthCheckNodePort) out.healthCheckNodePort = svc.spec.healthCheckNodePort;
    if (svc.spec.sessionAffinity === 'ClientIP') out.sessionAffinity = { timeoutSeconds: svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 };
    return out;
  });
}

const perService = new WeakMap<Service, { slices: EndpointSlice[]; ports: ProxyServicePort[] }>();
const perState = new WeakMap<ClusterState['services'], { slices: ClusterState['endpointSlices']; ports: ProxyServicePort[] }>();

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Every service port kube-proxy programs (ExternalName and headless services have none); it reads only Services and EndpointSlices. */
export function proxyServicePorts(state: Pick<ClusterState, 'services' | 'endpointSlices'>): ProxyServicePort[] {
  const hit = perState.get(state.services);
  if (hit && hit.slices === state.endpointSlices) return hit.ports;
  const out: ProxyServicePort[] = [];
  for (const ns of Object.keys(state.services).sort()) {
    const bySvc = slicesByService(state.endpointSlices[ns]);
    const shard = state.services[ns]!;
    for (const name of Object.keys(shard).sort()) {
      const svc = shard[name]!;
      if (svc.spec.type === 'ExternalName' || !svc.spec.clusterIP || svc.spec.clusterIP === 'None') continue;
      out.push(...portsOf(svc, bySvc.get(name) ?? []));
    }
  }
  perState.set(state.services, { slices: state.endpointSlices, ports: out });
  return out;
}

/** A Service's ports over its slices, the same objects while neither changes. */
function portsOf(svc: Service, slices: EndpointSlice[]): ProxyServicePort[] {
  const cached = perService.get(svc);
  if (cached && sameList(cached.slices, slices)) return cached.ports;
  const ports = portsFor(svc, slices);
  perService.set(svc, { slices, ports });
  return ports;
}

/**
 * One Service's ports as proxyServicePorts lists them (none for an ExternalName or headless
 * Service, or a name with no Service): what a change to one Service or its slices re-reads.
 */
export function serviceProxyPorts(state: Pick<ClusterState, 'services' | 'endpointSlices'>, namespace: string, name: string): ProxyServicePort[] {
  const shard = state.services[namespace];
  const svc = shard && Object.hasOwn(shard, name) ? shard[name] : undefined;
  if (!svc || svc.spec.type === 'ExternalName' || !svc.spec.clusterIP || svc.spec.clusterIP === 'None') return [];
  const slices = state.endpointSlices[namespace];
  return portsOf(
    svc,
    namesWithLabel(slices, 'kubernetes.io/service-name', name).map((n) => slices![n]!),
  );
}
