// The load-balancer provider: MetalLB's controller assigns each LoadBalancer Service the first
// free address of its pool (a requested spec.loadBalancerIP if it is in the pool and free), a
// moment after the Service appears (so `kubectl get svc` shows `<pending>` first); MetalLB's L2
// speakers then answer ARP for it from one node. Without a provider the Service stays pending.

import { createHash } from 'node:crypto';
import type { Service } from '../api/types.js';
import { ipToString, networkOf, parseCIDR, tryParseIPv4 } from '../net/ipv4.js';
import { listObjects } from '../state/store.js';
import type { ClusterState } from '../state/types.js';
import { recordEvent } from './events.js';
import { isNodeReady } from './scheduler.js';

/** Every address of the pool, in order (ranges `a-b` or CIDRs without network/broadcast). */
export function poolAddresses(pool: readonly string[]): number[] {
  const out: number[] = [];
  for (const entry of pool) {
    const dash = entry.indexOf('-');
    if (dash > 0) {
      const from = tryParseIPv4(entry.slice(0, dash).trim());
      const to = tryParseIPv4(entry.slice(dash + 1).trim());
      if (from === undefined || to === undefined) continue;
      for (let ip = from; ip <= to; ip++) out.push(ip >>> 0);
    } else {
      const { ip, prefixLen } = parseCIDR(entry);
      const net = networkOf(ip, prefixLen);
      const size = 2 ** (32 - prefixLen);
      for (let i = 0; i < size; i++) out.push((net + i) >>> 0);
    }
  }
  return out;
}

function ingressIPs(svc: Service): string[] {
  return (svc.status.loadBalancer.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));
}

export function reconcileLoadBalancers(draft: ClusterState): boolean {
  const lb = draft.config.loadBalancer;
  let changed = false;
  const services = listObjects(draft, 'Service') as Service[];
  const used = new Set<number>();
  for (const svc of services) for (const ip of ingressIPs(svc)) used.add(tryParseIPv4(ip) ?? 0);
  const pool = lb.provider === 'metallb' ? poolAddresses(lb.pool) : [];
  for (const snapshot of services) {
    const live = draft.services[snapshot.metadata.namespace ?? 'default']?.[snapshot.metadata.name];
    if (!live) continue;
    if (live.spec.type !== 'LoadBalancer') {
      if (live.status.loadBalancer.ingress) {
        delete live.status.loadBalancer.ingress;
        changed = true;
      }
      continue;
    }
    if (lb.provider !== 'metallb' || ingressIPs(live).length) continue;
    if (draft.clock < Date.parse(live.metadata.creationTimestamp) + lb.provisionDelayMs) continue;
    const requested = live.spec.loadBalancerIP ? tryParseIPv4(live.spec.loadBalancerIP) : undefined;
    let ip: number | undefined;
    if (requested !== undefined) ip = pool.includes(requested) && !used.has(requested) ? requested : undefined;
    else ip = pool.find((a) => !used.has(a));
    if (ip === undefined) {
      const why = requested !== undefined ? `requested IP "${live.spec.loadBalancerIP}" is not available` : 'no available IPs';
      const last = draft.events.findLast((e) => e.kind === 'Service' && e.name === live.metadata.name && e.namespace === live.metadata.namespace);
      if (last?.reason !== 'AllocationFailed') {
        recordEvent(draft, live, 'Warning', 'AllocationFailed', `Failed to allocate IP for "${live.metadata.namespace}/${live.metadata.name}": ${why}`, 'metallb-controller');
        changed = true;
      }
      continue;
    }
    used.add(ip);
    live.status.loadBalancer.ingress = [{ ip: ipToString(ip), ipMode: 'VIP' }];
    live.metadata.resourceVersion = String(++draft.resourceVersion);
    recordEvent(draft, live, 'Normal', 'IPAllocated', `Assigned IP ["${ipToString(ip)}"]`, 'metallb-controller');
    const node = announcingNode(draft, live, ipToString(ip));
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
  const key = (n: string) => createHash('sha256').update(`${n}#${ip}`).digest('hex');
  return candidates.sort((a, b) => (key(a) < key(b) ? -1 : 1))[0];
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
export function reconcileIngressStatus(draft: ClusterState): boolean {
  const controller = draft.services['ingress-nginx']?.['ingress-nginx-controller'];
  const running = Object.values(draft.pods['ingress-nginx'] ?? {}).some((p) => p.status.phase === 'Running');
  const address = running ? controller?.status.loadBalancer.ingress?.map((i) => ({ ...(i.ip ? { ip: i.ip } : {}), ...(i.hostname ? { hostname: i.hostname } : {}) })) : undefined;
  const cls = draft.ingressClasses.nginx;
  const legacy = cls === undefined && controller !== undefined;
  const isDefault = legacy || cls?.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true';
  let changed = false;
  for (const shard of Object.values(draft.ingresses)) {
    for (const ing of Object.values(shard)) {
      const c = ing.spec.ingressClassName ?? ing.metadata.annotations?.['kubernetes.io/ingress.class'];
      const ours = (cls !== undefined || legacy) && (c === 'nginx' || (c === undefined && isDefault));
      const want = ours && address?.length ? address : undefined;
      if (JSON.stringify(ing.status.loadBalancer.ingress) === JSON.stringify(want)) continue;
      if (want) ing.status.loadBalancer.ingress = want;
      else delete ing.status.loadBalancer.ingress;
      ing.metadata.resourceVersion = String(++draft.resourceVersion);
      changed = true;
    }
  }
  return changed;
}
