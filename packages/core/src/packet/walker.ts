// The reference walker: follows one packet through the namespaces the way Linux does — route
// lookup (local table, then longest prefix in main), neighbour resolution, veth to its peer,
// the cni0 bridge's forwarding database, IP forwarding on the node, the node network's wire —
// until a socket takes it, something refuses it, or nothing can carry it further.
// Every hop cites the table entry that decided it.

import { nodeNetns, podNetns } from '../dataplane/netns.js';
import { lookupRoute, routeText, sourceAddress } from '../dataplane/route.js';
import type { Link, Netns } from '../dataplane/types.js';
import { inSubnet, ipToString, parseCIDR, tryParseIPv4 } from '../net/ipv4.js';
import type { ClusterState } from '../state/types.js';
import { seeded } from '../util/seeded.js';
import { topology, type Listener, type Topology } from './topology.js';
import type { Hop, HopLocation, ObjectRef, Proto, TraceRequest, TraceResult, Verdict } from './types.js';

const MAX_STEPS = 64;

export class TraceError extends Error {}

interface Ctx {
  state: ClusterState;
  topo: Topology;
  hops: Hop[];
  proto: Proto;
  src: number;
  sport: number;
  dst: number;
  dport: number;
  forwardings: number;
}

function where(ns: Netns, iface?: string): HopLocation {
  const at: HopLocation = { node: ns.node, netns: ns.name };
  if (ns.pod) at.pod = ns.pod;
  if (iface) at.iface = iface;
  return at;
}

function podRef(key: string): ObjectRef {
  const [namespace = 'default', name = ''] = key.split('/');
  return { kind: 'Pod', namespace, name };
}

function resolvePodKey(state: ClusterState, spec: string): string {
  const key = spec.includes('/') ? spec : `default/${spec}`;
  const [ns = '', name = ''] = key.split('/');
  if (!state.pods[ns]?.[name]) throw new TraceError(`pods "${name}" not found in namespace "${ns}"`);
  return key;
}

/** The namespace a trace starts in. */
function originNetns(state: ClusterState, from: TraceRequest['from']): Netns {
  if ('node' in from) {
    const ns = nodeNetns(state, from.node);
    if (!ns) throw new TraceError(`nodes "${from.node}" not found`);
    return ns;
  }
  const key = resolvePodKey(state, from.pod);
  const [ns = '', name = ''] = key.split('/');
  const pod = state.pods[ns]?.[name];
  if (!pod?.spec.nodeName) throw new TraceError(`pod ${key} is not scheduled to a node`);
  if (pod.spec.hostNetwork) return nodeNetns(state, pod.spec.nodeName)!;
  const netns = podNetns(state, ns, name);
  if (!netns) throw new TraceError(`pod ${key} has no network namespace yet (status ${pod.status.phase})`);
  return netns;
}

function finish(ctx: Ctx, verdict: Verdict, extra: Partial<TraceResult> = {}): TraceResult {
  return {
    verdict,
    proto: ctx.proto,
    packet: { src: { ip: ipToString(ctx.src), ...(ctx.proto !== 'icmp' ? { port: ctx.sport } : {}) }, dst: { ip: ipToString(ctx.dst), ...(ctx.proto !== 'icmp' ? { port: ctx.dport } : {}) } },
    forwardings: ctx.forwardings,
    hops: ctx.hops,
    ...extra,
  };
}

function listenersIn(ctx: Ctx, ns: Netns): Listener[] {
  return ns.pod ? ctx.topo.podListeners.get(ns.pod) ?? [] : ctx.topo.nodeListeners.get(ns.node) ?? [];
}

/** A local socket takes the packet, or the kernel answers for it (echo reply, RST, port unreachable). */
function deliverLocal(ctx: Ctx, ns: Netns, iface: string): TraceResult {
  const to = { ...(ns.pod ? { pod: ns.pod } : { node: ns.node }), ip: ipToString(ctx.dst) };
  const source = { ip: ipToString(ctx.src), ...(ctx.proto !== 'icmp' ? { port: ctx.sport } : {}) };
  const object = ns.pod ? podRef(ns.pod) : { kind: 'Node', name: ns.node };
  if (ctx.proto === 'icmp') {
    ctx.hops.push({ kind: 'deliver', at: where(ns, iface), action: `ICMP echo request answered by the kernel of ${ns.pod ?? ns.node}`, object });
    return finish(ctx, 'delivered', { to, source });
  }
  const protocol = ctx.proto === 'tcp' ? 'TCP' : 'UDP';
  const l = listenersIn(ctx, ns).find((x) => x.protocol === protocol && x.port === ctx.dport && (x.address === undefined || x.address === ctx.dst));
  if (l) {
    ctx.hops.push({
      kind: 'deliver',
      at: where(ns, iface),
      action: `${ctx.proto.toUpperCase()} ${ipToString(ctx.dst)}:${ctx.dport} accepted by ${l.process}${l.pod ? ` in pod ${l.pod.metadata.namespace}/${l.pod.metadata.name}` : ''}`,
      object: l.pod ? { kind: 'Pod', namespace: l.pod.metadata.namespace ?? 'default', name: l.pod.metadata.name } : object,
    });
    return finish(ctx, 'delivered', { to: { ...to, port: ctx.dport }, source });
  }
  if (ctx.proto === 'tcp') {
    ctx.hops.push({ kind: 'reject', at: where(ns, iface), action: `nothing listens on TCP port ${ctx.dport}: the kernel answers with a RST`, object });
    return finish(ctx, 'rejected', { reason: 'Connection refused' });
  }
  ctx.hops.push({ kind: 'reject', at: where(ns, iface), action: `nothing listens on UDP port ${ctx.dport}: ICMP port unreachable`, object });
  return finish(ctx, 'rejected', { reason: 'Port unreachable' });
}

function linkNamed(ns: Netns, name: string): Link | undefined {
  return ns.links.find((l) => l.name === name);
}

/** ARP for `nexthop` on `dev` got no answer: the kernel reports host unreachable to the sender. */
function arpFailed(ctx: Ctx, ns: Netns, dev: string, nexthop: number, why: string): TraceResult {
  ctx.hops.push({ kind: 'arp', at: where(ns, dev), action: `no ARP reply for ${ipToString(nexthop)} on ${dev}${why}`, entry: `${ipToString(nexthop)} dev ${dev} FAILED` });
  const link = ns.links.find((l) => l.name === dev);
  const own = ns.addresses.find((a) => a.ifindex === link?.ifindex)?.ip ?? ctx.src;
  const from = ctx.forwardings === 0 ? ctx.src : own;
  return finish(ctx, 'dropped', { reason: 'No route to host', icmpError: { from: ipToString(from), type: 'host-unreachable' } });
}

/**
 * Hand a frame for `nexthop` to the cni0 bridge: to the host itself or out of one of its pod
 * ports. `sender`/`dev` is who resolves `nexthop` by ARP (a pod's eth0, or cni0 on the host);
 * `uplink` is the hop that carries the frame onto the bridge (a pod's veth), after the ARP.
 */
function throughBridge(ctx: Ctx, host: Netns, nexthop: number, sender: Netns, dev: string, uplink?: Hop): { ns: Netns; iface: string } | TraceResult {
  const resolved = (mac: string, object?: ObjectRef) => {
    ctx.hops.push({ kind: 'arp', at: where(sender, dev), action: `${ipToString(nexthop)} is at ${mac}`, entry: `${ipToString(nexthop)} dev ${dev} lladdr ${mac} REACHABLE`, ...(object ? { object } : {}) });
    if (uplink) ctx.hops.push(uplink);
  };
  const cni0 = host.addresses.find((a) => a.label === 'cni0');
  if (cni0 && cni0.ip === nexthop) {
    const mac = linkNamed(host, 'cni0')?.mac ?? '';
    resolved(mac);
    ctx.hops.push({ kind: 'bridge', at: where(host, 'cni0'), action: "frame addressed to the bridge itself: up to the node's IP stack", entry: `${mac} dev cni0 master cni0 permanent` });
    return { ns: host, iface: 'cni0' };
  }
  const podKey = ctx.topo.podByIP.get(nexthop);
  const [pns = '', pname = ''] = (podKey ?? '/').split('/');
  const target = podKey ? podNetns(ctx.state, pns, pname) : undefined;
  const port = target && target.node === host.node ? host.links.find((l) => l.kind === 'veth' && ctx.topo.podByVeth.get(`${host.node}\u0000${l.name}`) === podKey) : undefined;
  if (!target || !port || !podKey) {
    return arpFailed(ctx, sender, dev, nexthop, sender === host ? ': no pod on this node has that address' : ': no pod on the bridge has that address');
  }
  const mac = target.links.find((l) => l.name === 'eth0')?.mac ?? '';
  resolved(mac, podRef(podKey));
  ctx.hops.push({ kind: 'bridge', at: where(host, 'cni0'), action: `cni0 forwards to port ${port.name}`, entry: `${mac} dev ${port.name} master cni0`, object: podRef(podKey) });
  ctx.hops.push({ kind: 'veth', at: where(target, 'eth0'), action: `${port.name} → eth0 of pod ${podKey}`, object: podRef(podKey) });
  return { ns: target, iface: 'eth0' };
}

/** Put a packet on `dev` towards `nexthop`; returns the namespace and interface it arrives on. */
function transmit(ctx: Ctx, ns: Netns, dev: string, nexthop: number): { ns: Netns; iface: string } | TraceResult {
  if (ns.pod) {
    // A pod's eth0 is a veth: the frame comes out of its host-side peer, a port of cni0.
    const host = nodeNetns(ctx.state, ns.node)!;
    const peer = host.links.find((l) => l.kind === 'veth' && ctx.topo.podByVeth.get(`${ns.node}\u0000${l.name}`) === ns.pod);
    const uplink: Hop = { kind: 'veth', at: where(ns, dev), action: `eth0 → ${peer?.name ?? 'veth'} on node ${ns.node} (bridge port of cni0)`, object: podRef(ns.pod) };
    return throughBridge(ctx, host, nexthop, ns, dev, uplink);
  }
  if (dev === 'cni0') return throughBridge(ctx, ns, nexthop, ns, 'cni0');
  if (dev === 'lo') return { ns, iface: 'lo' };
  if (dev === 'eth0') {
    const peerNode = ctx.topo.nodeByIP.get(nexthop);
    if (peerNode && peerNode !== ns.node) {
      const peer = nodeNetns(ctx.state, peerNode)!;
      const mac = linkNamed(peer, 'eth0')?.mac ?? '';
      ctx.hops.push({ kind: 'arp', at: where(ns, 'eth0'), action: `${ipToString(nexthop)} is at ${mac}`, entry: `${ipToString(nexthop)} dev eth0 lladdr ${mac} REACHABLE`, object: { kind: 'Node', name: peerNode } });
      ctx.hops.push({ kind: 'wire', at: where(ns, 'eth0'), action: `across the node network to ${peerNode}`, object: { kind: 'Node', name: peerNode } });
      return { ns: peer, iface: 'eth0' };
    }
    const gw = ctx.state.config.nodeGateway;
    if (ipToString(nexthop) === gw) {
      const pod = parseCIDR(ctx.state.config.podCIDR);
      const reason = inSubnet(ctx.dst, pod.ip, pod.prefixLen)
        ? `${ipToString(ctx.dst)} is a pod address on another node: the Flannel overlay is not modelled yet`
        : `${ipToString(ctx.dst)} is outside the cluster: the world beyond the node network's gateway is not modelled yet`;
      ctx.hops.push({ kind: 'drop', at: where(ns, 'eth0'), action: reason });
      return finish(ctx, 'dropped', { reason: 'not modelled: ' + reason });
    }
    return arpFailed(ctx, ns, 'eth0', nexthop, ': no host on the node network has that address');
  }
  return arpFailed(ctx, ns, dev, nexthop, '');
}

/** Trace one packet from a pod or node to an address, hop by hop. */
export function trace(state: ClusterState, req: TraceRequest): TraceResult {
  const dst = tryParseIPv4(req.to.ip);
  if (dst === undefined) throw new TraceError(`not an IPv4 address: ${req.to.ip}`);
  const proto = req.proto ?? 'tcp';
  if (proto !== 'icmp' && (req.to.port === undefined || req.to.port < 1 || req.to.port > 65535)) {
    throw new TraceError(`${proto} needs a destination port between 1 and 65535`);
  }
  const origin = originNetns(state, req.from);
  const ctx: Ctx = {
    state,
    topo: topology(state),
    hops: [],
    proto,
    src: 0,
    sport: req.sport ?? 32768 + (seeded(state.config.seed, 'sport', origin.name, origin.node, req.to.ip, req.to.port ?? 0) % 28232),
    dst,
    dport: req.to.port ?? 0,
    forwardings: 0,
  };
  const first = lookupRoute(origin, dst);
  if (!first) {
    ctx.hops.push({ kind: 'route', at: where(origin), action: `no route to ${req.to.ip}` });
    return finish(ctx, 'dropped', { reason: 'Network is unreachable' });
  }
  ctx.src = first.type === 'local' ? dst : sourceAddress(origin, first) ?? 0;
  ctx.hops.push({ kind: 'send', at: where(origin, first.dev), action: `${proto.toUpperCase()} ${ipToString(ctx.src)}${proto !== 'icmp' ? `:${ctx.sport}` : ''} → ${req.to.ip}${proto !== 'icmp' ? `:${ctx.dport}` : ''}`, ...(origin.pod ? { object: podRef(origin.pod) } : {}) });

  let ns = origin;
  let ingress: string | undefined;
  for (let step = 0; step < MAX_STEPS; step++) {
    const route = lookupRoute(ns, dst);
    if (!route) {
      ctx.hops.push({ kind: 'route', at: where(ns, ingress), action: `no route to ${req.to.ip}: ICMP network unreachable` });
      return finish(ctx, 'dropped', { reason: 'Network is unreachable' });
    }
    ctx.hops.push({ kind: 'route', at: where(ns, ingress), action: route.type === 'local' ? `${req.to.ip} is a local address` : `route to ${req.to.ip} via ${route.dev}`, entry: routeText(route), table: route.table });
    if (route.type === 'local') return deliverLocal(ctx, ns, ingress ?? 'lo');
    if (ingress !== undefined) {
      // Not our address: this namespace forwards it (nodes have ip_forward=1; pods do not).
      if (ns.pod) {
        ctx.hops.push({ kind: 'drop', at: where(ns, ingress), action: 'a pod does not forward packets addressed to others (ip_forward=0)' });
        return finish(ctx, 'dropped', { reason: 'not addressed to this pod' });
      }
      ctx.forwardings++;
      ctx.hops.push({ kind: 'forward', at: where(ns, ingress), action: `node ${ns.node} forwards from ${ingress} to ${route.dev} (TTL−1)` });
    }
    const next = transmit(ctx, ns, route.dev, route.gateway ?? dst);
    if ('verdict' in next) return next;
    ns = next.ns;
    ingress = next.iface;
  }
  ctx.hops.push({ kind: 'drop', at: where(ns, ingress), action: 'TTL exceeded (routing loop)' });
  return finish(ctx, 'dropped', { reason: 'Time to live exceeded' });
}
