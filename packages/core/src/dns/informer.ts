// What CoreDNS's kubernetes plugin holds in its informer caches (Services, EndpointSlices,
// Namespaces, Pods), reduced to what the answers use and rebuilt only when the state changes.

import type { ServiceType } from '../api/types.js';
import type { ClusterState } from '../state/types.js';
import { canonicalIP } from './addresses.js';

export interface DnsPort {
  /** '' for unnamed ports. */
  name: string;
  /** -1 is CoreDNS's sentinel for an EndpointSlice without ports (A records, no SRV). */
  port: number;
  protocol: string;
}

export interface DnsEndpointAddress {
  /** Canonical address text. */
  ip: string;
  hostname: string;
  /** The Pod behind it (targetRef.name), for `endpoint_pod_names`. */
  targetRefName: string;
}

/** One EndpointSlice as CoreDNS converts it: ready addresses × ports. */
export interface DnsEndpoints {
  sliceName: string;
  service: string;
  namespace: string;
  addresses: DnsEndpointAddress[];
  ports: DnsPort[];
}

export interface DnsService {
  name: string;
  namespace: string;
  type: ServiceType;
  /** clusterIP "None". */
  headless: boolean;
  /** Canonical ClusterIPs (empty for headless and ExternalName). */
  clusterIPs: string[];
  externalName: string;
  ports: DnsPort[];
}

export interface DnsPod {
  name: string;
  namespace: string;
  ip: string;
}

export interface DnsData {
  clusterDomain: string;
  /** SOA serial: the informers' last-modified time (approximated: newest watched object). */
  serial: number;
  namespaces: ReadonlySet<string>;
  /** By `<namespace>/<name>`. */
  services: ReadonlyMap<string, DnsService>;
  /** EndpointSlices by `<namespace>/<service>` (the kubernetes.io/service-name label). */
  endpoints: ReadonlyMap<string, readonly DnsEndpoints[]>;
  servicesByClusterIP: ReadonlyMap<string, readonly DnsService[]>;
  /** Ready endpoint addresses by IP (EpIndexReverse). */
  endpointsByIP: ReadonlyMap<string, readonly DnsEndpoints[]>;
  /** Pods by status.podIP, without finished or terminating ones (the verified-pods informer). */
  podsByIP: ReadonlyMap<string, readonly DnsPod[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function createdSeconds(ts: string | undefined): number {
  const t = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

function buildDnsData(state: ClusterState): DnsData {
  let serial = 0;
  const namespaces = new Set<string>();
  for (const ns of Object.values(state.namespaces)) {
    namespaces.add(ns.metadata.name);
    serial = Math.max(serial, createdSeconds(ns.metadata.creationTimestamp));
  }
  const services = new Map<string, DnsService>();
  const servicesByClusterIP = new Map<string, DnsService[]>();
  for (const [ns, byName] of Object.entries(state.services)) {
    for (const svc of Object.values(byName)) {
      serial = Math.max(serial, createdSeconds(svc.metadata.creationTimestamp));
      const headless = svc.spec.clusterIP === 'None';
      const ips = svc.spec.type === 'ExternalName' || headless ? [] : (svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : []));
      const d: DnsService = {
        name: svc.metadata.name,
        namespace: ns,
        type: svc.spec.type,
        headless,
        clusterIPs: ips.map((ip) => canonicalIP(ip)?.text).filter((x): x is string => !!x),
        externalName: svc.spec.externalName ?? '',
        ports: (svc.spec.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol })),
      };
      services.set(`${ns}/${d.name}`, d);
      for (const ip of d.clusterIPs) push(servicesByClusterIP, ip, d);
    }
  }
  const endpoints = new Map<string, DnsEndpoints[]>();
  const endpointsByIP = new Map<string, DnsEndpoints[]>();
  for (const [ns, byName] of Object.entries(state.endpointSlices)) {
    for (const slice of Object.values(byName)) {
      if (slice.addressType === 'FQDN') continue;
      const service = slice.metadata.labels?.['kubernetes.io/service-name'] ?? '';
      serial = Math.max(serial, createdSeconds(slice.metadata.creationTimestamp));
      const ports: DnsPort[] = slice.ports?.length
        ? slice.ports.map((p) => ({ name: p.name ?? '', port: p.port ?? -1, protocol: p.protocol ?? '' }))
        : [{ name: '', port: -1, protocol: '' }];
      const addresses: DnsEndpointAddress[] = [];
      for (const e of slice.endpoints) {
        // Only ready endpoints (unset counts as ready, as in the API's semantics).
        if (e.conditions.ready === false) continue;
        for (const a of e.addresses) {
          const ip = canonicalIP(a)?.text;
          if (ip) addresses.push({ ip, hostname: e.hostname ?? '', targetRefName: e.targetRef?.name ?? '' });
        }
      }
      const d: DnsEndpoints = { sliceName: slice.metadata.name, service, namespace: ns, addresses, ports };
      push(endpoints, `${ns}/${service}`, d);
      for (const ip of new Set(addresses.map((a) => a.ip))) push(endpointsByIP, ip, d);
    }
  }
  const podsByIP = new Map<string, DnsPod[]>();
  for (const [ns, byName] of Object.entries(state.pods)) {
    for (const pod of Object.values(byName)) {
      const ip = pod.status.podIP;
      if (!ip || pod.metadata.deletionTimestamp) continue;
      if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed' || pod.status.phase === 'Unknown') continue;
      push(podsByIP, ip, { name: pod.metadata.name, namespace: ns, ip });
    }
  }
  return { clusterDomain: state.config.clusterDomain, serial, namespaces, services, endpoints, servicesByClusterIP, endpointsByIP, podsByIP };
}

interface CacheEntry {
  endpointSlices: unknown;
  pods: unknown;
  namespaces: unknown;
  domain: string;
  data: DnsData;
}

const dataCache = new WeakMap<object, CacheEntry>();

/** The plugin's view of `state`, rebuilt only when one of the watched slices changed identity. */
export function dnsData(state: ClusterState): DnsData {
  const hit = dataCache.get(state.services);
  if (hit && hit.endpointSlices === state.endpointSlices && hit.pods === state.pods && hit.namespaces === state.namespaces && hit.domain === state.config.clusterDomain) {
    return hit.data;
  }
  const data = buildDnsData(state);
  dataCache.set(state.services, { endpointSlices: state.endpointSlices, pods: state.pods, namespaces: state.namespaces, domain: state.config.clusterDomain, data });
  return data;
}

/** The first ready address of kube-system/kube-dns: a CoreDNS pod, when the caller names none. */
export function defaultServerIP(data: DnsData): string | undefined {
  for (const ep of data.endpoints.get('kube-system/kube-dns') ?? []) {
    const a = ep.addresses[0];
    if (a) return a.ip;
  }
  return undefined;
}
