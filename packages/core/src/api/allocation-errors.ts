// The errors the Service registry's allocators return (pkg/registry/core/service/storage/alloc.go,
// portallocator, ipallocator), as pure builders: the allocator that owns the state decides
// *that* something failed, these say it in the API server's words.
//
// Requested values that cannot be had are Invalid errors on the field; an exhausted range is an
// InternalError (the request itself was fine).

import { type ApiError, internalError, invalid, newInvalid } from './errors.js';

/** The Service an error is about: its name, or the object (namespace and requested clusterIPs are used when present). */
export type ServiceRef = string | { metadata: { name: string; namespace?: string }; spec?: { clusterIPs?: readonly string[] } };

export interface AllocationErrorOptions {
  /** Picks the bad-value rendering (Go syntax before 1.34, JSON after). */
  kubernetesVersion?: string;
}

/** --service-node-port-range default. */
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

function refName(service: ServiceRef): string {
  return typeof service === 'string' ? service : service.metadata.name;
}

function refNamespace(service: ServiceRef): string | undefined {
  return typeof service === 'string' ? undefined : service.metadata.namespace;
}

function invalidService(service: ServiceRef, field: string, badValue: unknown, detail: string, opts: AllocationErrorOptions): ApiError {
  return newInvalid('Service', refName(service), [invalid(field, badValue, detail)], {
    namespace: refNamespace(service),
    kubernetesVersion: opts.kubernetesVersion,
  });
}

/** portallocator.ErrNotInRange. */
export function nodePortNotInRangeMessage(range: string = DEFAULT_NODE_PORT_RANGE): string {
  return `provided port is not in the valid range. The range of valid ports is ${range}`;
}

/** portallocator.ErrAllocated. */
export const NODE_PORT_ALLOCATED_MESSAGE = 'provided port is already allocated';

/**
 * A requested nodePort outside the range:
 * `spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767`.
 */
export function nodePortOutOfRange(service: ServiceRef, index: number, port: number, range: string = DEFAULT_NODE_PORT_RANGE, opts: AllocationErrorOptions = {}): ApiError {
  return invalidService(service, `spec.ports[${index}].nodePort`, port, nodePortNotInRangeMessage(range), opts);
}

/** A requested nodePort another Service holds: `…nodePort: Invalid value: 30080: provided port is already allocated`. */
export function nodePortAllocated(service: ServiceRef, index: number, port: number, opts: AllocationErrorOptions = {}): ApiError {
  return invalidService(service, `spec.ports[${index}].nodePort`, port, NODE_PORT_ALLOCATED_MESSAGE, opts);
}

/** No free nodePort left for an automatic pick: `Internal error occurred: failed to allocate a nodePort: range is full`. */
export function nodePortRangeFull(opts: AllocationErrorOptions = {}): ApiError {
  return internalError('failed to allocate a nodePort: range is full', { kind: 'Service', kubernetesVersion: opts.kubernetesVersion });
}

/**
 * healthCheckNodePort failures (LoadBalancer + Local) are InternalErrors. A requested port:
 * `failed to allocate requested HealthCheck NodePort 30000: provided port is already allocated`;
 * an automatic pick from a full range names port 0 (the Go code prints the zero it got back).
 */
export function healthCheckNodePortFailed(
  reason: 'allocated' | 'out-of-range' | 'full',
  port?: number,
  range: string = DEFAULT_NODE_PORT_RANGE,
  opts: AllocationErrorOptions = {},
): ApiError {
  const extra = { kind: 'Service', kubernetesVersion: opts.kubernetesVersion };
  if (reason === 'full') return internalError('failed to allocate a HealthCheck NodePort 0: range is full', extra);
  const cause = reason === 'allocated' ? NODE_PORT_ALLOCATED_MESSAGE : nodePortNotInRangeMessage(range);
  return internalError(`failed to allocate requested HealthCheck NodePort ${port ?? 0}: ${cause}`, extra);
}

function clusterIPsOf(service: ServiceRef, ip: string): readonly string[] {
  // The registry reports the whole requested list (clusterIP is copied into it on create).
  const ips = typeof service === 'string' ? undefined : service.spec?.clusterIPs;
  return ips && ips.length > 0 ? ips : [ip];
}

/**
 * A requested ClusterIP already in use:
 * `spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated`.
 */
export function clusterIPAllocated(service: ServiceRef, ip: string, opts: AllocationErrorOptions = {}): ApiError {
  return invalidService(service, 'spec.clusterIPs', [...clusterIPsOf(service, ip)], `failed to allocate IP ${ip}: provided IP is already allocated`, opts);
}

/**
 * A requested ClusterIP outside --service-cluster-ip-range:
 * `…: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12`.
 */
export function clusterIPOutOfRange(service: ServiceRef, ip: string, cidr: string, opts: AllocationErrorOptions = {}): ApiError {
  return invalidService(
    service,
    'spec.clusterIPs',
    [...clusterIPsOf(service, ip)],
    `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidr}`,
    opts,
  );
}

/**
 * No free ClusterIP left: `Internal error occurred: failed to allocate a serviceIP: range is full`.
 * The message does not name the range; `cidr` is only there to mirror clusterIPOutOfRange.
 */
export function clusterIPRangeFull(_cidr?: string, opts: AllocationErrorOptions = {}): ApiError {
  return internalError('failed to allocate a serviceIP: range is full', { kind: 'Service', kubernetesVersion: opts.kubernetesVersion });
}
