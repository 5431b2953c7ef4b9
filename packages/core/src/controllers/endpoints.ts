// The endpoints and EndpointSlice controllers (kube-controller-manager), and the API server's
// own reconciler for the `kubernetes` Service. A pod counts for a Service when it is in the
// same namespace, matches the selector, is not Succeeded/Failed, has an IP and is not being
// deleted (unless the Service publishes not-ready addresses). Named targetPorts are resolved
// per pod; a pod without that port is left out. Services without a selector are left alone.

import { freezeStored } from '../util/immer.js';
import type { EndpointAddress, EndpointPort, EndpointSlice, EndpointSliceEndpoint, Endpoints, Pod, Protocol, Service } from '../api/types.js';
import { controllerRef, createMeta } from '../state/meta.js';
import { listObjects, putObject, removeObject } from '../state/store.js';
import type { ClusterState } from '../state/types.js';
import { parseIPv4 } from '../net/ipv4.js';
import { seededSuffix } from '../util/seeded.js';
import { sameOrderedData } from '../util/canonical.js';
import { nodeInternalIP } from '../state/queries.js';
import { mapSelectorMatches } from './selector.js';
import { changedKeys, type Delta } from '../state/diff.js';
import { sortedKeys, type ControllerContext } from './context.js';
import { namesWithLabel, podIndex, selectingNames, selectorCandidates } from './indexes.js';

export const MAX_ENDPOINTS_PER_SLICE = 100;
const MANAGED_BY = 'endpointslice-controller.k8s.io';

function isReady(p: Pod): boolean {
  return p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The container port a Service port's targetPort means on this pod (undefined: the pod lacks it). */
export function resolveTargetPort(pod: Pod, target: number | string, protocol: Protocol): number | undefined {
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec.containers) {
    const p = c.ports?.find((x) => x.name === target && x.protocol === protocol);
    if (p) return p.containerPort;
  }
  return undefined;
}

interface Member {
  pod: Pod;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  ports: EndpointPort[];
}

function members(svc: Service, base: ClusterState): Member[] {
  const out: Member[] = [];
  if (!svc.spec.selector) return out;
  const ns = svc.metadata.namespace ?? 'default';
  for (const pod of selectorCandidates(podIndex(base.pods), base.pods[ns], ns, svc.spec.selector)) {
    if (!mapSelectorMatches(svc.spec.selector, pod.metadata.labels)) continue;
    if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed' || !pod.status.podIP) continue;
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    if (terminating && !svc.spec.publishNotReadyAddresses) continue;
    // A port the pod cannot resolve (a named targetPort it does not declare) is skipped, as
    // FindPort errors are in both controllers; the pod keeps the ports that do resolve.
    const ports: EndpointPort[] = [];
    for (const sp of svc.spec.ports ?? []) {
      const port = resolveTargetPort(pod, sp.targetPort, sp.protocol);
      if (port === undefined) continue;
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol, ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const serving = isReady(pod);
    out.push({ pod, ready: svc.spec.publishNotReadyAddresses ? true : serving && !terminating, serving, terminating, ports });
  }
  // By IP, as the controllers sort addresses (then by name: a terminating pod may share one).
  return out.sort(
    (a, b) =>
      parseIPv4(a.pod.status.podIP!) - parseIPv4(b.pod.status.podIP!) || (a.pod.metadata.name < b.pod.metadata.name ? -1 : a.pod.metadata.name > b.pod.metadata.name ? 1 : 0),
  );
}

function address(svc: Service, pod: Pod): EndpointAddress {
  const a: EndpointAddress = { ip: pod.status.podIP! };
  if (pod.spec.hostname && pod.spec.subdomain === svc.metadata.name) a.hostname = pod.spec.hostname;
  if (pod.spec.nodeName) a.nodeName = pod.spec.nodeName;
  a.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name, uid: pod.metadata.uid };
  return a;
}

function portsKey(ports: EndpointPort[]): string {
  return JSON.stringify(ports);
}

/** v1 Endpoints: one subset per distinct resolved port list; ready and not-ready addresses apart. */
function desiredSubsets(svc: Service, ms: Member[]): Endpoints['subsets'] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  const servicePorts = svc.spec.ports?.length ?? 0;
  for (const m of ms) {
    // The Endpoints controller lists a pod under the ports it resolves: with none, nowhere (the
    // EndpointSlice controller still lists it, in a slice without ports).
    if (servicePorts > 0 && m.ports.length === 0) continue;
    const k = portsKey(m.ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports: m.ports, ready: [], notReady: [] }));
    (m.ready ? g.ready : g.notReady).push(address(svc, m.pod));
  }
  const subsets = [...groups.values()].map((g) => ({
    ...(g.ready.length ? { addresses: g.ready } : {}),
    ...(g.notReady.length ? { notReadyAddresses: g.notReady } : {}),
    ...(g.ports.length ? { ports: g.ports } : {}),
  }));
  return subsets.length ? subsets : undefined;
}

function writeEndpoints({ base, draft }: ControllerContext, svc: Service, subsets: Endpoints['subsets']): boolean {
  const ns = svc.metadata.namespace ?? 'default';
  const seen = base.endpoints[ns]?.[svc.metadata.name];
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (seen) {
    if (sameOrderedData(seen.subsets, subsets) && sameOrderedData(seen.metadata.labels ?? {}, labels)) return false;
    const existing = draft.endpoints[ns]![svc.metadata.name]!;
    if (subsets) existing.subsets = freezeStored(subsets);
    else delete existing.subsets;
    if (Object.keys(labels).length) existing.metadata.labels = labels;
    // A Service that lost its labels: its Endpoints lose them too (else they never agree again).
    else delete existing.metadata.labels;
    existing.metadata.resourceVersion = String(++draft.resourceVersion);
    return true;
  }
  const ep: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: createMeta(draft, 'Endpoints', { name: svc.metadata.name, namespace: ns, labels }),
  };
  if (subsets) ep.subsets = subsets;
  putObject(draft, ep);
  return true;
}

function sliceEndpoint(svc: Service, m: Member): EndpointSliceEndpoint {
  const e: EndpointSliceEndpoint = {
    addresses: [m.pod.status.podIP!],
    conditions: { ready: m.ready, serving: m.serving, terminating: m.terminating },
  };
  if (m.pod.spec.hostname && m.pod.spec.subdomain === svc.metadata.name) e.hostname = m.pod.spec.hostname;
  if (m.pod.spec.nodeName) e.nodeName = m.pod.spec.nodeName;
  e.targetRef = { kind: 'Pod', namespace: m.pod.metadata.namespace ?? 'default', name: m.pod.metadata.name, uid: m.pod.metadata.uid };
  return e;
}

/** EndpointSlices: per distinct port list, chunks of at most 100 endpoints; names `<svc>-<5 chars>`. */
function writeSlices({ base, draft }: ControllerContext, svc: Service, ms: Member[]): boolean {
  const ns = svc.metadata.namespace ?? 'default';
  const groups = new Map<string, { ports: EndpointPort[]; eps: EndpointSliceEndpoint[] }>();
  for (const m of ms) {
    const k = portsKey(m.ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports: m.ports, eps: [] }));
    g.eps.push(sliceEndpoint(svc, m));
  }
  const desired: { ports: EndpointPort[]; eps: EndpointSliceEndpoint[] }[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.eps.length; i += MAX_ENDPOINTS_PER_SLICE) desired.push({ ports: g.ports, eps: g.eps.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
  }
  // A Service with no endpoints still gets one empty slice carrying its ports.
  if (desired.length === 0) {
    desired.push({
      ports: (svc.spec.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol })),
      eps: [],
    });
  }
  const owned = managedSlices(base, ns, svc.metadata.name).sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  let changed = false;
  const labels = {
    ...(svc.metadata.labels ?? {}),
    'endpointslice.kubernetes.io/managed-by': MANAGED_BY,
    'kubernetes.io/service-name': svc.metadata.name,
  };
  desired.forEach((d, i) => {
    const ports = d.ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : { name: '' }), port: p.port, protocol: p.protocol }));
    const seen = owned[i];
    if (seen) {
      if (sameOrderedData(seen.endpoints, d.eps) && sameOrderedData(seen.ports, ports)) return;
      const live = draft.endpointSlices[ns]![seen.metadata.name]!;
      live.endpoints = freezeStored(d.eps);
      live.ports = ports;
      live.metadata.resourceVersion = String(++draft.resourceVersion);
      changed = true;
      return;
    }
    let name = '';
    for (let attempt = 0; !name || draft.endpointSlices[ns]?.[name]; attempt++) {
      name = `${svc.metadata.name}-${seededSuffix(draft.config.seed, 5, 'slice', svc.metadata.uid, i, attempt)}`;
    }
    const slice: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        ...createMeta(draft, 'EndpointSlice', {
          name,
          namespace: ns,
          generateName: `${svc.metadata.name}-`,
          labels,
          ownerReferences: [controllerRef('v1', 'Service', svc.metadata)],
        }),
      },
      addressType: 'IPv4',
      endpoints: d.eps,
      ports,
    };
    putObject(draft, slice);
    changed = true;
  });
  for (const extra of owned.slice(desired.length)) {
    removeObject(draft, 'EndpointSlice', ns, extra.metadata.name);
    changed = true;
  }
  return changed;
}

/** The API server keeps `default/kubernetes` pointing at every control-plane node's :6443. */
function apiserverAddresses(base: ClusterState): EndpointAddress[] {
  const addrs: EndpointAddress[] = [];
  for (const name of base.nodeOrder) {
    const node = base.nodes[name];
    if (node?.metadata.labels?.['node-role.kubernetes.io/control-plane'] === undefined) continue;
    const ip = nodeInternalIP(node);
    if (ip) addrs.push({ ip });
  }
  return addrs;
}

/** Its EndpointSlice is named `kubernetes` and written by the API server itself. */
function writeApiserverSlice({ base, draft }: ControllerContext, svc: Service, addrs: EndpointAddress[]): boolean {
  const endpoints: EndpointSliceEndpoint[] = addrs.map((a) => ({ addresses: [a.ip], conditions: { ready: true } }));
  const ports = [{ name: 'https', port: 6443, protocol: 'TCP' as const }];
  if (base.endpointSlices.default?.kubernetes) {
    if (sameOrderedData(base.endpointSlices.default.kubernetes.endpoints, endpoints)) return false;
    const live = draft.endpointSlices.default!.kubernetes!;
    live.endpoints = endpoints;
    live.metadata.resourceVersion = String(++draft.resourceVersion);
    return true;
  }
  putObject(draft, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: createMeta(draft, 'EndpointSlice', { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': svc.metadata.name } }),
    addressType: 'IPv4',
    endpoints,
    ports,
  });
  return true;
}

/** The slices the EndpointSlice controller manages for one Service. */
function managedSlices(base: ClusterState, ns: string, service: string): EndpointSlice[] {
  const shard = base.endpointSlices[ns];
  return namesWithLabel(shard, 'kubernetes.io/service-name', service)
    .map((n) => shard![n]!)
    .filter((s) => s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY);
}

/** Bring one Service's Endpoints and EndpointSlices in line (or remove them with the Service). */
function syncService(ctx: ControllerContext, ns: string, name: string): boolean {
  const { base, draft } = ctx;
  const svc = base.services[ns]?.[name];
  if (!svc) {
    // Endpoints and slices of deleted Services go with them.
    let changed = false;
    if (base.endpoints[ns]?.[name]) changed = removeObject(draft, 'Endpoints', ns, name) || changed;
    for (const s of managedSlices(base, ns, name)) changed = removeObject(draft, 'EndpointSlice', ns, s.metadata.name) || changed;
    return changed;
  }
  if (ns === 'default' && name === 'kubernetes') {
    const addrs = apiserverAddresses(base);
    const subsets = addrs.length ? [{ addresses: addrs, ports: [{ name: 'https', port: 6443, protocol: 'TCP' as const }] }] : undefined;
    const a = writeEndpoints(ctx, svc, subsets);
    return writeApiserverSlice(ctx, svc, addrs) || a;
  }
  if (!svc.spec.selector || svc.spec.type === 'ExternalName') return false;
  const ms = members(svc, base);
  const a = writeEndpoints(ctx, svc, desiredSubsets(svc, ms));
  return writeSlices(ctx, svc, ms) || a;
}

/** Services whose endpoints may differ after `delta`: changed ones, those selecting changed pods, those whose endpoint objects changed. */
function dirtyServices(base: ClusterState, delta: Delta): Set<string> {
  const keys = changedKeys(delta.of('Service'));
  for (const c of delta.of('Pod')) {
    const shard = base.services[c.namespace];
    for (const p of [c.before, c.after]) {
      if (!p) continue;
      for (const n of selectingNames(shard, p.metadata.labels)) keys.add(`${c.namespace}/${n}`);
    }
  }
  changedKeys(delta.of('Endpoints'), keys);
  for (const c of delta.of('EndpointSlice')) {
    for (const s of [c.before, c.after]) {
      const svc = s?.metadata.labels?.['kubernetes.io/service-name'];
      if (svc) keys.add(`${c.namespace}/${svc}`);
    }
  }
  if (delta.nodes.length || delta.nodeOrderChanged) keys.add('default/kubernetes');
  return keys;
}

export function reconcileEndpoints(ctx: ControllerContext): boolean {
  const { base, delta } = ctx;
  let changed = false;
  if (delta) {
    for (const [ns, name] of sortedKeys(dirtyServices(base, delta))) changed = syncService(ctx, ns, name) || changed;
    return changed;
  }
  for (const svc of listObjects(base, 'Service') as Service[]) changed = syncService(ctx, svc.metadata.namespace ?? 'default', svc.metadata.name) || changed;
  // Endpoints and slices whose Service is gone.
  for (const ep of listObjects(base, 'Endpoints') as Endpoints[]) {
    const ns = ep.metadata.namespace ?? 'default';
    if (!base.services[ns]?.[ep.metadata.name]) changed = removeObject(ctx.draft, 'Endpoints', ns, ep.metadata.name) || changed;
  }
  for (const s of listObjects(base, 'EndpointSlice') as EndpointSlice[]) {
    const ns = s.metadata.namespace ?? 'default';
    const svcName = s.metadata.labels?.['kubernetes.io/service-name'];
    if (s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY && svcName && !base.services[ns]?.[svcName]) {
      changed = removeObject(ctx.draft, 'EndpointSlice', ns, s.metadata.name) || changed;
    }
  }
  return changed;
}
