// The load-balancer provider: MetalLB's controller assigns each LoadBalancer Service the first
// free address of its pool (a requested spec.loadBalancerIP if it is in the pool and free), a
// moment after the Service appears (so `kubectl get svc` shows `<pending>` first); MetalLB's L2
// speakers then answer ARP for it from one node. Without a provider the Service stays pending.

import * as crypto from 'node:crypto';

/** Hex SHA-256; the one-shot `crypto.hash` (Node ≥ 20.12) is several times cheaper than a Hash object. */
// @types/node declares `hash` unconditionally; on Node < 20.12 it is undefined.
const oneShotHash: typeof crypto.hash | undefined = crypto.hash;
const sha256Hex: (text: string) => string =
  typeof oneShotHash === 'function' ? (text) => oneShotHash('sha256', text) : (text) => crypto.createHash('sha256').update(text).digest('hex');
import type { Service } from '../api/types.js';
import { addresses, parseCidr, tryParseRange } from '../net/cidr.js';
import { ipToString, tryParseIPv4 } from '../net/ipv4.js';
import { listObjects } from '../state/store.js';
import type { ClusterState } from '../state/types.js';
import { reconcileTargets, type ControllerContext } from './context.js';
import { changedKeys } from '../state/diff.js';
import { clusterEvents, recordEvent } from './events.js';
import { isNodeReady } from '../state/queries.js';

/**
 * Every address of the pool, in order: ranges `a-b` (an unreadable or reversed one gives none) and
 * CIDRs, network and broadcast addresses included: MetalLB hands out every address of a CIDR pool
 * (only an IPAddressPool's avoidBuggyIPs, not modelled, skips addresses ending in .0 and .255).
 */
export function poolAddresses(pool: readonly string[]): number[] {
  const out: number[] = [];
  for (const entry of pool) {
    const range = entry.indexOf('-') > 0 ? tryParseRange(entry) : parseCidr(entry);
    if (range) for (const ip of addresses(range)) out.push(ip);
  }
  return out;
}

function ingressIPs(svc: Service): string[] {
  return (svc.status.loadBalancer.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));
}

const pendingByShard = new WeakMap<Record<string, Service>, string[]>();

/** Names of a shard's LoadBalancer Services without an address yet. */
function pendingNames(shard: Record<string, Service>): string[] {
  let l = pendingByShard.get(shard);
  if (!l) {
    l = [];
    for (const name in shard) if (shard[name]!.spec.type === 'LoadBalancer' && !ingressIPs(shard[name]!).length) l.push(name);
    pendingByShard.set(shard, l);
  }
  return l;
}

/** Services to look at: changed ones, and (as time passes) those still waiting for an address. */
function dirtyServices(base: ClusterState, delta: NonNullable<ControllerContext['delta']>): Service[] {
  const keys = changedKeys(delta.of('Service'));
  if (delta.clockChanged) for (const ns in base.services) for (const n of pendingNames(base.services[ns]!)) keys.add(`${ns}/${n}`);
  return reconcileTargets(base, 'Service', keys);
}

export function reconcileLoadBalancers({ base, draft, delta }: ControllerContext): boolean {
  const lb = base.config.loadBalancer;
  let changed = false;
  const services = delta ? dirtyServices(base, delta) : (listObjects(base, 'Service') as Service[]);
  // Addresses in use, gathered only when an address is handed out.
  let used: Set<number> | undefined;
  const inUse = () => {
    if (!used) {
      used = new Set<number>();
      for (const svc of listObjects(base, 'Service') as Service[]) for (const ip of ingressIPs(svc)) used.add(tryParseIPv4(ip) ?? 0);
    }
    return used;
  };
  let pool: number[] | undefined;
  for (const seen of services) {
    const ns = seen.metadata.namespace ?? 'default';
    if (seen.spec.type !== 'LoadBalancer') {
      if (seen.status.loadBalancer.ingress) {
        delete draft.services[ns]![seen.metadata.name]!.status.loadBalancer.ingress;
        changed = true;
      }
      continue;
    }
    if (lb.provider !== 'metallb' || ingressIPs(seen).length) continue;
    if (base.clock < Date.parse(seen.metadata.creationTimestamp) + lb.provisionDelayMs) continue;
    const live = draft.services[ns]![seen.metadata.name]!;
    pool ??= poolAddresses(lb.pool);
    const requested = live.spec.loadBalancerIP ? tryParseIPv4(live.spec.loadBalancerIP) : undefined;
    let ip: number | undefined;
    if (requested !== undefined) ip = pool.includes(requested) && !inUse().has(requested) ? requested : undefined;
    else ip = pool.find((a) => !inUse().has(a));
    if (ip === undefined) {
      const why = requested !== undefined ? `requested IP "${live.spec.loadBalancerIP}" is not available` : 'no available IPs';
      const last = clusterEvents(base).findLast((e) => e.kind === 'Service' && e.name === live.metadata.name && e.namespace === live.metadata.namespace);
      if (last?.reason !== 'AllocationFailed') {
        recordEvent(draft, live, 'Warning', 'AllocationFailed', `Failed to allocate IP for "${live.metadata.namespace}/${live.metadata.name}": ${why}`, 'metallb-controller');
        changed = true;
      }
      continue;
    }
    inUse().add(ip);
    live.status.loadBalancer.ingress = [{ ip: ipToString(ip), ipMode: 'VIP' }];
    live.metadata.resourceVersion = String(++draft.resourceVersion);
    recordEvent(draft, live, 'Normal', 'IPAllocated', `Assigned IP ["${ipToString(ip)}"]`, 'metallb-controller');
    const node = announcingNode(base, seen, ipToString(ip));
    if (node) recordEvent(draft, live, 'Normal', 'nodeAssigned', `announcing from node "${node}" with protocol "layer2"`, 'metallb-speaker');
    changed = true;
  }
  return changed;
}

/**
 * MetalLB L2: among the nodes whose speaker may announce (Ready; with externalTrafficPolicy
 * Local only nodes with a ready local endpoint), the one with the lowest sha256(node + "#" + ip).
 */
export function announcingNode(state: ClusterState, svc: Service, ip: string): string | undefined {
  // Nodes labelled exclude-from-external-load-balancers (kubeadm's control plane) never announce.
  let candidates = state.nodeOrder.filter((n) => {
    const node = state.nodes[n];
    return node !== undefined && isNodeReady(node) && node.metadata.labels?.['node.kubernetes.io/exclude-from-external-load-balancers'] === undefined;
  });
  if (svc.spec.externalTrafficPolicy === 'Local') {
    const ns = svc.metadata.namespace ?? 'default';
    const local = new Set<string>();
    for (const slice of Object.values(state.endpointSlices[ns] ?? {})) {
      if (slice.metadata.labels?.['kubernetes.io/service-name'] !== svc.metadata.name) continue;
      for (const e of slice.endpoints) if (e.conditions.ready && e.nodeName) local.add(e.nodeName);
    }
    candidates = candidates.filter((n) => local.has(n));
  }
  // One hash per candidate (the comparator of a sort would rehash each node log n times).
  let best: string | undefined;
  let bestKey = '';
  for (const n of candidates) {
    const k = sha256Hex(`${n}#${ip}`);
    if (best === undefined || k < bestKey) {
      best = n;
      bestKey = k;
    }
  }
  return best;
}

/** The LoadBalancer Service owning an address, if any. */
export function serviceByLoadBalancerIP(state: ClusterState, ip: string): Service | undefined {
  for (const shard of Object.values(state.services)) {
    for (const svc of Object.values(shard)) if (svc.spec.type === 'LoadBalancer' && ingressIPs(svc).includes(ip)) return svc;
  }
  return undefined;
}

/**
 * ingress-nginx (`--publish-service=ingress-nginx/ingress-nginx-controller`) copies its Service's
 * load-balancer address into the status of every Ingress of its class: kubectl's ADDRESS column.
 */
export function reconcileIngressStatus({ base, draft, delta }: ControllerContext): boolean {
  // Only Ingresses, IngressClasses and ingress-nginx's own Service and pods matter here.
  if (
    delta &&
    !delta.of('Ingress').length &&
    base.ingressClasses === delta.prev.ingressClasses &&
    base.services['ingress-nginx'] === delta.prev.services['ingress-nginx'] &&
    base.pods['ingress-nginx'] === delta.prev.pods['ingress-nginx']
  )
    return false;
  const controller = base.services['ingress-nginx']?.['ingress-nginx-controller'];
  const running = Object.values(base.pods['ingress-nginx'] ?? {}).some((p) => p.status.phase === 'Running');
  const address = running ? controller?.status.loadBalancer.ingress?.map((i) => ({ ...(i.ip ? { ip: i.ip } : {}), ...(i.hostname ? { hostname: i.hostname } : {}) })) : undefined;
  const cls = base.ingressClasses.nginx;
  const legacy = cls === undefined && controller !== undefined;
  const isDefault = legacy || cls?.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true';
  let changed = false;
  for (const ns in base.ingresses) {
    for (const name in base.ingresses[ns]) {
      const seen = base.ingresses[ns]![name]!;
      const c = seen.spec.ingressClassName ?? seen.metadata.annotations?.['kubernetes.io/ingress.class'];
      const ours = (cls !== undefined || legacy) && (c === 'nginx' || (c === undefined && isDefault));
      const want = ours && address?.length ? address : undefined;
      if (JSON.stringify(seen.status.loadBalancer.ingress) === JSON.stringify(want)) continue;
      const ing = draft.ingresses[ns]![name]!;
      if (want) ing.status.loadBalancer.ingress = want;
      else delete ing.status.loadBalancer.ingress;
      ing.metadata.resourceVersion = String(++draft.resourceVersion);
      changed = true;
    }
  }
  return changed;
}
