// The reference walker: follows one packet through the namespaces the way Linux does —
// netfilter hooks in kernel order, route lookup (local table, then longest prefix in main),
// neighbour resolution, veth to its peer, the cni0 bridge (with br_netfilter, bridged frames
// cross the host's iptables too, and a pod's frame DNATed to a pod behind the same bridge stays
// bridged: no routing, no TTL decrement; a port's hairpin flag decides whether a pod reaches
// itself), IP forwarding, VXLAN encapsulation over flannel.1, the node network's wire and its
// gateway to the simulated internet — until a socket takes it, something refuses it, or nothing
// can carry it further. Every hop cites what decided it.
//
// One file on purpose (~700 lines): the walk is one loop over hops whose branches share the
// packet, conntrack and trace state; split apart, the kernel's order would no longer read top to
// bottom. What it consults lives elsewhere (routes, rules, netns, the ingress proxy, DNS).

import { externalNetns, nodeNetns, podNetns, workstationNetns } from '../dataplane/netns.js';
import { nodeRuleset } from '../dataplane/netfilter/ruleset.js';
import type { Hook, IpSet, Rule, Ruleset } from '../net/netfilter.js';
import { lookupRoute, routeText as renderRoute, sourceAddress } from '../dataplane/route.js';
import type { FdbEntry, Link, Netns, Route } from '../dataplane/types.js';
import { inSubnet, parseCIDR, tryParseIPv4 } from '../net/ipv4.js';
import type { Service } from '../api/types.js';
import { announcingNode, notAnnouncedBecause, serviceByLoadBalancerIP } from '../controllers/loadbalancer.js';
import { isNodeReady } from '../state/queries.js';
import type { ClusterState, ExternalHost } from '../state/types.js';
import { hookPlan, ipText, runHookPlan, type HookIO, type HookPlan, type NetfilterEnv, type Packet } from './netfilter.js';
import { topology, type Listener, type Topology } from './topology.js';
import type { Hop, HopLocation, ObjectRef, Proto, TraceRequest, TraceResult, Verdict } from './types.js';
import { checkTraceRequest, NetsimInputError, ownEntry } from './request.js';
import { policyCollector, withPolicy } from './policy.js';
import { memoIn } from '../util/memo.js';
import { seededBegin, seededEnd, seededPart } from '../util/seeded.js';

export { NetsimInputError, TraceError } from './request.js';

const MAX_STEPS = 64;
/** Linux's default initial TTL. */
const DEFAULT_TTL = 64;

/**
 * What a walk looks up, once per state: the topology, and each node's ruleset and namespace and
 * each pod's namespace as the walk meets them. Each lookup is cached already by what it is derived
 * from, but checking those inputs (agents, kube-proxy's ports, …) on every hook of every packet
 * was a tenth of a trace. Keyed on the state and checked against the records the lookups read,
 * so a state edited in place (tests build some by hand) is not served stale.
 */
interface World {
  inputs: readonly unknown[];
  topo: Topology;
  rulesets: Map<string, NodeRules>;
  nodes: Map<string, Netns | undefined>;
  pods: Map<string, Netns | undefined>;
  /** Where a request `from: { pod }` starts, by its text (only those found: a miss throws). */
  podOrigins: Map<string, Netns>;
  /** Per origin namespace: FNV's state after hashing its part of the source port's key. */
  sportKeys: WeakMap<Netns, number>;
}

/** A node's ruleset and the chains each hook walks in it. */
interface NodeRules {
  ruleset: Ruleset;
  plans: Partial<Record<Hook, HookPlan>>;
}

function worldInputs(s: ClusterState): unknown[] {
  return [s.config, s.nodes, s.nodeOrder, s.nodeAgents, s.pods, s.services, s.endpoints, s.endpointSlices, s.daemonSets, s.networkPolicies, s.namespaces];
}

const worlds = new WeakMap<ClusterState, World>();
function worldOf(state: ClusterState): World {
  const hit = worlds.get(state);
  if (hit) {
    const now = worldInputs(state);
    let same = true;
    for (let i = 0; i < now.length && same; i++) same = now[i] === hit.inputs[i];
    if (same) return hit;
  }
  const w: World = {
    inputs: worldInputs(state),
    topo: topology(state),
    rulesets: new Map(),
    nodes: new Map(),
    pods: new Map(),
    podOrigins: new Map(),
    sportKeys: new WeakMap(),
  };
  worlds.set(state, w);
  return w;
}

function nodeNs(state: ClusterState, world: World, node: string): Netns | undefined {
  const m = world.nodes;
  let ns = m.get(node);
  if (ns === undefined && !m.has(node)) m.set(node, (ns = nodeNetns(state, node)));
  return ns;
}

/** A pod's namespace by its key "ns/name". */
function podNsByKey(state: ClusterState, world: World, key: string): Netns | undefined {
  const m = world.pods;
  let ns = m.get(key);
  if (ns === undefined && !m.has(key)) {
    const i = key.indexOf('/');
    m.set(key, (ns = podNetns(state, key.slice(0, i), key.slice(i + 1))));
  }
  return ns;
}

/**
 * One walk's state. It is also the netfilter environment its hooks run in (hops, seed, draws,
 * where a hook's hops are): one object per walk, with methods rather than closures made per walk.
 */
class Ctx implements NetfilterEnv {
  readonly topo: Topology;
  /** Where the hook running now is (netfilter hops are located by it). */
  hookNs: Netns;
  readonly hops: Hop[] = [];
  /** The packet now (NAT rewrites it); `sent` is how the sender built it. */
  pkt: Packet;
  sent: Packet;
  forwardings = 0;
  /** For a client on the internet: the lab router's public address, its way into the lab. */
  internetVia: number | undefined = undefined;
  /** When given, every matching rule that carries a NetworkPolicy verdict (`owner.policy`), in order. */
  policyRules: Rule[] | undefined;
  ipsets: ReadonlyMap<string, IpSet> | undefined = undefined;

  constructor(
    readonly state: ClusterState,
    readonly world: World,
    /** The namespace the packet was sent from. */
    readonly origin: Netns,
    pkt: Packet,
    readonly seed: number,
    private readonly drawn: (p: number, pkt: Packet) => boolean,
    policyRules: Rule[] | undefined,
  ) {
    this.topo = world.topo;
    this.hookNs = origin;
    this.pkt = pkt;
    this.sent = pkt;
    this.policyRules = policyRules;
  }

  draw(probability: number): boolean {
    return this.drawn(probability, this.pkt);
  }

  where(iface?: string): HopLocation {
    return where(this.hookNs, iface);
  }
}

/**
 * Where a packet arrives. `port`: a pod's frame addressed to cni0 itself, still in br_netfilter's
 * hands (PREROUTING runs in bridge context before the bridge decides where it goes), and the
 * bridge port it came in on.
 */
type Arrival = { ns: Netns; iface: string; port?: Link };

// Every hop gets a location: built in one literal per case, in the same key order, rather than
// grown a property at a time.
function location(ns: Netns, iface?: string): HopLocation {
  if (ns.pod) return iface ? { node: ns.node, netns: ns.name, pod: ns.pod, iface } : { node: ns.node, netns: ns.name, pod: ns.pod };
  return iface ? { node: ns.node, netns: ns.name, iface } : { node: ns.node, netns: ns.name };
}

// Locations, once per namespace and interface, shared by every hop there (of every trace): a
// trace records ~60 hops, and a fresh location each doubled what they allocate. Namespaces are
// derived and never edited; nothing edits a trace's hops. The last namespace asked is kept at hand.
interface Locations {
  root: HopLocation;
  byIface: Map<string, HopLocation>;
}
const locations = new WeakMap<Netns, Locations>();
let lastNs: Netns | undefined;
let lastLocs: Locations | undefined;
/** Let go of the namespace kept at hand (after a walk: it may be the last of its state). */
function forgetLastNamespace(): void {
  lastNs = undefined;
  lastLocs = undefined;
}
function where(ns: Netns, iface?: string): HopLocation {
  let l: Locations | undefined;
  if (ns === lastNs) l = lastLocs!;
  else {
    l = locations.get(ns);
    if (!l) locations.set(ns, (l = { root: Object.freeze(location(ns)), byIface: new Map() }));
    lastNs = ns;
    lastLocs = l;
  }
  if (!iface) return l.root;
  let at = l.byIface.get(iface);
  if (!at) l.byIface.set(iface, (at = Object.freeze(location(ns, iface))));
  return at;
}

// Hops whose every field the namespaces fix (ARP answers, bridge and veth crossings, the wire,
// forwarding, a route): built once per location, kind and what they cite, and shared by every
// trace through there, as locations are (nothing edits a trace's hops). `key` is what varies at
// one location; `a` and `b` what else the hop was built from (a peer's MAC, the pod behind a port),
// so a peer rebuilt since is not cited stale.
interface Kept {
  a: unknown;
  b: unknown;
  hop: Hop;
}
class KeptHops {
  private readonly byAt = new WeakMap<HopLocation, Map<string | number, Kept>>();

  get(at: HopLocation, key: string | number, a?: unknown, b?: unknown): Hop | undefined {
    const k = this.byAt.get(at)?.get(key);
    return k !== undefined && k.a === a && k.b === b ? k.hop : undefined;
  }

  keep(at: HopLocation, key: string | number, hop: Hop, a?: unknown, b?: unknown): Hop {
    let m = this.byAt.get(at);
    if (!m) this.byAt.set(at, (m = new Map()));
    // Frozen: shared by every trace through here, an edit to one would show in all.
    m.set(key, { a, b, hop: Object.freeze(hop) });
    return hop;
  }
}
const arpHops = new KeptHops();
const wireHops = new KeptHops();
const bridgeHops = new KeptHops();
const vethHops = new KeptHops();
const uplinkHops = new KeptHops();
const outerRouteHops = new KeptHops();
const forwardHops = new KeptHops();

/** "ns/name" as a Pod reference (what `split('/')` gives, without the array). */
function makePodRef(key: string): ObjectRef {
  const i = key.indexOf('/');
  if (i < 0) return { kind: 'Pod', namespace: key, name: '' };
  const j = key.indexOf('/', i + 1);
  return { kind: 'Pod', namespace: key.slice(0, i), name: key.slice(i + 1, j < 0 ? key.length : j) };
}

// Object references, once per pod and node: a trace cites its pods several times, and every
// trace the same ones. Shared, as hop locations are; bounded.
const podRefs = new Map<string, ObjectRef>();
const frozenPodRef = (key: string): ObjectRef => Object.freeze(makePodRef(key));
function podRef(key: string): ObjectRef {
  return memoIn(podRefs, 65536, key, frozenPodRef);
}
const nodeRefs = new Map<string, ObjectRef>();
const frozenNodeRef = (name: string): ObjectRef => Object.freeze({ kind: 'Node', name });
function nodeRef(name: string): ObjectRef {
  return memoIn(nodeRefs, 65536, name, frozenNodeRef);
}

const PROTO_WORD: Record<Proto, string> = { tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', sctp: 'SCTP' };

function endpoint(ip: number, port: number, proto: Proto): { ip: string; port?: number } {
  return proto !== 'icmp' ? { ip: ipText(ip), port } : { ip: ipText(ip) };
}

/** The namespace a trace starts in; a pod or node the state does not have is the request's error. */
function originNetns(state: ClusterState, world: World, from: TraceRequest['from']): Netns {
  if ('external' in from && from.external !== undefined) {
    const ns = externalNetns(state, from.external);
    // externalNetns words it `external: ADDRESS is a node's address …`.
    if (typeof ns === 'string') throw new NetsimInputError('request.from.external', from.external, ns.replace(`external: ${from.external} `, ''));
    return ns;
  }
  if ('node' in from && from.node !== undefined) {
    const ns = ownEntry(state.nodes, from.node) && nodeNs(state, world, from.node);
    if (!ns) throw new NetsimInputError('request.from.node', from.node, '', 'Not found');
    return ns;
  }
  const spec = (from as { pod: string }).pod;
  const known = world.podOrigins.get(spec);
  if (known) return known;
  const netns = podOrigin(state, world, spec);
  world.podOrigins.set(spec, netns);
  return netns;
}

function podOrigin(state: ClusterState, world: World, spec: string): Netns {
  const key = spec.includes('/') ? spec : `default/${spec}`;
  const slash = key.indexOf('/');
  const ns = key.slice(0, slash);
  const name = key.slice(slash + 1);
  const pod = ownEntry(ownEntry(state.pods, ns), name);
  if (!pod) throw new NetsimInputError('request.from.pod', spec, `no pod "${name}" in namespace "${ns}"`, 'Not found');
  if (!pod.spec.nodeName) throw new NetsimInputError('request.from.pod', spec, `pod ${key} is not scheduled to a node`);
  if (pod.spec.hostNetwork) return nodeNs(state, world, pod.spec.nodeName)!;
  const netns = podNsByKey(state, world, key);
  if (!netns) throw new NetsimInputError('request.from.pod', spec, `pod ${key} has no network namespace yet (status ${pod.status.phase})`);
  return netns;
}

/** The reply reverses the NAT conntrack recorded, so the sender sees its original peer answer. */
function conntrackReply(ctx: Ctx, at: HopLocation): TraceResult['reply'] {
  const s = ctx.sent;
  const p = ctx.pkt;
  if (p.dnat || p.snat) {
    ctx.hops.push({
      kind: 'conntrack',
      at,
      action: `reply ${endpointText(p.dst, p.dport, p.proto)} → ${endpointText(p.src, p.sport, p.proto)} is un-NATed by conntrack to ${endpointText(s.dst, s.dport, s.proto)} → ${endpointText(s.src, s.sport, s.proto)}`,
    });
  }
  return { src: endpoint(s.dst, s.dport, s.proto), dst: endpoint(s.src, s.sport, s.proto) };
}

function endpointText(ip: number, port: number, proto: Proto): string {
  return proto === 'icmp' ? ipText(ip) : `${ipText(ip)}:${port}`;
}

interface Accepted {
  proto: Proto;
  ip: string;
  port: number;
  action: string;
  object: ObjectRef | undefined;
}
// What a delivery to a socket says, once per listener (for the address and port it was last
// reached at): the same pod's socket takes every packet traced to it.
const accepted = new WeakMap<Listener, Accepted>();
function acceptedBy(l: Listener, proto: Proto, ip: string, port: number): Accepted {
  const hit = accepted.get(l);
  if (hit && hit.proto === proto && hit.ip === ip && hit.port === port) return hit;
  const a: Accepted = {
    proto,
    ip,
    port,
    action: `${PROTO_WORD[proto]} ${ip}:${port} accepted by ${l.process}${l.pod ? ` in pod ${l.pod.metadata.namespace}/${l.pod.metadata.name}` : ''}`,
    object: l.pod ? { kind: 'Pod', namespace: l.pod.metadata.namespace ?? 'default', name: l.pod.metadata.name } : undefined,
  };
  accepted.set(l, a);
  return a;
}

/** The first socket bound to the protocol and port (on `dst` or any address). */
function listenerFor(ls: readonly Listener[], protocol: string, port: number, dst: number): Listener | undefined {
  for (let i = 0; i < ls.length; i++) {
    const x = ls[i]!;
    if (x.protocol === protocol && x.port === port && (x.address === undefined || x.address === dst)) return x;
  }
  return undefined;
}

/** finish(ctx, 'delivered', { to, source, replyTtl, reply }) as one literal, without the spread. */
function delivered(ctx: Ctx, to: NonNullable<TraceResult['to']>, source: TraceResult['source'], replyTtl: number, reply: TraceResult['reply']): TraceResult {
  const s = ctx.sent;
  return {
    verdict: 'delivered',
    proto: s.proto,
    packet: { src: endpoint(s.src, s.sport, s.proto), dst: endpoint(s.dst, s.dport, s.proto) },
    forwardings: ctx.forwardings,
    hops: ctx.hops,
    to,
    source,
    replyTtl,
    reply,
  };
}

function finish(ctx: Ctx, verdict: Verdict, extra: Partial<TraceResult> = {}): TraceResult {
  const s = ctx.sent;
  return {
    verdict,
    proto: s.proto,
    packet: { src: endpoint(s.src, s.sport, s.proto), dst: endpoint(s.dst, s.dport, s.proto) },
    forwardings: ctx.forwardings,
    hops: ctx.hops,
    ...extra,
  };
}

function rulesOf(ctx: Ctx, node: string): NodeRules {
  let r = ctx.world.rulesets.get(node);
  if (!r) ctx.world.rulesets.set(node, (r = { ruleset: nodeRuleset(ctx.state, node), plans: {} }));
  return r;
}

// Hook interfaces that never vary (netfilter only reads them).
const IN_ETH0: HookIO = { in: 'eth0' };
const BRIDGED: HookIO = { in: 'cni0', out: 'cni0' };

/** Run a netfilter hook in `ns`; a DROP or REJECT ends the trace. */
function hook(ctx: Ctx, ns: Netns, h: Hook, io: HookIO): TraceResult | undefined {
  if (ns.pod || ns.name === 'external') return undefined; // pod namespaces and outside hosts have no rules
  ctx.hookNs = ns; // ctx.where locates the hook's hops here
  const rules = rulesOf(ctx, ns.node);
  const plan = rules.plans[h] ?? (rules.plans[h] = hookPlan(rules.ruleset, h));
  const v = runHookPlan(rules.ruleset, plan, h, ctx.pkt, ns, io, ctx);
  if (v.v === 'drop') return finish(ctx, 'dropped', { reason: `dropped by netfilter (${v.rule})` });
  if (v.v === 'reject') {
    const refused = v.with === 'tcp-reset' || (ctx.pkt.proto !== 'tcp' ? false : v.with === 'icmp-port-unreachable');
    return finish(ctx, 'rejected', {
      reason: refused ? 'Connection refused' : 'Port unreachable',
      icmpError: { from: ipText(localAddressFor(ns, ctx.pkt.src) ?? ctx.pkt.dst), type: 'port-unreachable' },
    });
  }
  return undefined;
}

// Route lookups memoised per namespace: a node's main table holds a route per peer subnet, so a
// lookup is O(nodes), several times per packet. Namespaces are derived and never edited (a rebuilt
// one is a new object). Bounded, since traced destinations are arbitrary.
// Each answer keeps the texts its route hop cites (the route, and what the lookup decided).
class RouteHit {
  private said: string | undefined = undefined;
  constructor(
    readonly route: Route,
    readonly dst: number,
  ) {}

  /** `10.0.0.5 is a local address` or `route to 10.0.0.5 via eth0`. */
  get action(): string {
    return (this.said ??= this.route.type === 'local' ? `${ipText(this.dst)} is a local address` : `route to ${ipText(this.dst)} via ${this.route.dev}`);
  }

  private hopAt: HopLocation | undefined = undefined;
  private hopSaid: Hop | undefined = undefined;
  /**
   * The route hop at `at` saying this. Kept for the first location asked (a hop is fixed by both),
   * not replaced: a fresh hop stored in this long-lived object would outlive its trace.
   */
  hop(at: HopLocation): Hop {
    if (this.hopAt === at && this.hopSaid) return this.hopSaid;
    if (this.hopSaid) return { kind: 'route', at, action: this.action, entry: routeText(this.route), table: this.route.table };
    // The kept one from its own allocation site: V8 pretenures a site whose objects outlive the
    // young generation, and the per-trace ones above would then all be born old.
    this.hopAt = at;
    return (this.hopSaid = keptRouteHop(at, this.action, routeText(this.route), this.route.table));
  }
}
function keptRouteHop(at: HopLocation, action: string, entry: string, table: string): Hop {
  return { kind: 'route', at, action, entry, table };
}
const routeMemo = new WeakMap<Netns, Map<number, RouteHit | null>>();
const ROUTE_MEMO_MAX = 4096;
function routeHit(ns: Netns, ip: number): RouteHit | undefined {
  let memo = routeMemo.get(ns);
  if (!memo) routeMemo.set(ns, (memo = new Map()));
  let r = memo.get(ip);
  if (r === undefined) {
    const route = lookupRoute(ns, ip);
    r = route ? new RouteHit(route, ip) : null;
    if (memo.size >= ROUTE_MEMO_MAX) memo.clear();
    memo.set(ip, r);
  }
  return r ?? undefined;
}
function routeTo(ns: Netns, ip: number): Route | undefined {
  return routeHit(ns, ip)?.route;
}

// A route's `ip route` text, cited by every packet it carries: once per (immutable) route.
const routeTexts = new WeakMap<Route, string>();
function routeText(r: Route): string {
  let text = routeTexts.get(r);
  if (text === undefined) routeTexts.set(r, (text = renderRoute(r)));
  return text;
}

/** The address `ns` would answer from towards `peer`. */
function localAddressFor(ns: Netns, peer: number): number | undefined {
  const r = routeTo(ns, peer);
  return r ? sourceAddress(ns, r) : undefined;
}

function listenersIn(ctx: Ctx, ns: Netns): Listener[] {
  return ns.pod ? (ctx.topo.podListeners.get(ns.pod) ?? []) : (ctx.topo.nodeListeners.get(ns.node) ?? []);
}

/** A local socket takes the packet, or the kernel answers for it (echo reply, RST, port unreachable). */
function deliverLocal(ctx: Ctx, ns: Netns, iface: string): TraceResult {
  const p = ctx.pkt;
  const ip = ipText(p.dst);
  const source = endpoint(p.src, p.sport, p.proto);
  const object = ns.pod ? podRef(ns.pod) : nodeRef(ns.node);
  const replyTtl = DEFAULT_TTL - ctx.forwardings;
  if (p.proto === 'icmp') {
    ctx.hops.push({ kind: 'deliver', at: where(ns, iface), action: `ICMP echo request answered by the kernel of ${ns.pod ?? ns.node}`, object });
    const to = ns.pod ? { pod: ns.pod, ip } : { node: ns.node, ip };
    return delivered(ctx, to, source, replyTtl, conntrackReply(ctx, where(ns, iface)));
  }
  const protocol = p.proto === 'tcp' ? 'TCP' : p.proto === 'udp' ? 'UDP' : 'SCTP';
  const l = listenerFor(listenersIn(ctx, ns), protocol, p.dport, p.dst);
  if (l) {
    const said = acceptedBy(l, p.proto, ip, p.dport);
    ctx.hops.push({ kind: 'deliver', at: where(ns, iface), action: said.action, object: said.object ?? object });
    const to = ns.pod ? { pod: ns.pod, ip, port: p.dport } : { node: ns.node, ip, port: p.dport };
    return delivered(ctx, to, source, replyTtl, conntrackReply(ctx, where(ns, iface)));
  }
  if (p.proto === 'tcp') {
    ctx.hops.push({ kind: 'reject', at: where(ns, iface), action: `nothing listens on TCP port ${p.dport}: the kernel answers with a RST`, object });
    return finish(ctx, 'rejected', { reason: 'Connection refused' });
  }
  if (p.proto === 'sctp') {
    // An out-of-the-blue INIT (RFC 9260 8.4, rule 8): Linux answers it with an ABORT
    // (sctp_sf_tabort_8_4_8), and the client's association in COOKIE-WAIT fails with ECONNREFUSED.
    ctx.hops.push({ kind: 'reject', at: where(ns, iface), action: `nothing listens on SCTP port ${p.dport}: the kernel answers the INIT with an ABORT`, object });
    return finish(ctx, 'rejected', { reason: 'Connection refused' });
  }
  ctx.hops.push({ kind: 'reject', at: where(ns, iface), action: `nothing listens on UDP port ${p.dport}: ICMP port unreachable`, object });
  return finish(ctx, 'rejected', { reason: 'Port unreachable', icmpError: { from: ipText(p.dst), type: 'port-unreachable' } });
}

function linkNamed(ns: Netns, name: string): Link | undefined {
  const links = ns.links;
  for (let i = 0; i < links.length; i++) if (links[i]!.name === name) return links[i];
  return undefined;
}

// Each node's bridge port (host-side veth) per pod, once per namespace and topology: finding it
// meant a scan of the node's links, building a string per link, for every bridged frame.
const portMemo = new WeakMap<Netns, { topo: Topology; byPod: Map<string, Link> }>();
function bridgePort(ctx: Ctx, host: Netns, podKey: string): Link | undefined {
  let memo = portMemo.get(host);
  if (memo?.topo !== ctx.topo) {
    const byPod = new Map<string, Link>();
    for (const l of host.links) {
      const pod = l.kind === 'veth' ? ctx.topo.podByVeth.get(`${host.node}\u0000${l.name}`) : undefined;
      if (pod !== undefined && !byPod.has(pod)) byPod.set(pod, l); // the first, as a scan finds
    }
    portMemo.set(host, (memo = { topo: ctx.topo, byPod }));
  }
  return memo.byPod.get(podKey);
}

/** ARP for `nexthop` on `dev` got no answer: the kernel reports host unreachable to the sender. */
function arpFailed(ctx: Ctx, ns: Netns, dev: string, nexthop: number, why: string): TraceResult {
  ctx.hops.push({ kind: 'arp', at: where(ns, dev), action: `no ARP reply for ${ipText(nexthop)} on ${dev}${why}`, entry: `${ipText(nexthop)} dev ${dev} FAILED` });
  const link = linkNamed(ns, dev);
  const own = ns.addresses.find((a) => a.ifindex === link?.ifindex)?.ip ?? ctx.pkt.src;
  const from = ns === ctx.origin ? ctx.pkt.src : own;
  return finish(ctx, 'dropped', { reason: 'No route to host', icmpError: { from: ipText(from), type: 'host-unreachable' } });
}

/** How a frame reaches cni0's forwarding decision: from whom, on which port, with which hooks. */
interface BridgeIn {
  /** The hop that carries the frame onto the bridge (a pod's veth), after the sender's ARP. */
  uplink?: Hop;
  /** The bridge port the frame came in on (absent for the host's own frames). */
  port?: Link;
  /** iptables hooks br_netfilter runs on the bridged frame (in and out cni0). */
  hooks: readonly Hook[];
}

/**
 * Hand a frame for `nexthop` to the cni0 bridge: to the host itself or out of one of its pod
 * ports. `sender`/`dev` is who resolves `nexthop` by ARP (a pod's eth0, or cni0 on the host).
 */
function throughBridge(ctx: Ctx, host: Netns, nexthop: number, sender: Netns, dev: string, via: BridgeIn): Arrival | TraceResult {
  if (bridgeAddress(host) === nexthop) {
    resolvedOnBridge(ctx, sender, dev, nexthop, via, linkNamed(host, 'cni0')?.mac ?? '');
    // The walk's loop runs PREROUTING, then says where the bridge sends the frame.
    return via.port ? { ns: host, iface: 'cni0', port: via.port } : upToHost(ctx, host);
  }
  const podKey = ctx.topo.podByIP.get(nexthop);
  const target = podKey ? podNsByKey(ctx.state, ctx.world, podKey) : undefined;
  // Only ports of cni0 are on the bridge: a pod on Calico's routed veth (canal) is not, though
  // it shares the node's /24 — an older pod on cni0 ARPs for it in vain.
  const found = target && podKey !== undefined && target.node === host.node ? bridgePort(ctx, host, podKey) : undefined;
  const port = found?.master === 'cni0' ? found : undefined;
  if (!target || !port || !podKey) {
    return arpFailed(ctx, sender, dev, nexthop, sender === host ? ': no pod on this node has that address' : ': no pod on the bridge has that address');
  }
  const mac = linkNamed(target, 'eth0')?.mac ?? '';
  resolvedOnBridge(ctx, sender, dev, nexthop, via, mac, podRef(podKey));
  // should_deliver (br_forward.c): never back out of the port the frame came in on, unless
  // that port has the hairpin flag.
  if (via.port?.name === port.name && !port.hairpin) {
    ctx.hops.push({
      kind: 'drop',
      at: where(host, 'cni0'),
      action: `the frame's destination is behind ${port.name}, the port it came in on, and hairpin is off on that port: cni0 drops it`,
      entry: `${mac} dev ${port.name} master cni0`,
      object: podRef(podKey),
    });
    return finish(ctx, 'dropped', { reason: `hairpin off on bridge port ${port.name}` });
  }
  // br_netfilter: a frame bridged between two ports of cni0 crosses the host's iptables.
  for (const h of via.hooks) {
    const stop = hook(ctx, host, h, BRIDGED);
    if (stop) return stop;
  }
  const bridgeAt = where(host, 'cni0');
  ctx.hops.push(
    bridgeHops.get(bridgeAt, port.name, mac, podKey) ??
      bridgeHops.keep(
        bridgeAt,
        port.name,
        { kind: 'bridge', at: bridgeAt, action: `cni0 forwards to port ${port.name}`, entry: `${mac} dev ${port.name} master cni0`, object: podRef(podKey) },
        mac,
        podKey,
      ),
  );
  const vethAt = where(target, 'eth0');
  ctx.hops.push(
    vethHops.get(vethAt, port.name, podKey) ??
      vethHops.keep(vethAt, port.name, { kind: 'veth', at: vethAt, action: `${port.name} → eth0 of pod ${podKey}`, object: podRef(podKey) }, podKey),
  );
  return { ns: target, iface: 'eth0' };
}

/** cni0's own address in `ns`, if it has one (the first, as a search finds). */
function bridgeAddress(ns: Netns): number | undefined {
  const as = ns.addresses;
  for (let i = 0; i < as.length; i++) if (as[i]!.label === 'cni0') return as[i]!.ip;
  return undefined;
}

/** The sender's ARP for `nexthop` on the bridge is answered; then the frame goes up its veth. */
function resolvedOnBridge(ctx: Ctx, sender: Netns, dev: string, nexthop: number, via: BridgeIn, mac: string, object?: ObjectRef): void {
  const at = where(sender, dev);
  let hop = arpHops.get(at, nexthop, mac, object);
  if (!hop) {
    const ip = ipText(nexthop);
    const action = `${ip} is at ${mac}`;
    const entry = `${ip} dev ${dev} lladdr ${mac} REACHABLE`;
    hop = arpHops.keep(at, nexthop, object ? { kind: 'arp', at, action, entry, object } : { kind: 'arp', at, action, entry }, mac, object);
  }
  ctx.hops.push(hop);
  if (via.uplink) ctx.hops.push(via.uplink);
}

/** A frame addressed to cni0's own MAC goes up to the node's IP stack. */
function upToHost(ctx: Ctx, host: Netns): Arrival {
  const at = where(host, 'cni0');
  ctx.hops.push(
    bridgeHops.get(at, '') ??
      bridgeHops.keep(at, '', {
        kind: 'bridge',
        at,
        action: "frame addressed to the bridge itself: up to the node's IP stack",
        entry: `${linkNamed(host, 'cni0')?.mac ?? ''} dev cni0 master cni0 permanent`,
      }),
  );
  return { ns: host, iface: 'cni0' };
}

/**
 * br_nf_pre_routing_finish: PREROUTING DNATed a frame that came in on a port of cni0, and the new
 * destination routes out of cni0 again (the endpoint is a pod on this node). The frame is not
 * routed: br_netfilter sets its destination MAC from the neighbour entry and hands it back to
 * the bridge (bridged_dnat), so the TTL is not decremented and the node forwards nothing; the
 * bridge's FORWARD and POST_ROUTING hooks still run iptables FORWARD and POSTROUTING.
 */
function bridgedDnat(ctx: Ctx, host: Netns, port: Link, route: Route): Arrival | TraceResult {
  ctx.hops.push({
    kind: 'bridge',
    at: where(host, 'cni0'),
    action: `the DNAT-ed frame stays on cni0: ${ipText(ctx.pkt.dst)} routes out of the same bridge, so br_netfilter bridges it without routing (TTL unchanged)`,
  });
  return throughBridge(ctx, host, route.gateway ?? ctx.pkt.dst, host, 'cni0', { port, hooks: ['FORWARD', 'POSTROUTING'] });
}

function serviceByClusterIP(state: ClusterState, ip: string): Service | undefined {
  for (const shard of Object.values(state.services)) {
    for (const svc of Object.values(shard)) if (svc.spec.clusterIP === ip) return svc;
  }
  return undefined;
}

/** The host on the simulated internet, if any, behind an address. */
function externalHost(state: ClusterState, ip: number): ExternalHost | undefined {
  return state.config.internet.hosts.find((h) => tryParseIPv4(h.ip) === ip);
}

/** Beyond the node network's gateway: the lab router NATs to its public address. */
function toInternet(ctx: Ctx, ns: Netns): TraceResult {
  const p = ctx.pkt;
  const pod = parseCIDR(ctx.state.config.podCIDR);
  if (inSubnet(p.dst, pod.ip, pod.prefixLen)) {
    ctx.hops.push({
      kind: 'drop',
      at: where(ns, 'eth0'),
      action: `${ipText(p.dst)} is in the pod network but no route on ${ns.node} leads to it (no overlay lease for it): the gateway drops it`,
    });
    return finish(ctx, 'dropped', { reason: 'no route to that pod subnet' });
  }
  const svcNet = parseCIDR(ctx.state.config.serviceCIDR);
  if (inSubnet(p.dst, svcNet.ip, svcNet.prefixLen)) {
    // A ClusterIP lives on no interface: only kube-proxy's DNAT of its ports makes it reachable.
    const svc = serviceByClusterIP(ctx.state, ipText(p.dst));
    const ports = svc ? (svc.spec.ports ?? []).map((x) => `${x.port}/${x.protocol}`).join(', ') : '';
    const why = svc
      ? `${ipText(p.dst)} is the ClusterIP of Service ${svc.metadata.namespace}/${svc.metadata.name}: kube-proxy only DNATs its ports (${ports}), ${p.proto === 'icmp' ? 'an ICMP echo matches no rule' : `${p.proto.toUpperCase()} port ${p.dport} matches no rule`}, and no interface has the address, so nothing answers`
      : `${ipText(p.dst)} is in the Service range ${ctx.state.config.serviceCIDR} but no Service has it`;
    ctx.hops.push({
      kind: 'drop',
      at: where(ns, 'eth0'),
      action: why,
      ...(svc ? { object: { kind: 'Service', namespace: svc.metadata.namespace ?? 'default', name: svc.metadata.name } } : {}),
    });
    return finish(ctx, 'dropped', { reason: 'no answer' });
  }
  const gw = ctx.state.config.nodeGateway;
  if (ipText(p.dst) === gw) {
    // The lab gateway itself: it answers ping and runs the DNS resolver the nodes use.
    const at: HopLocation = { node: ns.node, netns: 'gateway' };
    const to = { host: 'lab-gateway', ip: gw };
    if (p.proto === 'icmp' || (p.dport === 53 && p.proto !== 'sctp')) {
      ctx.hops.push({ kind: 'deliver', at, action: p.proto === 'icmp' ? `the gateway ${gw} answers the echo request` : `the gateway's DNS resolver on ${gw}:53 takes the query` });
      return finish(ctx, 'delivered', {
        to: { ...to, ...(p.proto !== 'icmp' ? { port: p.dport } : {}) },
        source: endpoint(p.src, p.sport, p.proto),
        replyTtl: 64,
        reply: conntrackReply(ctx, at),
      });
    }
    ctx.hops.push({ kind: 'reject', at, action: `the gateway has nothing on ${p.proto.toUpperCase()} port ${p.dport}` });
    return finish(ctx, 'rejected', { reason: p.proto === 'tcp' || p.proto === 'sctp' ? 'Connection refused' : 'Port unreachable' });
  }
  const publicIP = tryParseIPv4(ctx.state.config.internet.gatewayPublicIP) ?? 0;
  ctx.forwardings++;
  const from = `${ipText(p.src)}${p.proto !== 'icmp' ? `:${p.sport}` : ''}`;
  p.src = publicIP;
  ctx.hops.push({
    kind: 'gateway',
    at: { node: ns.node, netns: ns.name, iface: 'eth0' },
    action: `gateway ${gw} routes it to the internet, NATing ${from} to ${ipText(publicIP)}`,
  });
  const host = externalHost(ctx.state, p.dst);
  if (!host) {
    ctx.hops.push({ kind: 'drop', at: { node: ns.node, netns: ns.name }, action: `no host answers at ${ipText(p.dst)} on the simulated internet` });
    return finish(ctx, 'dropped', { reason: 'no answer' });
  }
  const at: HopLocation = { node: ns.node, netns: 'internet' };
  const to = { host: host.name, ip: host.ip };
  const source = endpoint(p.src, p.sport, p.proto);
  if (p.proto === 'icmp') {
    ctx.hops.push({ kind: 'deliver', at, action: `${host.name} (${host.ip}) answers the echo request` });
    return finish(ctx, 'delivered', { to, source, replyTtl: host.replyTtl - ctx.forwardings + 1, reply: conntrackReply(ctx, at) });
  }
  const protocol = p.proto === 'tcp' ? 'TCP' : p.proto === 'udp' ? 'UDP' : 'SCTP';
  if (host.listens.some((l) => l.port === p.dport && l.protocol === protocol)) {
    ctx.hops.push({ kind: 'deliver', at, action: `${host.name} (${host.ip}) accepts ${protocol} port ${p.dport}` });
    return finish(ctx, 'delivered', { to: { ...to, port: p.dport }, source, replyTtl: host.replyTtl - ctx.forwardings + 1, reply: conntrackReply(ctx, at) });
  }
  ctx.hops.push({ kind: 'reject', at, action: `${host.name} (${host.ip}) has nothing on ${protocol} port ${p.dport}` });
  return finish(ctx, 'rejected', { reason: p.proto === 'tcp' || p.proto === 'sctp' ? 'Connection refused' : 'Port unreachable' });
}

/**
 * A client on the internet sends to the lab router's public address (its only route): the
 * packet crosses the internet to the router — the workstation, the node network's gateway — which
 * routes it into the lab by its own table (the node network, and the routes added on the
 * workstation) without NAT: the lab sees the client's own address. No route, no way in.
 */
function intoLab(ctx: Ctx, client: Netns, publicIP: number): Arrival | TraceResult {
  const p = ctx.pkt;
  const cfg = ctx.state.config;
  const gw = cfg.nodeGateway;
  const router = workstationNetns(ctx.state);
  ctx.hops.push({
    kind: 'wire',
    at: where(client, 'eth0'),
    action: `across the internet to the lab router ${ipText(publicIP)} (the workstation, gateway ${gw} of the node network)`,
  });
  const route = p.dst === publicIP ? undefined : routeTo(router, p.dst);
  if (p.dst === publicIP || route?.type === 'local') {
    // The router's own address: its kernel answers a ping; it serves nothing to the internet.
    const at = where(router, 'eth0');
    if (p.proto === 'icmp') {
      ctx.hops.push({ kind: 'deliver', at, action: `the lab router answers the echo request to ${ipText(p.dst)}` });
      return finish(ctx, 'delivered', {
        to: { host: 'lab-gateway', ip: ipText(p.dst) },
        source: endpoint(p.src, p.sport, p.proto),
        replyTtl: 64,
        reply: conntrackReply(ctx, at),
      });
    }
    ctx.hops.push({ kind: 'reject', at, action: `the lab router has nothing on ${p.proto.toUpperCase()} port ${p.dport} for the internet` });
    return finish(ctx, 'rejected', { reason: p.proto === 'udp' ? 'Port unreachable' : 'Connection refused' });
  }
  if (!route) {
    const host = externalHost(ctx.state, p.dst);
    const why = host
      ? `${ipText(p.dst)} (${host.name}) is on the internet, not behind the lab router`
      : `the lab router has no route to ${ipText(p.dst)} (its table: the node network ${cfg.nodeNetwork} and the routes added on the workstation, e.g. \`sudo ip route add ${cidrOfLab(ctx.state, p.dst)} via <node>\`)`;
    ctx.hops.push({ kind: 'drop', at: where(router), action: `${why}: ICMP network unreachable` });
    return finish(ctx, 'dropped', { reason: 'Network is unreachable', icmpError: { from: ipText(publicIP), type: 'net-unreachable' } });
  }
  ctx.hops.push({ kind: 'route', at: where(router), action: `route to ${ipText(p.dst)} via ${route.dev}`, entry: routeText(route), table: route.table });
  ctx.forwardings++;
  ctx.hops.push({
    kind: 'gateway',
    at: where(router, route.dev),
    action: `the lab router forwards it from the internet to ${route.dev} without NAT: the source stays ${endpointText(p.src, p.sport, p.proto)} (TTL−1)`,
  });
  return transmit(ctx, router, route.dev, route.gateway ?? p.dst);
}

/** The range to suggest a route for: the pod or Service network holding `ip`, else the address. */
function cidrOfLab(state: ClusterState, ip: number): string {
  for (const cidr of [state.config.serviceCIDR, state.config.podCIDR]) {
    const c = parseCIDR(cidr);
    if (inSubnet(ip, c.ip, c.prefixLen)) return cidr;
  }
  return `${ipText(ip)}/32`;
}

/** The frame leaves through eth0 onto the node network: another node, the gateway, or nobody. */
function onNodeNetwork(ctx: Ctx, ns: Netns, nexthop: number): Arrival | TraceResult {
  if (ns.name === 'external' && ctx.internetVia === nexthop) return intoLab(ctx, ns, nexthop);
  const peerNode = ctx.topo.nodeByIP.get(nexthop);
  if (peerNode && peerNode !== ns.node) {
    const peer = nodeNs(ctx.state, ctx.world, peerNode)!;
    const mac = linkNamed(peer, 'eth0')?.mac ?? '';
    const at = where(ns, 'eth0');
    ctx.hops.push(
      arpHops.get(at, nexthop, mac, peerNode) ??
        arpHops.keep(
          at,
          nexthop,
          { kind: 'arp', at, action: `${ipText(nexthop)} is at ${mac}`, entry: `${ipText(nexthop)} dev eth0 lladdr ${mac} REACHABLE`, object: nodeRef(peerNode) },
          mac,
          peerNode,
        ),
    );
    ctx.hops.push(wireHops.get(at, peerNode) ?? wireHops.keep(at, peerNode, { kind: 'wire', at, action: `across the node network to ${peerNode}`, object: nodeRef(peerNode) }));
    ctx.pkt.mark = 0; // an skb's mark never leaves its host
    return { ns: peer, iface: 'eth0' };
  }
  if (ipText(nexthop) === ctx.state.config.nodeGateway && ns.name !== 'external') return toInternet(ctx, ns);
  // A LoadBalancer address: one MetalLB speaker answers ARP for it with its node's MAC.
  const lbSvc = serviceByLoadBalancerIP(ctx.state, ipText(nexthop));
  if (lbSvc) {
    const announcer = announcingNode(ctx.state, lbSvc, ipText(nexthop));
    const object = { kind: 'Service', namespace: lbSvc.metadata.namespace ?? 'default', name: lbSvc.metadata.name };
    if (!announcer) {
      ctx.hops.push({
        kind: 'arp',
        at: where(ns, 'eth0'),
        action: `no MetalLB speaker announces ${ipText(nexthop)}: ${notAnnouncedBecause(ctx.state, lbSvc)}`,
        object,
      });
      return finish(ctx, 'dropped', { reason: 'No route to host', icmpError: { from: ipText(ctx.pkt.src), type: 'host-unreachable' } });
    }
    const peer = nodeNs(ctx.state, ctx.world, announcer)!;
    const mac = linkNamed(peer, 'eth0')?.mac ?? '';
    ctx.hops.push({
      kind: 'arp',
      at: where(ns, 'eth0'),
      action: `${ipText(nexthop)} is at ${mac}: MetalLB's speaker on ${announcer} answers for Service ${object.namespace}/${object.name} (layer2)`,
      entry: `${ipText(nexthop)} dev eth0 lladdr ${mac} REACHABLE`,
      object,
    });
    ctx.hops.push({ kind: 'wire', at: where(ns, 'eth0'), action: `across the node network to ${announcer}`, object: { kind: 'Node', name: announcer } });
    ctx.pkt.mark = 0; // an skb's mark never leaves its host
    return { ns: peer, iface: 'eth0' };
  }
  // A Service's externalIP: kube-proxy only matches it; the lab routes it to the first Ready worker.
  const ext = serviceByExternalIP(ctx.state, ipText(nexthop));
  if (ext) {
    const node =
      ctx.state.nodeOrder.find(
        (n) => ctx.state.nodes[n] && isNodeReady(ctx.state.nodes[n]!) && ctx.state.nodes[n]!.metadata.labels?.['node-role.kubernetes.io/control-plane'] === undefined,
      ) ?? ctx.state.nodeOrder[0]!;
    const peer = nodeNs(ctx.state, ctx.world, node)!;
    ctx.hops.push({
      kind: 'wire',
      at: where(ns, 'eth0'),
      action: `externalIP ${ipText(nexthop)} of Service ${ext.metadata.namespace}/${ext.metadata.name}: the lab routes it to ${node}`,
      object: { kind: 'Service', namespace: ext.metadata.namespace ?? 'default', name: ext.metadata.name },
    });
    ctx.pkt.mark = 0; // an skb's mark never leaves its host
    return { ns: peer, iface: 'eth0' };
  }
  return arpFailed(ctx, ns, 'eth0', nexthop, ': no host on the node network has that address');
}

function serviceByExternalIP(state: ClusterState, ip: string): Service | undefined {
  for (const shard of Object.values(state.services)) {
    for (const svc of Object.values(shard)) if (svc.spec.externalIPs?.includes(ip)) return svc;
  }
  return undefined;
}

/** A VXLAN device's neighbour entry for a next hop, its FDB entry, and the texts citing them. */
interface VxlanPeer {
  /** The device it was found for (one per node; the memo holds the last asked). */
  link: Link;
  lladdr: string | undefined;
  fdb: FdbEntry | undefined;
  arpAction: string;
  arpEntry: string;
  encapEntry: string;
}

// Once per namespace, device and next hop: the neighbour and FDB tables hold an entry per peer
// node, so finding them was O(nodes) per encapsulated packet.
const vxlanPeers = new WeakMap<Netns, Map<number, VxlanPeer>>();
function vxlanPeer(ns: Netns, link: Link, nexthop: number): VxlanPeer {
  let byHop = vxlanPeers.get(ns);
  if (!byHop) vxlanPeers.set(ns, (byHop = new Map()));
  let hit = byHop.get(nexthop);
  if (hit?.link === link) return hit;
  const lladdr = ns.neighbours.find((n) => n.dev === link.name && n.ip === nexthop)?.lladdr;
  const fdb = lladdr ? ns.fdb.find((f) => f.dev === link.name && f.mac === lladdr && f.dst !== undefined) : undefined;
  const ip = ipText(nexthop);
  hit = {
    link,
    lladdr,
    fdb,
    arpAction: `${ip} is at ${lladdr} (static, from the peer's lease)`,
    arpEntry: `${ip} dev ${link.name} lladdr ${lladdr} PERMANENT`,
    encapEntry: fdb?.dst === undefined ? '' : `${lladdr} dev ${link.name} dst ${ipText(fdb.dst)} self permanent`,
  };
  byHop.set(nexthop, hit);
  return hit;
}

/**
 * flannel.1: the static neighbour entry gives the peer's VtepMAC, the FDB entry its node IP;
 * the kernel wraps the frame in UDP (dstport 8472, VNI 1) and sends it from this node's IP.
 * The outer packet crosses this node's OUTPUT/POSTROUTING and the peer's PREROUTING/INPUT,
 * where the VXLAN socket unwraps it and the inner packet arrives on the peer's flannel.1.
 */
function vxlan(ctx: Ctx, ns: Netns, link: Link, nexthop: number): Arrival | TraceResult {
  const vx = link.vxlan!;
  const peerOf = vxlanPeer(ns, link, nexthop);
  const lladdr = peerOf.lladdr;
  if (!lladdr) {
    ctx.hops.push({ kind: 'arp', at: where(ns, link.name), action: `no neighbour entry for ${ipText(nexthop)} on ${link.name} (nolearning: flanneld has no lease for it)` });
    return finish(ctx, 'dropped', { reason: 'No route to host' });
  }
  ctx.hops.push({ kind: 'arp', at: where(ns, link.name), action: peerOf.arpAction, entry: peerOf.arpEntry });
  const fdb = peerOf.fdb;
  if (fdb?.dst === undefined) {
    ctx.hops.push({ kind: 'drop', at: where(ns, link.name), action: `no FDB entry for ${lladdr} on ${link.name}` });
    return finish(ctx, 'dropped', { reason: 'No route to host' });
  }
  const inner = copyPacket(ctx.pkt, ctx.pkt.mark);
  const outer: Packet = {
    src: vx.local,
    dst: fdb.dst,
    proto: 'udp',
    // The kernel hashes the inner flow into the source port, so one flow keeps one port.
    sport:
      32768 + (seededEnd(seededPart(seededPart(seededPart(seededPart(seededPart(seededBegin(ctx.seed), 'vxlan-sport'), inner.src), inner.dst), inner.sport), inner.dport)) % 28232),
    dport: vx.dstport,
    mark: 0,
    size: inner.size + 50,
    df: false,
  };
  const peerNode = ctx.topo.nodeByIP.get(fdb.dst);
  const encapAt = where(ns, link.name);
  const encap = `VXLAN encapsulation: outer ${ipText(outer.src)}:${outer.sport} → ${ipText(outer.dst)}:${outer.dport}/udp, VNI ${vx.id}; inner ${ipText(inner.src)} → ${ipText(inner.dst)} unchanged`;
  ctx.hops.push(
    peerNode
      ? { kind: 'encap', at: encapAt, action: encap, entry: peerOf.encapEntry, object: nodeRef(peerNode) }
      : { kind: 'encap', at: encapAt, action: encap, entry: peerOf.encapEntry },
  );
  // The outer packet is the node's own: OUTPUT, routing, POSTROUTING, then the wire.
  ctx.pkt = outer;
  const route = routeTo(ns, outer.dst);
  const out: HookIO = { out: route?.dev ?? 'eth0' };
  let stop = hook(ctx, ns, 'OUTPUT', out) ?? hook(ctx, ns, 'POSTROUTING', out);
  if (stop) return stop;
  if (route?.dev !== 'eth0') {
    ctx.pkt = inner;
    ctx.hops.push({ kind: 'drop', at: where(ns), action: `no route for the outer packet to ${ipText(outer.dst)}` });
    return finish(ctx, 'dropped', { reason: 'Network is unreachable' });
  }
  const routeAt = where(ns);
  ctx.hops.push(
    outerRouteHops.get(routeAt, outer.dst, route) ??
      outerRouteHops.keep(
        routeAt,
        outer.dst,
        { kind: 'route', at: routeAt, action: `outer packet to ${ipText(outer.dst)} via eth0`, entry: routeText(route), table: route.table },
        route,
      ),
  );
  const arrived = onNodeNetwork(ctx, ns, route.gateway ?? outer.dst);
  if ('verdict' in arrived) {
    ctx.pkt = inner;
    return arrived;
  }
  const peer = arrived.ns;
  stop = hook(ctx, peer, 'PREROUTING', IN_ETH0) ?? hook(ctx, peer, 'INPUT', IN_ETH0);
  if (stop) return stop;
  const peerLink = vxlanSocket(peer, vx.id, outer.dport);
  if (!peerLink) {
    ctx.pkt = inner;
    ctx.hops.push({ kind: 'drop', at: where(peer, 'eth0'), action: `no VXLAN socket on UDP ${outer.dport} for VNI ${vx.id}` });
    return finish(ctx, 'dropped', { reason: 'Port unreachable' });
  }
  // The inner packet continues in the skb that arrived on the wire: the sender's marks stayed there.
  ctx.pkt = copyPacket(inner, ctx.pkt.mark);
  ctx.hops.push({
    kind: 'decap',
    at: where(peer, peerLink.name),
    action: `VXLAN socket on :${outer.dport} unwraps VNI ${vx.id}: ${ipText(inner.src)} → ${ipText(inner.dst)} arrives on ${peerLink.name}`,
  });
  return { ns: peer, iface: peerLink.name };
}

/** A copy of a packet with `mark` (a literal of one shape: a spread per copy built a new map each time). */
function copyPacket(p: Packet, mark: number): Packet {
  return { src: p.src, dst: p.dst, sport: p.sport, dport: p.dport, proto: p.proto, mark, size: p.size, df: p.df, dnat: p.dnat, snat: p.snat };
}

// The VXLAN device that takes a VNI on a UDP port, once per namespace (the last asked).
const vxlanSockets = new WeakMap<Netns, { id: number; port: number; link: Link | undefined }>();
function vxlanSocket(ns: Netns, id: number, port: number): Link | undefined {
  const hit = vxlanSockets.get(ns);
  if (hit && hit.id === id && hit.port === port) return hit.link;
  const link = ns.links.find((l) => l.kind === 'vxlan' && l.vxlan?.id === id && l.vxlan.dstport === port);
  vxlanSockets.set(ns, { id, port, link });
  return link;
}

/** Put a packet on `dev` towards `nexthop`; returns the namespace and interface it arrives on. */
function transmit(ctx: Ctx, ns: Netns, dev: string, nexthop: number): Arrival | TraceResult {
  if (ns.pod) {
    // A pod's eth0 is a veth: the frame comes out of its host-side peer, a port of cni0.
    const host = nodeNs(ctx.state, ctx.world, ns.node)!;
    const peer = bridgePort(ctx, host, ns.pod);
    if (peer && peer.master === undefined) return outOfCalicoPod(ctx, ns, host, peer, dev, nexthop);
    const upAt = where(ns, dev);
    const peerName = peer?.name ?? 'veth';
    const uplink =
      uplinkHops.get(upAt, peerName) ??
      uplinkHops.keep(upAt, peerName, { kind: 'veth', at: upAt, action: `eth0 → ${peerName} on node ${ns.node} (bridge port of cni0)`, object: podRef(ns.pod) });
    return throughBridge(ctx, host, nexthop, ns, dev, { uplink, ...(peer ? { port: peer } : {}), hooks: ['PREROUTING', 'FORWARD', 'POSTROUTING'] });
  }
  if (dev === 'cni0') return throughBridge(ctx, ns, nexthop, ns, 'cni0', { hooks: [] });
  if (dev === 'lo') return { ns, iface: 'lo' };
  if (dev === 'eth0') return onNodeNetwork(ctx, ns, nexthop);
  const link = linkNamed(ns, dev);
  if (link?.kind === 'vxlan') return vxlan(ctx, ns, link, nexthop);
  if (link?.kind === 'veth' && link.master === undefined) return intoCalicoPod(ctx, ns, link, nexthop);
  return arpFailed(ctx, ns, dev, nexthop, '');
}

/**
 * Out of a pod on Calico's plugin: its only route is via 169.254.1.1, which the host side of its
 * veth answers by proxy ARP; the packet arrives on that `cali…` interface and is routed by the node.
 */
function outOfCalicoPod(ctx: Ctx, pod: Netns, host: Netns, peer: Link, dev: string, nexthop: number): Arrival | TraceResult {
  const mac = peer.mac;
  ctx.hops.push({
    kind: 'arp',
    at: where(pod, dev),
    action: `${ipText(nexthop)} is at ${mac} (proxy ARP by ${peer.name} on node ${host.node})`,
    entry: `${ipText(nexthop)} dev ${dev} lladdr ${mac} REACHABLE`,
  });
  ctx.hops.push({ kind: 'veth', at: where(pod, dev), action: `eth0 → ${peer.name} on node ${host.node} (Calico workload interface, routed)`, object: podRef(pod.pod!) });
  return { ns: host, iface: peer.name };
}

/** A node routes to a pod on Calico's plugin: out of the pod's own `cali…` veth (its /32 route). */
function intoCalicoPod(ctx: Ctx, host: Netns, link: Link, nexthop: number): Arrival | TraceResult {
  const podKey = ctx.topo.podByVeth.get(`${host.node}\u0000${link.name}`);
  const target = podKey === undefined ? undefined : podNsByKey(ctx.state, ctx.world, podKey);
  const eth0 = target && linkNamed(target, 'eth0');
  if (!podKey || !target || !eth0 || !target.addresses.some((a) => a.ip === nexthop))
    return arpFailed(ctx, host, link.name, nexthop, ': no pod behind that interface has the address');
  ctx.hops.push({
    kind: 'arp',
    at: where(host, link.name),
    action: `${ipText(nexthop)} is at ${eth0.mac}`,
    entry: `${ipText(nexthop)} dev ${link.name} lladdr ${eth0.mac} REACHABLE`,
    object: podRef(podKey),
  });
  ctx.hops.push({ kind: 'veth', at: where(target, 'eth0'), action: `${link.name} → eth0 of pod ${podKey}`, object: podRef(podKey) });
  return { ns: target, iface: 'eth0' };
}

/** Path MTU: a DF packet larger than the egress link is refused (locally) or answered with "frag needed". */
function checkMtu(ctx: Ctx, ns: Netns, dev: string, origin: boolean): TraceResult | undefined {
  const mtu = linkNamed(ns, dev)?.mtu;
  if (mtu === undefined || ctx.pkt.size <= mtu) return undefined;
  if (!ctx.pkt.df) {
    ctx.hops.push({ kind: 'route', at: where(ns, dev), action: `${ctx.pkt.size} bytes > ${dev} MTU ${mtu}: fragmented` });
    return undefined;
  }
  if (origin) {
    ctx.hops.push({ kind: 'drop', at: where(ns, dev), action: `${ctx.pkt.size} bytes with DF set > ${dev} MTU ${mtu}: the send fails with EMSGSIZE` });
    return finish(ctx, 'dropped', { reason: 'Message too long', localError: { errno: 'EMSGSIZE', mtu } });
  }
  const from = ns.addresses.find((a) => a.label !== 'lo' && a.label !== dev)?.ip ?? 0;
  ctx.hops.push({ kind: 'drop', at: where(ns, dev), action: `${ctx.pkt.size} bytes with DF set > ${dev} MTU ${mtu}: ICMP fragmentation needed` });
  return finish(ctx, 'dropped', {
    reason: `Frag needed and DF set (mtu = ${mtu})`,
    icmpError: { from: ipText(localAddressFor(ns, ctx.sent.src) ?? from), type: 'frag-needed', mtu },
  });
}

function defaultSize(proto: Proto): number {
  return proto === 'icmp' ? 84 : proto === 'tcp' ? 60 : 60;
}

/**
 * A locally generated packet that the sender's own rules drop or reject fails the send itself:
 * netfilter's verdict is NF_DROP either way (REJECT drops the packet after sending its ICMP
 * error), so sendmsg returns EPERM for UDP and ICMP. TCP ignores the failed send: a dropped SYN
 * is retried until the connection times out, a rejected one is refused by the ICMP error or RST.
 * So does SCTP (sctp_packet_transmit does not look at the IP layer's result): its INIT is
 * retransmitted by the T1-init timer.
 */
function localSend(ctx: Ctx, stop: TraceResult | undefined): TraceResult | undefined {
  if (!stop || ctx.pkt.proto === 'tcp' || ctx.pkt.proto === 'sctp') return stop;
  if (stop.verdict === 'dropped' && !stop.reason?.startsWith('dropped by netfilter')) return stop;
  const { icmpError: _, ...rest } = stop;
  return { ...rest, reason: 'Operation not permitted', localError: { errno: 'EPERM' } };
}

// seeded()'s hash fed a part at a time (util/seeded.ts: seededBegin/Part/End): a packet draws
// several (its source port, VXLAN's, each `-m statistic`), and building each key string cost more
// than hashing it. Every exact trace checks the equivalence: source ports and kube-proxy's
// choices come from it.

/** FNV's state after `${seed}\0sport\0${origin.name}\0${origin.node}`, once per origin. */
function sportKey(world: World, seed: number, origin: Netns): number {
  let h = world.sportKeys.get(origin);
  if (h === undefined) world.sportKeys.set(origin, (h = seededPart(seededPart(seededPart(seededBegin(seed), 'sport'), origin.name), origin.node)));
  return h;
}

// The purpose hash of each seed's statistic draws (one cluster's seed, mostly).
let drawSeed: number | undefined;
let drawPurpose = 0;
function statisticPurpose(seed: number): number {
  if (seed !== drawSeed) {
    drawPurpose = seededPart(seededBegin(seed), 'statistic');
    drawSeed = seed;
  }
  return drawPurpose;
}

/** seeded(seed, 'statistic', src, sport, dst, dport, n): the n-th random draw of a connection. */
function statisticDraw(purpose: number, pkt: Packet, n: number): number {
  // A Service's endpoint rules draw one after another for one packet: its part is hashed once.
  if (purpose !== drawn.purpose || pkt.src !== drawn.src || pkt.sport !== drawn.sport || pkt.dst !== drawn.dst || pkt.dport !== drawn.dport) {
    drawn.purpose = purpose;
    drawn.src = pkt.src;
    drawn.sport = pkt.sport;
    drawn.dst = pkt.dst;
    drawn.dport = pkt.dport;
    drawn.h = seededPart(seededPart(seededPart(seededPart(purpose, pkt.src), pkt.sport), pkt.dst), pkt.dport);
  }
  return seededEnd(seededPart(drawn.h, n));
}
const drawn = { purpose: Number.NaN, src: 0, sport: 0, dst: 0, dport: 0, h: 0 };

/** One possible path of a packet, with its probability (random choices in kube-proxy's rules). */
export interface TraceOutcome {
  probability: number;
  result: TraceResult;
}

/**
 * Trace one packet from a pod or node to an address, hop by hop. Random choices
 * (`-m statistic`) are drawn from the cluster's seed and the connection's 4-tuple, so the same
 * connection always takes the same path, as conntrack would keep it.
 */
export function trace(state: ClusterState, req: TraceRequest): TraceResult {
  checkTraceRequest(req);
  let n = 0;
  const purpose = statisticPurpose(state.config.seed);
  return walk(state, req, (p, pkt) => statisticDraw(purpose, pkt, n++) / 2 ** 32 < p);
}

/** Every path the packet can take, each with its probability (they sum to 1). */
export function traceAll(state: ClusterState, req: TraceRequest): TraceOutcome[] {
  checkTraceRequest(req);
  const outcomes: TraceOutcome[] = [];
  const pending: boolean[][] = [[]];
  while (pending.length) {
    const prefix = pending.pop()!;
    const taken: boolean[] = [];
    let probability = 1;
    const result = walk(state, req, (p) => {
      const i = taken.length;
      const v = i < prefix.length ? prefix[i]! : true;
      // A new branch point: explore the rule matching now, and come back for it not matching.
      if (i >= prefix.length && p < 1) pending.push([...taken, false]);
      taken.push(v);
      probability *= v ? p : 1 - p;
      return v;
    });
    if (probability > 0) outcomes.push({ probability, result });
  }
  return outcomes;
}

/**
 * One walk of a request checkTraceRequest has accepted (trace and traceAll check it once, not per
 * walk), with NetworkPolicy's part: what Felix decided (canal), or what would have denied a
 * delivery (Flannel, which enforces none).
 */
function walk(state: ClusterState, req: TraceRequest, draw: (p: number, pkt: Packet) => boolean): TraceResult {
  const matched = policyCollector(state);
  try {
    return withPolicy(state, req, walkPath(state, req, draw, matched), matched);
  } finally {
    forgetLastNamespace();
  }
}

function walkPath(state: ClusterState, req: TraceRequest, draw: (p: number, pkt: Packet) => boolean, policyRules: Rule[] | undefined): TraceResult {
  const dst = tryParseIPv4(req.to.ip)!;
  const proto = req.proto ?? 'tcp';
  // ICMP has no ports: a port given with it is ignored.
  const dport = proto === 'icmp' ? 0 : req.to.port!;
  const world = worldOf(state);
  const origin = originNetns(state, world, req.from);
  const seed = state.config.seed;
  const pkt: Packet = {
    src: 0,
    dst,
    sport: req.sport ?? 32768 + (seededEnd(seededPart(seededPart(sportKey(world, seed, origin), req.to.ip), dport)) % 28232),
    dport,
    proto,
    mark: 0,
    size: req.size ?? defaultSize(proto),
    df: req.df ?? true,
  };
  const ctx = new Ctx(state, world, origin, pkt, seed, draw, policyRules);
  if ('external' in req.from && req.from.external !== undefined) {
    // Off the node network, a client is on the internet: its way in is the lab router.
    const net = parseCIDR(state.config.nodeNetwork);
    if (!inSubnet(tryParseIPv4(req.from.external) ?? 0, net.ip, net.prefixLen)) ctx.internetVia = tryParseIPv4(state.config.internet.gatewayPublicIP);
  }
  const firstHit = routeHit(origin, dst);
  let first = firstHit?.route;
  if (!firstHit || !first) {
    ctx.sent = copyPacket(pkt, pkt.mark);
    ctx.hops.push({ kind: 'route', at: where(origin), action: `no route to ${req.to.ip}` });
    return finish(ctx, 'dropped', { reason: 'Network is unreachable', localError: { errno: 'ENETUNREACH' } });
  }
  pkt.src = first.type === 'local' ? dst : (sourceAddress(origin, first) ?? 0);
  ctx.sent = copyPacket(pkt, pkt.mark);
  const sendAt = where(origin, first.dev);
  const said = `${PROTO_WORD[proto]} ${ipText(pkt.src)}${proto !== 'icmp' ? `:${pkt.sport}` : ''} → ${req.to.ip}${proto !== 'icmp' ? `:${pkt.dport}` : ''}`;
  ctx.hops.push(origin.pod ? { kind: 'send', at: sendAt, action: said, object: podRef(origin.pod) } : { kind: 'send', at: sendAt, action: said });

  // Locally generated: OUTPUT (may DNAT, so route again), then POSTROUTING.
  // (Its action names the address as ipText does: req.to.ip is a strict dotted quad, the same text.)
  ctx.hops.push(firstHit.hop(where(origin)));
  let stop = localSend(ctx, hook(ctx, origin, 'OUTPUT', { out: first.dev }));
  if (stop) return stop;
  if (ctx.pkt.dst !== dst) {
    const again = routeTo(origin, ctx.pkt.dst);
    if (!again) return finish(ctx, 'dropped', { reason: 'Network is unreachable' });
    first = again;
    ctx.hops.push({ kind: 'route', at: where(origin), action: `rerouted after DNAT to ${ipText(ctx.pkt.dst)} via ${first.dev}`, entry: routeText(first), table: first.table });
  }
  stop = localSend(ctx, hook(ctx, origin, 'POSTROUTING', { out: first.dev }));
  if (stop) return stop;
  if (first.type === 'local') {
    stop = hook(ctx, origin, 'INPUT', { in: 'lo' });
    return stop ?? deliverLocal(ctx, origin, 'lo');
  }
  stop = checkMtu(ctx, origin, first.dev, true);
  if (stop) return stop;
  let next = transmit(ctx, origin, first.dev, first.gateway ?? ctx.pkt.dst);
  if ('verdict' in next) return next;

  for (let step = 0; step < MAX_STEPS; step++) {
    const { ns, iface, port } = next;
    const before = ctx.pkt.dst;
    stop = hook(ctx, ns, 'PREROUTING', { in: iface });
    if (stop) return stop;
    const hit = routeHit(ns, ctx.pkt.dst);
    const route = hit?.route;
    if (port) {
      // br_netfilter: DNAT to a destination behind the same bridge keeps the frame on it.
      if (hit && route && route.type === 'unicast' && route.dev === iface && ctx.pkt.dst !== before) {
        ctx.hops.push(hit.hop(where(ns, iface)));
        next = bridgedDnat(ctx, ns, port, route);
        if ('verdict' in next) return next;
        continue;
      }
      upToHost(ctx, ns);
    }
    if (!hit || !route) {
      ctx.hops.push({ kind: 'route', at: where(ns, iface), action: `no route to ${ipText(ctx.pkt.dst)}: ICMP network unreachable` });
      return finish(ctx, 'dropped', { reason: 'Network is unreachable' });
    }
    ctx.hops.push(hit.hop(where(ns, iface)));
    if (route.type === 'local') {
      stop = hook(ctx, ns, 'INPUT', { in: iface });
      return stop ?? deliverLocal(ctx, ns, iface);
    }
    if (ns.pod) {
      ctx.hops.push({ kind: 'drop', at: where(ns, iface), action: 'a pod does not forward packets addressed to others (ip_forward=0)' });
      return finish(ctx, 'dropped', { reason: 'not addressed to this pod' });
    }
    ctx.forwardings++;
    const fwdAt = where(ns, iface);
    ctx.hops.push(
      forwardHops.get(fwdAt, route.dev) ??
        forwardHops.keep(fwdAt, route.dev, { kind: 'forward', at: fwdAt, action: `node ${ns.node} forwards from ${iface} to ${route.dev} (TTL−1)` }),
    );
    const through: HookIO = { in: iface, out: route.dev };
    stop = hook(ctx, ns, 'FORWARD', through) ?? hook(ctx, ns, 'POSTROUTING', through) ?? checkMtu(ctx, ns, route.dev, false);
    if (stop) return stop;
    next = transmit(ctx, ns, route.dev, route.gateway ?? ctx.pkt.dst);
    if ('verdict' in next) return next;
  }
  ctx.hops.push({ kind: 'drop', at: where(next.ns, next.iface), action: 'TTL exceeded (routing loop)' });
  return finish(ctx, 'dropped', { reason: 'Time to live exceeded' });
}
