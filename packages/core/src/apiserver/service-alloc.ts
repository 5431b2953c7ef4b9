// The API server's Service allocators, run when a Service is created or updated: ClusterIPs
// from --service-cluster-ip-range and nodePorts from --service-node-port-range, each with a
// static band (for requested values) and a dynamic band (random picks), as KEP-3070/3668 made
// them. Random picks are seeded draws; the used sets are derived from the stored Services.

import type { Service } from '../api/types.js';
import { type AddressRange, contains, hostRange, nthAddress, parseCidr, subRange } from '../net/cidr.js';
import { ipToString, tryParseIPv4 } from '../net/ipv4.js';
import type { ClusterState } from '../state/types.js';
import { seeded } from '../util/seeded.js';

export const NODE_PORT_RANGE = { base: 30000, size: 2768 } as const;

/** min(max(min, size/step), max): the static band's size (KEP-3070, KEP-3668). */
function staticBand(size: number, step: number, max: number): number {
  return Math.min(Math.max(16, Math.floor(size / step)), max);
}

export class AllocationError extends Error {
  constructor(
    readonly what: 'clusterIP' | 'nodePort',
    readonly reason: 'allocated' | 'out-of-range' | 'full',
    readonly value?: number | string,
    readonly index?: number,
  ) {
    super(`${what} ${reason}${value !== undefined ? `: ${value}` : ''}`);
  }
}

/** Allocation state for one transition, derived from the Services the store holds. */
export class ServiceAllocator {
  private readonly ips = new Set<number>();
  private readonly ports = new Set<number>();
  /** --service-cluster-ip-range without its network and broadcast addresses. */
  private readonly usable: AddressRange;
  /** The usable addresses' static band (its first min(max(16, size/16), 256)) and the dynamic one above it. */
  private readonly staticIPs: AddressRange;
  private readonly dynamicIPs: AddressRange;

  constructor(private readonly draft: ClusterState) {
    const cidr = parseCidr(draft.config.serviceCIDR);
    this.usable = hostRange(cidr);
    // The band is sized from the whole CIDR; a /28 or smaller has no dynamic band.
    const band = staticBand(cidr.size, 16, 256);
    this.staticIPs = subRange(this.usable, 0, band);
    this.dynamicIPs = subRange(this.usable, band, this.usable.size - band);
    for (const shard of Object.values(draft.services)) {
      for (const svc of Object.values(shard)) this.markService(svc);
    }
  }

  private markService(svc: Service): void {
    for (const ip of svc.spec.clusterIPs ?? []) {
      const n = tryParseIPv4(ip);
      if (n !== undefined) this.ips.add(n);
    }
    for (const p of svc.spec.ports ?? []) if (p.nodePort) this.ports.add(p.nodePort);
    if (svc.spec.healthCheckNodePort) this.ports.add(svc.spec.healthCheckNodePort);
  }

  /** Forget a Service's allocations (it is being updated or deleted). */
  release(svc: Service): void {
    for (const ip of svc.spec.clusterIPs ?? []) {
      const n = tryParseIPv4(ip);
      if (n !== undefined) this.ips.delete(n);
    }
    for (const p of svc.spec.ports ?? []) if (p.nodePort) this.ports.delete(p.nodePort);
    if (svc.spec.healthCheckNodePort) this.ports.delete(svc.spec.healthCheckNodePort);
  }

  /** Re-claim a value an updated Service keeps. */
  claimNodePort(port: number): void {
    this.ports.add(port);
  }

  claimClusterIP(ip: string): void {
    const n = tryParseIPv4(ip);
    if (n !== undefined) this.ips.add(n);
  }

  /** The CIDR's first usable address (network+1) is `kubernetes`; the broadcast is never used. */
  allocateClusterIP(key: string, requested?: string): string {
    if (requested) {
      const n = tryParseIPv4(requested);
      if (n === undefined || !contains(this.usable, n)) throw new AllocationError('clusterIP', 'out-of-range', requested);
      if (this.ips.has(n)) throw new AllocationError('clusterIP', 'allocated', requested);
      this.ips.add(n);
      return requested;
    }
    const pick = (range: AddressRange, purpose: string): number | undefined => {
      const count = range.size;
      if (count <= 0) return undefined;
      const start = seeded(this.draft.config.seed, purpose, key, this.draft.resourceVersion) % count;
      for (let i = 0; i < count; i++) {
        const n = nthAddress(range, (start + i) % count);
        if (!this.ips.has(n)) return n;
      }
      return undefined;
    };
    // Dynamic band first (above the static band), then the static band as a fallback.
    const n = pick(this.dynamicIPs, 'clusterip-dynamic') ?? pick(this.staticIPs, 'clusterip-static');
    if (n === undefined) throw new AllocationError('clusterIP', 'full');
    this.ips.add(n);
    return ipToString(n);
  }

  allocateNodePort(key: string, index: number, requested?: number): number {
    const { base, size } = NODE_PORT_RANGE;
    if (requested !== undefined) {
      if (requested < base || requested >= base + size) throw new AllocationError('nodePort', 'out-of-range', requested, index);
      if (this.ports.has(requested)) throw new AllocationError('nodePort', 'allocated', requested, index);
      this.ports.add(requested);
      return requested;
    }
    const band = staticBand(size, 32, 128);
    const pick = (from: number, count: number, purpose: string): number | undefined => {
      const start = seeded(this.draft.config.seed, purpose, key, index, this.draft.resourceVersion) % count;
      for (let i = 0; i < count; i++) {
        const p = from + ((start + i) % count);
        if (!this.ports.has(p)) return p;
      }
      return undefined;
    };
    const p = pick(base + band, size - band, 'nodeport-dynamic') ?? pick(base, band, 'nodeport-static');
    if (p === undefined) throw new AllocationError('nodePort', 'full', undefined, index);
    this.ports.add(p);
    return p;
  }
}
