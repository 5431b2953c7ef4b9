// What the API server's Service REST strategy does on create and update: allocate the
// ClusterIP (unless headless or ExternalName), nodePorts (NodePort and LoadBalancer types, one
// per port number across protocols) and the healthCheckNodePort (LoadBalancer + Local), and
// keep what was allocated when an update does not mention it. Errors in the API's words.

import { newInvalid, type FieldError } from '../api/errors.js';
import { clusterIPRangeFull, nodePortRangeFull } from '../api/allocation-errors.js';
import type { ServiceSpec } from '../api/types.js';
import { AllocationError, NODE_PORT_RANGE, type ServiceAllocator } from './service-alloc.js';
import type { ClusterState } from '../state/types.js';

export interface ServiceContent {
  spec: ServiceSpec;
}

function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

function allocationFailure(draft: ClusterState, name: string, e: AllocationError): never {
  const range = `${NODE_PORT_RANGE.base}-${NODE_PORT_RANGE.base + NODE_PORT_RANGE.size - 1}`;
  let cause: FieldError;
  if (e.what === 'nodePort') {
    const field = e.index === -1 ? 'spec.healthCheckNodePort' : `spec.ports[${e.index}].nodePort`;
    if (e.reason === 'full') throw nodePortRangeFull({ kubernetesVersion: draft.config.kubernetesVersion });
    cause = {
      field,
      type: 'FieldValueInvalid',
      badValue: e.value,
      detail: e.reason === 'out-of-range' ? `provided port is not in the valid range. The range of valid ports is ${range}` : 'provided port is already allocated',
    };
  } else {
    if (e.reason === 'full') throw clusterIPRangeFull(draft.config.serviceCIDR, { kubernetesVersion: draft.config.kubernetesVersion });
    const ip = String(e.value);
    cause = {
      field: 'spec.clusterIPs',
      type: 'FieldValueInvalid',
      badValue: [ip],
      detail:
        e.reason === 'out-of-range'
          ? `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${draft.config.serviceCIDR}`
          : `failed to allocate IP ${ip}: provided IP is already allocated`,
    };
  }
  throw newInvalid('Service', name, [cause], { kubernetesVersion: draft.config.kubernetesVersion });
}

function allocatePorts(alloc: ServiceAllocator, key: string, spec: ServiceSpec, keep?: ServiceSpec): void {
  if (!needsNodePorts(spec)) {
    for (const p of spec.ports ?? []) delete p.nodePort;
    return;
  }
  const byNumber = new Map<number, number>();
  (spec.ports ?? []).forEach((p, i) => {
    // An update that does not name a nodePort keeps the one the port had.
    const previous = keep?.ports?.find((q) => q.port === p.port && q.protocol === p.protocol)?.nodePort;
    const shared = byNumber.get(p.port);
    const requested = p.nodePort ?? previous ?? shared;
    if (requested !== undefined && (requested === shared || requested === previous)) {
      p.nodePort = requested;
      alloc.claimNodePort(requested);
    } else {
      p.nodePort = alloc.allocateNodePort(key, i, requested);
    }
    byNumber.set(p.port, p.nodePort);
  });
  if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    const previous = keep?.healthCheckNodePort;
    if (spec.healthCheckNodePort === undefined && previous !== undefined) {
      spec.healthCheckNodePort = previous;
      alloc.claimNodePort(previous);
    } else {
      try {
        spec.healthCheckNodePort = alloc.allocateNodePort(key, -1, spec.healthCheckNodePort);
      } catch (e) {
        if (e instanceof AllocationError) throw new AllocationError(e.what, e.reason, e.value, -1);
        throw e;
      }
    }
  } else delete spec.healthCheckNodePort;
}

function allocateIPs(alloc: ServiceAllocator, key: string, spec: ServiceSpec, keep?: ServiceSpec): void {
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    return;
  }
  if (spec.clusterIP === 'None') {
    spec.clusterIPs = ['None'];
    return;
  }
  if (keep?.clusterIP && keep.clusterIP !== 'None' && (!spec.clusterIP || spec.clusterIP === keep.clusterIP)) {
    spec.clusterIP = keep.clusterIP;
    alloc.claimClusterIP(keep.clusterIP);
  } else {
    spec.clusterIP = alloc.allocateClusterIP(key, spec.clusterIP || undefined);
  }
  spec.clusterIPs = [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
}

/** A new Service: fill in what the allocators give it. */
export function allocateService(draft: ClusterState, alloc: ServiceAllocator, key: string, name: string, c: ServiceContent): ServiceContent {
  try {
    allocateIPs(alloc, key, c.spec);
    allocatePorts(alloc, key, c.spec);
  } catch (e) {
    if (e instanceof AllocationError) allocationFailure(draft, name, e);
    throw e;
  }
  return c;
}

/** An applied update: keep allocations the manifest leaves out; a changed ClusterIP is refused. */
export function mergeServiceUpdate(
  draft: ClusterState,
  alloc: ServiceAllocator,
  existing: { metadata: { name: string; namespace?: string }; spec: ServiceSpec },
  c: ServiceContent,
): ServiceContent {
  const old = existing.spec;
  const name = existing.metadata.name;
  if (c.spec.clusterIP && old.clusterIP && c.spec.clusterIP !== old.clusterIP && c.spec.type !== 'ExternalName' && old.type !== 'ExternalName') {
    throw newInvalid('Service', name, [{ field: 'spec.clusterIPs[0]', type: 'FieldValueInvalid', badValue: [c.spec.clusterIP], detail: 'may not change once set' }], {
      kubernetesVersion: draft.config.kubernetesVersion,
    });
  }
  alloc.release(existing as never);
  try {
    allocateIPs(alloc, `${existing.metadata.namespace}/${name}`, c.spec, old);
    allocatePorts(alloc, `${existing.metadata.namespace}/${name}`, c.spec, old);
  } catch (e) {
    if (e instanceof AllocationError) allocationFailure(draft, name, e);
    throw e;
  }
  return c;
}

type SpecFields = Record<string, unknown> & { ports?: Record<string, unknown>[] };

const externallyAccessible = (s: SpecFields): boolean =>
  s.type === 'LoadBalancer' || s.type === 'NodePort' || ((s.type ?? 'ClusterIP') === 'ClusterIP' && Array.isArray(s.externalIPs) && s.externalIPs.length > 0);
const nodePortBag = (s: SpecFields): string =>
  JSON.stringify([...new Set((s.ports ?? []).map((p) => p.nodePort).filter((n) => typeof n === 'number' && n !== 0))].sort((a, b) => (a as number) - (b as number)));
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The storage's dropTypeDependentFields, on an update before validation: a field the new type
 * no longer uses is wiped when the server may have filled it in and the user did not change it —
 * so `kubectl patch` from LoadBalancer to ClusterIP, or from externalTrafficPolicy Local to
 * Cluster, succeeds instead of tripping over the old nodePorts or healthCheckNodePort.
 */
export function dropTypeDependentFields(next: { spec?: unknown }, old: ServiceSpec): void {
  const n = next.spec as SpecFields | undefined;
  if (!n || typeof n !== 'object') return;
  const o = old as unknown as SpecFields;
  const type = (n.type as string | undefined) ?? 'ClusterIP';
  if (old.type !== 'ExternalName' && type === 'ExternalName') {
    if (same(o.clusterIP, n.clusterIP) && same(o.clusterIPs, n.clusterIPs)) {
      delete n.clusterIP;
      delete n.clusterIPs;
    }
    if (same(o.ipFamilies, n.ipFamilies)) delete n.ipFamilies;
    if (same(o.ipFamilyPolicy, n.ipFamilyPolicy)) delete n.ipFamilyPolicy;
  }
  if (needsNodePorts(old) && !needsNodePorts({ ...(n as unknown as ServiceSpec), type: type as ServiceSpec['type'] }) && nodePortBag(o) === nodePortBag(n)) {
    for (const p of n.ports ?? []) delete p.nodePort;
  }
  const needsHC = (s: SpecFields) => (s.type ?? 'ClusterIP') === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
  if (needsHC(o) && !needsHC(n) && same(o.healthCheckNodePort, n.healthCheckNodePort)) delete n.healthCheckNodePort;
  if (old.type === 'LoadBalancer' && type !== 'LoadBalancer') {
    if (n.allocateLoadBalancerNodePorts !== undefined && same(o.allocateLoadBalancerNodePorts, n.allocateLoadBalancerNodePorts)) delete n.allocateLoadBalancerNodePorts;
    if (same(o.loadBalancerClass, n.loadBalancerClass)) delete n.loadBalancerClass;
  }
  if (externallyAccessible(o) && !externallyAccessible(n) && same(o.externalTrafficPolicy, n.externalTrafficPolicy)) delete n.externalTrafficPolicy;
}
