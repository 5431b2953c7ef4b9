// The load-balancer provider: MetalLB's controller assigns each LoadBalancer Service the first
// free address of its pool (a requested spec.loadBalancerIP if it is in the pool and free), a
// moment after the Service appears (so `kubectl get svc` shows `<pending>` first); MetalLB's L2
// speakers then answer ARP for it from one node, elected as MetalLB v0.15.2's speaker does
// (announcingNode), and only while some endpoint of the Service can serve. Without a provider the
// Service stays pending.

import * as crypto from 'node:crypto';

/** Hex SHA-256; the one-shot `crypto.hash` (Node ≥ 20.12) is several times cheaper than a Hash object. */
// @types/node declares `hash` unconditionally; on Node < 20.12 it is undefined.
const oneShotHash: typeof crypto.hash | undefined = crypto.hash;
const sha256Hex: (text: string) => string =
  typeof oneShotHash === 'function' ? (text) => oneShotHash('sha256', text) : (text) => crypto.createHash('sha256').update(text).digest('hex');
import type { EndpointSlice, EndpointSliceEndpoint, Node, Service } from '../api/types.js';
import { addresses, parseCidr, tryParseRange } from '../net/cidr.js';
import { ipToString, tryParseIPv4 } from '../net/ipv4.js';
import { listObjects } from '../state/store.js';
import type { ClusterState } from '../state/types.js';
import { reconcileTargets, type ControllerContext } from './context.js';
import { changedKeys, type Delta } from '../state/diff.js';
import { clusterEvents, recordEvent } from './events.js';
import { namesWithLabel } from './indexes.js';

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

function addressesInUse(state: ClusterState): Set<number> {
  const used = new Set<number>();
  for (const svc of listObjects(state, 'Service') as Service[]) for (const ip of ingressIPs(svc)) used.add(tryParseIPv4(ip) ?? 0);
  return used;
}

function requestedAddress(svc: Service): number | undefined {
  return svc.spec.loadBalancerIP ? tryParseIPv4(svc.spec.loadBalancerIP) : undefined;
}

/** The address the controller would give `svc` now: the one it requests if in the pool and free, else the first free one. */
function freeAddressFor(svc: Service, pool: readonly number[], used: ReadonlySet<number>): number | undefined {
  const requested = requestedAddress(svc);
  if (requested !== undefined) return pool.includes(requested) && !used.has(requested) ? requested : undefined;
  return pool.find((a) => !used.has(a));
}

/**
 * When MetalLB's controller next has work that only the clock brings (controllers/timers.ts): a
 * LoadBalancer Service gets its address provisionDelayMs after its creation; one already past
 * that which found no address tries again at the next step of the clock, which is work only when
 * an address has come free since (a Service deleted). Undefined: nothing pending.
 */
export function loadBalancerTimer(state: ClusterState): number | undefined {
  const lb = state.config.loadBalancer;
  if (lb.provider !== 'metallb') return undefined;
  let due: number | undefined;
  let pool: number[] | undefined;
  let used: Set<number> | undefined;
  for (const ns in state.services) {
    for (const name of pendingNames(state.services[ns]!)) {
      const svc = state.services[ns]![name]!;
      let at = Date.parse(svc.metadata.creationTimestamp) + lb.provisionDelayMs;
      if (!(at > state.clock)) {
        pool ??= poolAddresses(lb.pool);
        used ??= addressesInUse(state);
        if (freeAddressFor(svc, pool, used) === undefined) continue;
        at = state.clock + 1;
      }
      if (due === undefined || at < due) due = at;
    }
  }
  return due;
}

export function reconcileLoadBalancers({ base, draft, delta }: ControllerContext): boolean {
  const lb = base.config.loadBalancer;
  let changed = false;
  const services = delta ? dirtyServices(base, delta) : (listObjects(base, 'Service') as Service[]);
  // Addresses in use, gathered only when an address is handed out.
  let used: Set<number> | undefined;
  const inUse = () => (used ??= addressesInUse(base));
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
    const ip = freeAddressFor(seen, pool, inUse());
    if (ip === undefined) {
      const why = requestedAddress(seen) !== undefined ? `requested IP "${live.spec.loadBalancerIP}" is not available` : 'no available IPs';
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
    changed = true;
  }
  // The speakers look at what changed since, this controller's own writes included (next round).
  if (delta && lb.provider === 'metallb') changed = announce(base, draft, delta) || changed;
  return changed;
}

/**
 * MetalLB's speakers: the node that wins a Service's election starts answering ARP for its address
 * and says so with a nodeAssigned event (speaker/main.go handleService: `announcing from node %q
 * with protocol %q`); a withdrawal (ShouldAnnounce's "notOwner": no endpoint can serve, no eligible
 * node) records nothing, as in the speaker. The real speaker repeats the event on every sync of the
 * Service (kubectl folds repeats into a count); here it is recorded when the announcing node
 * changes: on assignment, when an address comes back after a withdrawal, when another node wins.
 */
function announce(base: ClusterState, draft: ClusterState, delta: Delta): boolean {
  const prev = delta.prev;
  const keys = new Set<string>();
  for (const c of delta.of('Service')) keys.add(`${c.namespace}/${c.name}`);
  for (const c of delta.of('EndpointSlice')) {
    for (const s of [c.before, c.after]) {
      const name = s?.metadata.labels?.['kubernetes.io/service-name'];
      if (name) keys.add(`${c.namespace}/${name}`);
    }
  }
  // Who may announce changed: every address is elected again.
  const everyService = speakersChanged(prev, base);
  const targets = everyService ? (listObjects(base, 'Service') as Service[]) : reconcileTargets(base, 'Service', keys);
  let changed = false;
  for (const svc of targets) {
    const ip = ingressIPs(svc)[0];
    if (svc.spec.type !== 'LoadBalancer' || ip === undefined) continue;
    const ns = svc.metadata.namespace ?? 'default';
    const node = announcingNode(base, svc, ip);
    if (node === undefined) continue;
    const was = prev.services[ns]?.[svc.metadata.name];
    const before = was?.spec.type === 'LoadBalancer' && ingressIPs(was)[0] === ip ? announcingNode(prev, was, ip) : undefined;
    if (node === before) continue;
    recordEvent(draft, svc, 'Normal', 'nodeAssigned', `announcing from node "${node}" with protocol "layer2"`, 'metallb-speaker');
    changed = true;
  }
  return changed;
}

/** Where the speakers run; they are found by their memberlist labels (METALLB_ML_LABELS in MetalLB's native manifest). */
const SPEAKER_NAMESPACE = 'metallb-system';

/** The nodes whose speaker may announce, and each address's winner among all of them (ETP Cluster). */
interface Speakers {
  nodes: readonly string[];
  set: ReadonlySet<string>;
  winners: Map<string, string | undefined>;
}

const speakerCache = new WeakMap<ClusterState['nodes'], { order: readonly string[]; pods: ClusterState['pods'][string] | undefined; speakers: Speakers }>();
/** The last list computed: a change that leaves the list as it was keeps the same object (and its winners). */
let lastSpeakers: Speakers | undefined;

/**
 * speakersForPool (MetalLB v0.15.2, speaker/layer2_controller.go): the memberlist's members —
 * the native manifest turns memberlist on, so the nodes whose speaker pod (app=metallb,
 * component=speaker) runs — minus those whose NetworkUnavailable condition is True and those
 * labelled node.kubernetes.io/exclude-from-external-load-balancers (kubeadm labels the control
 * plane so). The pool's L2Advertisement names no nodes: every node matches it. The Node's Ready
 * condition is not read. In node order; cached by the identity of the nodes and the speakers' pods.
 */
function speakers(state: ClusterState): Speakers {
  const pods = state.pods[SPEAKER_NAMESPACE];
  const hit = speakerCache.get(state.nodes);
  if (hit && hit.order === state.nodeOrder && hit.pods === pods) return hit.speakers;
  const running = new Set<string>();
  for (const name in pods) {
    const p = pods[name]!;
    const l = p.metadata.labels;
    if (l?.app === 'metallb' && l.component === 'speaker' && p.status.phase === 'Running' && p.spec.nodeName) running.add(p.spec.nodeName);
  }
  const nodes = state.nodeOrder.filter((n) => {
    const node = state.nodes[n];
    return node !== undefined && running.has(n) && speakerEligible(node);
  });
  const last = lastSpeakers;
  const same = last !== undefined && last.nodes.length === nodes.length && last.nodes.every((n, i) => n === nodes[i]);
  const result = same ? last : { nodes, set: new Set(nodes), winners: new Map<string, string | undefined>() };
  lastSpeakers = result;
  speakerCache.set(state.nodes, { order: state.nodeOrder, pods, speakers: result });
  return result;
}

/** Whether the nodes that may announce differ between two states (then every address is elected again). */
export function speakersChanged(prev: ClusterState, next: ClusterState): boolean {
  const a = speakers(prev).nodes;
  const b = speakers(next).nodes;
  return a !== b && (a.length !== b.length || a.some((n, i) => n !== b[i]));
}

/** IsNetworkUnavailable and IsNodeExcludedFromBalancers (internal/k8s/nodes, v0.15.2). */
function speakerEligible(node: Node): boolean {
  if (node.status.conditions.some((c) => c.type === 'NetworkUnavailable' && c.status === 'True')) return false;
  return node.metadata.labels?.['node.kubernetes.io/exclude-from-external-load-balancers'] === undefined;
}

/**
 * epslices.EndpointCanServe (v0.15.2): ready unset or true, or serving set and true. Unlike the
 * API's reading (api/endpoint-conditions.ts), an unset `serving` does not count here.
 */
function canServe(ep: EndpointSliceEndpoint): boolean {
  return ep.conditions.ready !== false || ep.conditions.serving === true;
}

/** The Service's EndpointSlices (label kubernetes.io/service-name), as the speaker's index finds them. */
function slicesOf(state: ClusterState, svc: Service): EndpointSlice[] {
  const shard = state.endpointSlices[svc.metadata.namespace ?? 'default'];
  return namesWithLabel(shard, 'kubernetes.io/service-name', svc.metadata.name).map((n) => shard![n]!);
}

/** The node with the lowest sha256(node + "#" + ip): the byte order of the digests is that of their hex. */
function lowestHash(nodes: Iterable<string>, ip: string): string | undefined {
  // One hash per candidate (the comparator of a sort would rehash each node log n times).
  let best: string | undefined;
  let bestKey = '';
  for (const n of nodes) {
    const k = sha256Hex(`${n}#${ip}`);
    if (best === undefined || k < bestKey) {
      best = n;
      bestKey = k;
    }
  }
  return best;
}

const announced = new WeakMap<Service, { ip: string; speakers: Speakers; slices: ClusterState['endpointSlices'][string] | undefined; node: string | undefined }>();

/**
 * The node whose MetalLB speaker answers ARP for `ip`, or undefined when none does: ShouldAnnounce
 * of MetalLB v0.15.2 (speaker/layer2_controller.go), which the lab installs.
 *  - activeEndpointExists: with no endpoint that can serve (EndpointCanServe: ready, or serving) in
 *    any of the Service's EndpointSlices, no speaker announces it, whatever its
 *    externalTrafficPolicy: the address is withdrawn.
 *  - The candidates are the speakers' nodes (speakers above); with externalTrafficPolicy Local,
 *    nodesWithEndpoint keeps those with an endpoint that can serve (ready, or serving) on them.
 *  - They are sorted by sha256(node + "#" + ip) and the first announces.
 */
export function announcingNode(state: ClusterState, svc: Service, ip: string): string | undefined {
  const sp = speakers(state);
  const shard = state.endpointSlices[svc.metadata.namespace ?? 'default'];
  const hit = announced.get(svc);
  if (hit && hit.ip === ip && hit.speakers === sp && hit.slices === shard) return hit.node;
  const local = svc.spec.externalTrafficPolicy === 'Local';
  let active = false;
  const withEndpoint = new Set<string>();
  for (const slice of slicesOf(state, svc)) {
    for (const e of slice.endpoints) {
      if (!canServe(e)) continue;
      active = true;
      if (local && e.nodeName !== undefined && sp.set.has(e.nodeName)) withEndpoint.add(e.nodeName);
    }
  }
  let node: string | undefined;
  if (active && local) node = lowestHash(withEndpoint, ip);
  else if (active) {
    if (!sp.winners.has(ip)) sp.winners.set(ip, lowestHash(sp.nodes, ip));
    node = sp.winners.get(ip);
  }
  announced.set(svc, { ip, speakers: sp, slices: shard, node });
  return node;
}

/** Why no speaker announces a LoadBalancer Service's address (for the trace), in ShouldAnnounce's order. */
export function notAnnouncedBecause(state: ClusterState, svc: Service): string {
  if (!slicesOf(state, svc).some((s) => s.endpoints.some(canServe))) return 'the Service has no ready or serving endpoint, so MetalLB withdraws the address';
  if (speakers(state).nodes.length === 0) return 'no node runs an eligible MetalLB speaker';
  return 'externalTrafficPolicy is Local and no node with a MetalLB speaker has a ready or serving endpoint';
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
