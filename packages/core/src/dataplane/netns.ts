// Derive the kernel's view of each network namespace from ClusterState: a node's root netns
// (lo, eth0, docker0, cni0, one veth per pod) and each pod's netns (lo, eth0). Nothing here is
// stored: tables are rebuilt from the node's own agent state when asked and cached by the
// identity of the state slices they read, so an unchanged node costs nothing.

import type { Node, Pod } from '../api/types.js';
import { nodeInternalIP } from '../state/queries.js';
import { broadcastOf, inSubnet, networkOf, parseCIDR, parseIPv4, prefixMask, tryParseIPv4 } from '../net/ipv4.js';
import type { NodeAgentState, PodSandbox, SandboxNetwork } from '../state/node-agent.js';
import type { ClusterConfig, ClusterState, WorkstationRoute } from '../state/types.js';
import { flannelLeases, type Lease } from './leases.js';
import type { Address, FdbEntry, Link, Neighbour, Netns, Route } from './types.js';
import { lookupRoute, routeText } from './route.js';
import { getAgent } from '../state/store.js';

const UP_FLAGS = ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'];
const LOOPBACK_NET = parseIPv4('127.0.0.0');
const LOOPBACK_IP = parseIPv4('127.0.0.1');
const DOCKER0_IP = parseIPv4('172.17.0.1');
/** The gateway Calico's plugin gives every pod. */
export const CALICO_GATEWAY = parseIPv4('169.254.1.1');

function stats(seed: number): Link['stats'] {
  // Stable, plausible counters: traffic is simulated per packet, not accounted per interface.
  return { rxPackets: seed % 5000, rxBytes: (seed % 5000) * 98, txPackets: (seed >>> 8) % 5000, txBytes: ((seed >>> 8) % 5000) * 102 };
}

function loopback(): { link: Link; addr: Address } {
  return {
    link: {
      ifindex: 1,
      name: 'lo',
      kind: 'loopback',
      mac: '00:00:00:00:00:00',
      mtu: 65536,
      flags: ['LOOPBACK', 'UP', 'LOWER_UP'],
      operstate: 'UNKNOWN',
      qdisc: 'noqueue',
      qlen: 1000,
      stats: stats(0),
    },
    addr: { ifindex: 1, ip: LOOPBACK_IP, prefixLen: 8, scope: 'host', label: 'lo' },
  };
}

function localTable(addrs: Address[]): Route[] {
  // The kernel's local table: a `local` route per address, broadcast routes per subnet.
  const routes: Route[] = [];
  for (const a of addrs) {
    const dev = a.label;
    if (a.ip === LOOPBACK_IP) {
      routes.push({ dst: LOOPBACK_NET, prefixLen: 8, dev, proto: 'kernel', scope: 'host', src: a.ip, table: 'local', type: 'local' });
    }
    routes.push({ dst: a.ip, prefixLen: 32, dev, proto: 'kernel', scope: 'host', src: a.ip, table: 'local', type: 'local' });
    if (a.broadcast !== undefined) {
      routes.push({ dst: a.broadcast, prefixLen: 32, dev, proto: 'kernel', scope: 'link', src: a.ip, table: 'local', type: 'broadcast' });
    }
  }
  if (addrs.some((a) => a.ip === LOOPBACK_IP)) {
    routes.push({ dst: parseIPv4('127.255.255.255'), prefixLen: 32, dev: 'lo', proto: 'kernel', scope: 'link', src: LOOPBACK_IP, table: 'local', type: 'broadcast' });
  }
  return routes;
}

function connected(a: Address, dev: string, linkdown = false): Route {
  const r: Route = { dst: networkOf(a.ip, a.prefixLen), prefixLen: a.prefixLen, dev, proto: 'kernel', scope: 'link', src: a.ip, table: 'main', type: 'unicast' };
  if (linkdown) r.linkdown = true;
  return r;
}

function addr(ifindex: number, ip: number, prefixLen: number, label: string): Address {
  const a: Address = { ifindex, ip, prefixLen, scope: 'global', label };
  if (prefixLen < 31) a.broadcast = broadcastOf(ip, prefixLen);
  return a;
}

/** A pod's host-side veth: a port of cni0 (Flannel's bridge plugin), or routed (Calico's). */
function hostVeth(config: ClusterConfig, nw: SandboxNetwork, port?: { master: string; hairpin: boolean }): Link {
  return {
    ifindex: nw.hostIfindex,
    name: nw.hostVeth,
    kind: 'veth',
    mac: nw.hostMac,
    mtu: nw.mtu,
    flags: UP_FLAGS,
    operstate: 'UP',
    qdisc: 'noqueue',
    qlen: 1000,
    ...(port ?? {}),
    peerIfindex: nw.podIfindex,
    // containerd names pod namespaces (cni-<uuid>); under docker they are unnamed and `ip` shows
    // the peer namespace's id instead.
    ...(config.containerRuntime === 'containerd' ? { linkNetns: nw.netns } : { linkNetnsId: nw.netnsId ?? 0 }),
    stats: stats(nw.ip),
  };
}

function sortedSandboxes(agent: NodeAgentState): PodSandbox[] {
  return Object.values(agent.sandboxes)
    .filter((s) => s.network)
    .sort((a, b) => (a.network?.hostIfindex ?? 0) - (b.network?.hostIfindex ?? 0));
}

/** A node's root network namespace. */
export function buildNodeNetns(config: ClusterConfig, node: Node, agent: NodeAgentState, podsByUid: (uid: string) => Pod | undefined, leases: readonly Lease[]): Netns {
  const name = node.metadata.name;
  const seed = config.seed;
  const ip = parseIPv4(nodeInternalIP(node) ?? '0.0.0.0');
  const net = parseCIDR(config.nodeNetwork);
  const lo = loopback();
  const links: Link[] = [lo.link];
  const addresses: Address[] = [lo.addr];
  const routes: Route[] = [];
  const neighbours: Neighbour[] = [];
  const fdb: FdbEntry[] = [];

  links.push({ ifindex: 2, name: 'eth0', kind: 'device', mac: agent.eth0Mac, mtu: 1500, flags: UP_FLAGS, operstate: 'UP', qdisc: 'fq_codel', qlen: 1000, stats: stats(ip) });
  const eth0Addr = addr(2, ip, net.prefixLen, 'eth0');
  addresses.push(eth0Addr);
  routes.push({ dst: 0, prefixLen: 0, gateway: parseIPv4(config.nodeGateway), dev: 'eth0', proto: 'static', table: 'main', type: 'unicast' });

  if (agent.docker0Mac) {
    // dockerd's default bridge: present but unused by CNI pods, so NO-CARRIER and its route linkdown.
    links.push({
      ifindex: 3,
      name: 'docker0',
      kind: 'bridge',
      mac: agent.docker0Mac,
      mtu: 1500,
      flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'],
      operstate: 'DOWN',
      qdisc: 'noqueue',
      qlen: 1000,
      stats: stats(0),
    });
    const d = addr(3, DOCKER0_IP, 16, 'docker0');
    addresses.push(d);
    // dockerd sets the bridge's MAC itself, which makes the kernel record it as a local entry.
    fdb.push({ mac: agent.docker0Mac, dev: 'docker0', master: 'docker0', permanent: true });
    routes.push(connected(d, 'docker0', true));
  }

  const flannel = agent.flannel;
  if (flannel?.vxlan && node.spec.podCIDR) {
    // flannel.1: VXLAN device, address = the subnet's network address /32, no learning;
    // static neighbour + FDB entries per peer lease replace ARP and flooding.
    const vx = flannel.vxlan;
    const sub = parseCIDR(node.spec.podCIDR);
    links.push({
      ifindex: vx.ifindex,
      name: `flannel.${vx.vni}`,
      kind: 'vxlan',
      mac: vx.vtepMac,
      mtu: flannel.mtu,
      flags: UP_FLAGS,
      operstate: 'UNKNOWN',
      qdisc: 'noqueue',
      qlen: 1000,
      vxlan: { id: vx.vni, local: ip, dev: 'eth0', dstport: vx.port, learning: false },
      stats: stats(vx.ifindex * 7919),
    });
    addresses.push({ ifindex: vx.ifindex, ip: networkOf(sub.ip, sub.prefixLen), prefixLen: 32, scope: 'global', label: `flannel.${vx.vni}` });
  }
  for (const lease of leases) {
    if (lease.node === name || !flannel) continue;
    if (flannel.vxlan && lease.backend === 'vxlan' && lease.vtepMac) {
      const dev = `flannel.${flannel.vxlan.vni}`;
      routes.push({ dst: lease.subnet, prefixLen: lease.prefixLen, gateway: lease.subnet, dev, onlink: true, table: 'main', type: 'unicast' });
      neighbours.push({ ip: lease.subnet, dev, lladdr: lease.vtepMac, state: 'PERMANENT' });
      fdb.push({ mac: lease.vtepMac, dev, dst: lease.publicIP, self: true, permanent: true });
    } else if (flannel.backend === 'host-gw' && lease.backend === 'host-gw') {
      // A backend handles only its own type's leases ("Ignoring non-host-gw subnet").
      routes.push({ dst: lease.subnet, prefixLen: lease.prefixLen, gateway: lease.publicIP, dev: 'eth0', table: 'main', type: 'unicast' });
    }
  }

  if (agent.cni0 && node.spec.podCIDR) {
    const sub = parseCIDR(node.spec.podCIDR);
    const gw = (networkOf(sub.ip, sub.prefixLen) + 1) >>> 0;
    links.push({
      ifindex: agent.cni0.ifindex,
      name: 'cni0',
      kind: 'bridge',
      mac: agent.cni0.mac,
      mtu: agent.cni0.mtu,
      flags: UP_FLAGS,
      operstate: 'UP',
      qdisc: 'noqueue',
      qlen: 1000,
      stats: stats(gw),
    });
    const c = addr(agent.cni0.ifindex, gw, sub.prefixLen, 'cni0');
    addresses.push(c);
    routes.push(connected(c, 'cni0'));
    fdb.push({ mac: agent.cni0.mac, dev: 'cni0', master: 'cni0', permanent: true });
    for (const sb of sortedSandboxes(agent)) {
      const nw = sb.network!;
      if (nw.plugin === 'calico') continue;
      links.push(hostVeth(config, nw, { master: 'cni0', hairpin: nw.hairpin }));
      fdb.push({ mac: nw.hostMac, dev: nw.hostVeth, master: 'cni0', permanent: true }, { mac: nw.podMac, dev: nw.hostVeth, master: 'cni0' });
      // The kubelet's probes and the pod's own traffic keep its ARP entry fresh.
      if (podsByUid(sb.podUid)) neighbours.push({ ip: nw.ip, dev: 'cni0', lladdr: nw.podMac, state: 'REACHABLE' });
    }
  }
  for (const sb of sortedSandboxes(agent)) {
    const nw = sb.network!;
    if (nw.plugin !== 'calico') continue;
    // Calico's workload veth: no bridge and no address; a /32 route per pod, and proxy ARP
    // (the CNI plugin sets it) answers the pod's ARP for its gateway 169.254.1.1 with this MAC.
    links.push(hostVeth(config, nw));
    routes.push({ dst: nw.ip, prefixLen: 32, dev: nw.hostVeth, scope: 'link', table: 'main', type: 'unicast' });
    if (podsByUid(sb.podUid)) neighbours.push({ ip: nw.ip, dev: nw.hostVeth, lladdr: nw.podMac, state: 'REACHABLE' });
  }
  // The kernel dumps links in ifindex order; a lab that moved to canal interleaves cali and veth ports.
  links.sort((a, b) => a.ifindex - b.ifindex);
  routes.push(connected(eth0Addr, 'eth0'));
  routes.push(...localTable(addresses));
  // Every multicast-capable link carries the all-hosts groups as static `self` entries.
  for (const l of links) {
    // (a VXLAN device dumps only its own forwarding table)
    if (l.kind === 'loopback' || l.kind === 'vxlan') continue;
    if (l.flags.includes('LOWER_UP')) fdb.push({ mac: '33:33:00:00:00:01', dev: l.name, self: true, permanent: true });
    fdb.push({ mac: '01:00:5e:00:00:01', dev: l.name, self: true, permanent: true });
  }
  neighbours.push({ ip: parseIPv4(config.nodeGateway), dev: 'eth0', lladdr: gatewayMac(seed), state: 'REACHABLE' });
  return { name: 'root', node: name, links, addresses, routes: sortRoutes(routes), neighbours, fdb };
}

export function gatewayMac(seed: number): string {
  void seed;
  return '52:54:00:12:35:02';
}

/** A pod's network namespace (hostNetwork pods have none: they share the node's). */
export function buildPodNetns(config: ClusterConfig, node: Node, pod: Pod, sb: PodSandbox, cni0Mac: string): Netns | undefined {
  const nw = sb.network;
  if (!nw || !node.spec.podCIDR) return undefined;
  const sub = parseCIDR(node.spec.podCIDR);
  const gw = (networkOf(sub.ip, sub.prefixLen) + 1) >>> 0;
  const cluster = parseCIDR(config.podCIDR);
  const lo = loopback();
  const eth0: Link = {
    ifindex: nw.podIfindex,
    name: 'eth0',
    kind: 'veth',
    mac: nw.podMac,
    mtu: nw.mtu,
    flags: UP_FLAGS,
    operstate: 'UP',
    qdisc: 'noqueue',
    qlen: 1000,
    peerIfindex: nw.hostIfindex,
    linkNetnsId: 0,
    stats: stats(nw.ip ^ 0x5a5a),
  };
  const ns = pod.metadata.namespace ?? 'default';
  // The plugin decides the address, routes and gateway neighbour; the rest is the same veth.
  const { a, routes, neighbour } = nw.plugin === 'calico' ? calicoSide(nw) : bridgeSide(nw, sub, gw, cluster, cni0Mac);
  return {
    name: nw.netns,
    node: node.metadata.name,
    pod: `${ns}/${pod.metadata.name}`,
    links: [lo.link, eth0],
    addresses: [lo.addr, a],
    routes: sortRoutes([...routes, ...localTable([lo.addr, a])]),
    neighbours: [neighbour],
    fdb: [],
  };
}

type PodSide = { a: Address; routes: Route[]; neighbour: Neighbour };

/**
 * Calico's plugin: the pod's address as a /32 and everything via the link-local gateway
 * 169.254.1.1, which no host has: the host side's proxy ARP answers for it.
 */
function calicoSide(nw: SandboxNetwork): PodSide {
  return {
    a: addr(nw.podIfindex, nw.ip, 32, 'eth0'),
    routes: [
      { dst: 0, prefixLen: 0, gateway: CALICO_GATEWAY, dev: 'eth0', table: 'main', type: 'unicast' },
      { dst: CALICO_GATEWAY, prefixLen: 32, dev: 'eth0', scope: 'link', table: 'main', type: 'unicast' },
    ],
    neighbour: { ip: CALICO_GATEWAY, dev: 'eth0', lladdr: nw.hostMac, state: 'REACHABLE' },
  };
}

/** The bridge plugin (Flannel's delegate): the node subnet, default via cni0, and the pod network. */
function bridgeSide(nw: SandboxNetwork, sub: { prefixLen: number }, gw: number, cluster: { ip: number; prefixLen: number }, cni0Mac: string): PodSide {
  const a = addr(nw.podIfindex, nw.ip, sub.prefixLen, 'eth0');
  return {
    a,
    routes: [
      // isDefaultGateway → default via cni0; the flannel delegate's route to the whole pod network.
      { dst: 0, prefixLen: 0, gateway: gw, dev: 'eth0', table: 'main', type: 'unicast' },
      { dst: networkOf(cluster.ip, cluster.prefixLen), prefixLen: cluster.prefixLen, gateway: gw, dev: 'eth0', table: 'main', type: 'unicast' },
      connected(a, 'eth0'),
    ],
    neighbour: { ip: gw, dev: 'eth0', lladdr: cni0Mac, state: 'REACHABLE' },
  };
}

/** `ip route` order: the kernel lists the main table by destination (default first). */
function sortRoutes(routes: Route[]): Route[] {
  return [...routes].sort((a, b) => (a.table === b.table ? 0 : a.table === 'main' ? -1 : 1) || a.dst - b.dst || a.prefixLen - b.prefixLen);
}

/**
 * A machine outside the cluster, as `{ external: ADDRESS }` names it. None has netfilter rules.
 *  - The workstation: the node network's gateway (192.168.56.1), the lab host that is also the
 *    router to the simulated internet. One NIC on the node network, its subnet route, and the
 *    routes the student added (`sudo ip route add …`, kept in `workstationRoutes`).
 *  - Another host on the node network: one NIC and its subnet route.
 *  - A client on the simulated internet (any other unicast address): its address alone, and
 *    everything via the lab router's public address (203.0.113.1), which the walker reaches across
 *    the internet and which routes the packet into the lab by the workstation's table, without NAT.
 * A string is why ADDRESS cannot be such a machine (`external: ADDRESS …`).
 */
export function externalNetns(state: ClusterState, address: string): Netns | string {
  const ip = tryParseIPv4(address);
  const cfg = state.config;
  const net = parseCIDR(cfg.nodeNetwork);
  if (ip === undefined) return `external: not an IPv4 address: ${address}`;
  if (!inSubnet(ip, net.ip, net.prefixLen)) return internetClient(state, address, ip);
  if (state.nodeOrder.some((n) => state.nodes[n] && nodeInternalIP(state.nodes[n]!) === address)) return `external: ${address} is a node's address`;
  const network = (ip & prefixMask(net.prefixLen)) >>> 0;
  if (ip === network || (net.prefixLen < 31 && ip === broadcastOf(ip, net.prefixLen)))
    return `external: ${address} is the node network's ${ip === network ? 'network' : 'broadcast'} address, not a host's`;
  const routes: Route[] = [
    { dst: network, prefixLen: net.prefixLen, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip, table: 'main', type: 'unicast' },
    { dst: ip, prefixLen: 32, dev: 'eth0', proto: 'kernel', scope: 'host', src: ip, table: 'local', type: 'local' },
  ];
  if (address === cfg.nodeGateway) for (const r of state.workstationRoutes ?? []) routes.push(workstationRoute(r));
  return outsideHost(address, addr(2, ip, net.prefixLen, 'eth0'), sortRoutes(routes));
}

/** The workstation's network namespace: `external: <the node network's gateway>`. */
export function workstationNetns(state: ClusterState): Netns {
  const ns = externalNetns(state, state.config.nodeGateway);
  if (typeof ns === 'string') throw new Error(`the workstation ${state.config.nodeGateway}: ${ns}`);
  return ns;
}

/** A stored workstation route as the kernel holds it (main table; `proto boot` unless given). */
export function workstationRoute(r: WorkstationRoute): Route {
  const dst = parseCIDR(r.dst);
  const route: Route = { dst: dst.ip, prefixLen: dst.prefixLen, dev: r.dev, table: 'main', type: 'unicast' };
  if (r.via !== undefined) route.gateway = parseIPv4(r.via);
  if (r.proto !== undefined) route.proto = r.proto;
  if (r.src !== undefined) route.src = parseIPv4(r.src);
  if (r.metric) route.metric = r.metric;
  return route;
}

/** lo and eth0 with one address, and the given routes. */
function outsideHost(address: string, eth0: Address, routes: Route[]): Netns {
  return {
    name: 'external',
    node: `external:${address}`,
    links: [
      loopback().link,
      {
        ifindex: 2,
        name: 'eth0',
        kind: 'device',
        mac: '0a:00:27:00:00:00',
        mtu: 1500,
        flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
        operstate: 'UP',
        qdisc: 'fq_codel',
        qlen: 1000,
        stats: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 },
      },
    ],
    addresses: [loopback().addr, eth0],
    routes,
    neighbours: [],
    fdb: [],
  };
}

const NOT_UNICAST: readonly [string, number, number][] = [
  ['"this network"', parseIPv4('0.0.0.0'), 8],
  ['loopback', LOOPBACK_NET, 8],
  ['multicast', parseIPv4('224.0.0.0'), 4],
  ['reserved', parseIPv4('240.0.0.0'), 4],
];

/**
 * A client on the simulated internet. Refused: addresses no sender has (loopback, multicast, …),
 * the cluster's own ranges, the lab router's public address, and addresses the nodes route
 * somewhere other than back to the router (their replies would never reach the client).
 */
function internetClient(state: ClusterState, address: string, ip: number): Netns | string {
  const cfg = state.config;
  const bad = NOT_UNICAST.find(([, n, len]) => inSubnet(ip, n, len));
  if (bad) return `external: ${address} is a ${bad[0]} address, which no host sends from`;
  const pod = parseCIDR(cfg.podCIDR);
  if (inSubnet(ip, pod.ip, pod.prefixLen)) return `external: ${address} is in the pod network ${cfg.podCIDR}: only pods have such addresses (trace from the pod instead)`;
  const svc = parseCIDR(cfg.serviceCIDR);
  if (inSubnet(ip, svc.ip, svc.prefixLen)) return `external: ${address} is in the Service network ${cfg.serviceCIDR}: ClusterIPs are virtual, no machine sends from one`;
  const publicIP = tryParseIPv4(cfg.internet.gatewayPublicIP);
  if (ip === publicIP)
    return `external: ${address} is the lab router's public address: the router is the workstation, external:${cfg.nodeGateway} (a client on the internet has another address)`;
  const first = state.nodeOrder.find((n) => state.nodes[n]);
  const ns = first === undefined ? undefined : nodeNetns(state, first);
  const r = ns && lookupRoute(ns, ip);
  if (ns && r && r.prefixLen > 0)
    return `external: ${address} is routed by node ${ns.node} out of ${r.dev} (${routeText(r)}), not back through the lab router: a client there would never get a reply`;
  const eth0: Address = { ifindex: 2, ip, prefixLen: 32, scope: 'global', label: 'eth0' };
  const routes: Route[] = [
    { dst: 0, prefixLen: 0, gateway: publicIP ?? 0, dev: 'eth0', onlink: true, table: 'main', type: 'unicast' },
    { dst: ip, prefixLen: 32, dev: 'eth0', proto: 'kernel', scope: 'host', src: ip, table: 'local', type: 'local' },
  ];
  return outsideHost(address, eth0, routes);
}

// ---- cached access by state identity ----

const nodeCache = new WeakMap<NodeAgentState, { node: Node; config: ClusterConfig; nodes: ClusterState['nodes']; netns: Netns }>();

export function nodeNetns(state: ClusterState, nodeName: string): Netns | undefined {
  const node = state.nodes[nodeName];
  const agent = getAgent(state, nodeName);
  if (!node || !agent) return undefined;
  const hit = nodeCache.get(agent);
  if (hit && hit.node === node && hit.config === state.config && hit.nodes === state.nodes) return hit.netns;
  const pods = new Map<string, Pod>();
  for (const sb of Object.values(agent.sandboxes)) {
    const [ns = '', name = ''] = sb.pod.split('/');
    const p = state.pods[ns]?.[name];
    if (p) pods.set(sb.podUid, p);
  }
  const netns = buildNodeNetns(state.config, node, agent, (uid) => pods.get(uid), flannelLeases(state));
  nodeCache.set(agent, { node, config: state.config, nodes: state.nodes, netns });
  return netns;
}

const podCache = new WeakMap<PodSandbox, { pod: Pod; node: Node; netns: Netns | undefined }>();

export function podNetns(state: ClusterState, namespace: string, name: string): Netns | undefined {
  const pod = state.pods[namespace]?.[name];
  if (!pod?.spec.nodeName) return undefined;
  const node = state.nodes[pod.spec.nodeName];
  const agent = getAgent(state, pod.spec.nodeName);
  const sb = agent?.sandboxes[pod.metadata.uid];
  if (!node || !sb || !agent) return undefined;
  const hit = podCache.get(sb);
  if (hit && hit.pod === pod && hit.node === node) return hit.netns;
  const netns = buildPodNetns(state.config, node, pod, sb, agent.cni0?.mac ?? '');
  podCache.set(sb, { pod, node, netns });
  return netns;
}
