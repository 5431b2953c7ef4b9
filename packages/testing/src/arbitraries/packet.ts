// fast-check arbitrary of packets to trace on a given cluster: from its pods, its nodes and the
// lab host, to the addresses the cluster serves (pod IPs, ClusterIPs, NodePorts, load-balancer
// and external IPs) on open, closed and random ports. Test-only (imports fast-check).

import fc from 'fast-check';
import type { Cluster, Proto, TraceRequest } from '@k8s-netsim/core';
import { withToString } from './manifests.js';

/**
 * Where a packet starts: a pod with an IP, a node, the lab host on the node network, or (only when
 * asked for) a client on the internet, which comes in through the lab router.
 */
export type PacketSource = 'pod' | 'node' | 'external' | 'internet';

/** The internet clients `internet` draws from: documentation addresses and a well-known resolver. */
const INTERNET_CLIENTS = ['203.0.113.2', '198.51.100.7', '8.8.8.8'] as const;

/**
 * What a packet aims at: a pod IP, a Service's ClusterIP, a NodePort on a node's IP, a
 * load-balancer IP, an externalIP, or `other` (an address nothing in particular owns: a free
 * pod-network, service-network or node-network address, or a host on the simulated internet).
 */
export type PacketTarget = 'pod' | 'clusterIP' | 'nodePort' | 'loadBalancer' | 'externalIP' | 'other';

export interface PacketArbOptions {
  /** Protocols to draw from (default tcp, udp, icmp; sctp when named; icmp requests carry no port). */
  proto?: readonly Proto[];
  /** Sources to draw from (default pod, node and external; `internet` when named). */
  from?: readonly PacketSource[];
  /**
   * Targets to draw from (default all). Kinds the cluster has nothing of (no LoadBalancer IP, …)
   * are left out; when none of the chosen kinds exists, packets go to `other` addresses.
   */
  to?: readonly PacketTarget[];
}

type L4 = 'TCP' | 'UDP' | 'SCTP';

interface Target {
  ip: string;
  /** Ports something answers on (or that a Service rule catches). */
  open: { port: number; protocol: L4 }[];
}

/** What the well-known images bind without declaring it (the simulator's catalogue, for the images arbManifests uses). */
const IMAGE_PORTS: [RegExp, { port: number; protocol: L4 }[]][] = [
  [/(^|\/)(nginx|httpd)(:|@|$)/, [{ port: 80, protocol: 'TCP' }]],
  [/(^|\/)kubeserve2?(:|@|$)/, [{ port: 8080, protocol: 'TCP' }]],
];

const SOURCE_WEIGHTS: Record<PacketSource, number> = { pod: 3, node: 2, external: 2, internet: 2 };
const TARGET_WEIGHTS: Record<PacketTarget, number> = { pod: 3, clusterIP: 3, nodePort: 2, loadBalancer: 2, externalIP: 1, other: 1 };
const PROTO_WEIGHTS: Record<Proto, number> = { tcp: 4, udp: 2, icmp: 1, sctp: 1 };

function addPorts(map: Map<string, Target>, ip: string, ports: readonly { port: number; protocol: L4 }[]): void {
  let t = map.get(ip);
  if (!t) map.set(ip, (t = { ip, open: [] }));
  for (const p of ports) if (!t.open.some((q) => q.port === p.port && q.protocol === p.protocol)) t.open.push({ port: p.port, protocol: p.protocol });
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** A few addresses in a CIDR (first usable ones and some further in) that nothing may own. */
function cidrSamples(cidr: string, offsets: readonly number[]): string[] {
  const [base = '0.0.0.0', len = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  const net = ipToInt(base) - (ipToInt(base) % size);
  return offsets.filter((o) => o > 0 && o < size - 1).map((o) => intToIp(net + o));
}

/** Everything a packet can aim at in this cluster, by kind (Maps keyed by IP, so ports merge). */
function collectTargets(cluster: Cluster): Record<PacketTarget, Target[]> {
  const state = cluster.state;
  const pods = new Map<string, Target>();
  const clusterIPs = new Map<string, Target>();
  const nodePorts = new Map<string, Target>();
  const lbs = new Map<string, Target>();
  const externals = new Map<string, Target>();

  for (const p of cluster.pods()) {
    if (!p.ip) continue;
    const pod = state.pods[p.namespace]?.[p.name];
    const ports: { port: number; protocol: L4 }[] = [];
    for (const c of pod?.spec.containers ?? []) {
      for (const cp of c.ports ?? []) ports.push({ port: cp.containerPort, protocol: cp.protocol });
      for (const [re, listens] of IMAGE_PORTS) if (re.test(c.image)) ports.push(...listens);
    }
    addPorts(pods, p.ip, ports);
  }
  const nodeIPs = state.nodeOrder.flatMap((n) => cluster.node(n).internalIP ?? []);
  for (const ns of Object.keys(state.services).sort()) {
    for (const name of Object.keys(state.services[ns]!).sort()) {
      const svc = cluster.service(`${ns}/${name}`);
      const ports = svc.ports.map((p) => ({ port: p.port, protocol: p.protocol }));
      for (const ip of svc.clusterIPs) addPorts(clusterIPs, ip, ports);
      for (const ip of svc.loadBalancerIPs) addPorts(lbs, ip, ports);
      for (const ip of svc.externalIPs) addPorts(externals, ip, ports);
      const nps = svc.ports.flatMap((p) => (p.nodePort ? [{ port: p.nodePort, protocol: p.protocol }] : []));
      const hc = state.services[ns]![name]!.spec.healthCheckNodePort;
      if (hc) nps.push({ port: hc, protocol: 'TCP' });
      if (nps.length) for (const ip of nodeIPs) addPorts(nodePorts, ip, nps);
      // Endpoints tell which pod ports a Service sends to (named targetPorts resolved).
      for (const ep of svc.endpoints) if (pods.has(ep.ip)) addPorts(pods, ep.ip, [{ port: ep.port, protocol: ep.protocol }]);
    }
  }
  const cfg = state.config;
  const other = new Map<string, Target>();
  const used = new Set([...pods.keys(), ...clusterIPs.keys(), ...lbs.keys(), ...externals.keys(), ...nodeIPs]);
  for (const ip of [
    ...cidrSamples(cfg.podCIDR, [2, 200, 257, 65_000]),
    ...cidrSamples(cfg.serviceCIDR, [2, 77, 4_000, 300_000]),
    ...cidrSamples(cfg.nodeNetwork, [5, 9, 99, 200]),
  ]) {
    if (!used.has(ip)) addPorts(other, ip, []);
  }
  for (const h of cfg.internet.hosts) addPorts(other, h.ip, h.listens);
  const list = (m: Map<string, Target>) => [...m.values()];
  return { pod: list(pods), clusterIP: list(clusterIPs), nodePort: list(nodePorts), loadBalancer: list(lbs), externalIP: list(externals), other: list(other) };
}

function weighted<T extends string>(values: readonly T[], weights: Record<T, number>): fc.Arbitrary<T> {
  return fc.oneof({ withCrossShrink: true }, ...values.map((v) => ({ weight: weights[v], arbitrary: fc.constant(v) })));
}

/** What `netsim trace` would be run with for this request. */
export function traceCommand(req: TraceRequest): string {
  const from = 'pod' in req.from ? req.from.pod : 'node' in req.from ? req.from.node : `external:${req.from.external}`;
  const to = req.to.port !== undefined ? `${req.to.ip}:${req.to.port}` : req.to.ip;
  return `netsim trace --from ${from} --to ${to} --proto ${req.proto ?? 'tcp'}`;
}

/**
 * Trace requests on `cluster`: from pods that have an IP (`{ pod: 'ns/name' }`), nodes, and the
 * lab host on the node network (`{ external: nodeGateway }`, 192.168.56.1 in the lab), and with
 * `from: ['internet']` clients on the internet (203.0.113.2, 198.51.100.7, 8.8.8.8); to pod
 * IPs, ClusterIPs, NodePorts on every node's IP, load-balancer IPs and externalIPs — mostly on
 * an open port (a Service port, a declared or well-known container port) with its protocol,
 * sometimes on a closed port or a random one (1-65535), or with another protocol; ICMP requests
 * carry no port. About one packet in twelve goes to an address nothing owns.
 *
 * Targets are read from the cluster when the arbitrary is built. Requests print as the
 * equivalent `netsim trace` command line.
 */
export function arbPacket(cluster: Cluster, opts: PacketArbOptions = {}): fc.Arbitrary<TraceRequest> {
  const protos = opts.proto ?? ['tcp', 'udp', 'icmp'];
  if (protos.length === 0) throw new Error('arbPacket: proto must name at least one protocol');
  const targets = collectTargets(cluster);
  const podSources = cluster.pods().flatMap((p) => (p.ip && p.node ? [`${p.namespace}/${p.name}`] : []));
  const nodes = [...cluster.state.nodeOrder];
  const external = cluster.state.config.nodeGateway;

  let fromKinds = (opts.from ?? ['pod', 'node', 'external']).filter((k) => k !== 'pod' || podSources.length > 0);
  if (fromKinds.length === 0) fromKinds = ['node'];
  let toKinds = (opts.to ?? ['pod', 'clusterIP', 'nodePort', 'loadBalancer', 'externalIP', 'other']).filter((k) => targets[k].length > 0);
  if (toKinds.length === 0) toKinds = ['other'];

  return fc
    .record({
      fromKind: weighted(fromKinds, SOURCE_WEIGHTS),
      fromIndex: fc.nat(),
      toKind: weighted(toKinds, TARGET_WEIGHTS),
      toIndex: fc.nat(),
      portChoice: fc.oneof(
        { withCrossShrink: true },
        { weight: 6, arbitrary: fc.constant('open' as const) },
        { weight: 2, arbitrary: fc.constant('closed' as const) },
        { weight: 1, arbitrary: fc.constant('random' as const) },
      ),
      portIndex: fc.nat(),
      randomPort: fc.integer({ min: 1, max: 65535 }),
      followProto: fc.oneof({ withCrossShrink: true }, { weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      proto: weighted(protos, PROTO_WEIGHTS),
    })
    .map((r): TraceRequest => {
      const from: TraceRequest['from'] =
        r.fromKind === 'pod'
          ? { pod: podSources[r.fromIndex % podSources.length]! }
          : r.fromKind === 'node'
            ? { node: nodes[r.fromIndex % nodes.length]! }
            : r.fromKind === 'internet'
              ? { external: INTERNET_CLIENTS[r.fromIndex % INTERNET_CLIENTS.length]! }
              : { external };
      const list = targets[r.toKind];
      const target = list[r.toIndex % list.length]!;
      let proto: Proto = r.proto;
      let port: number;
      const open = target.open[r.portIndex % Math.max(1, target.open.length)];
      if (r.portChoice === 'open' && open) {
        port = open.port;
        const own = open.protocol.toLowerCase() as Proto;
        if (r.followProto && protos.includes(own)) proto = own;
      } else if (r.portChoice === 'random' || target.open.length === 0) {
        port = r.randomPort;
      } else {
        // Closed: the first port from randomPort on that nothing listens on, for any protocol.
        port = r.randomPort;
        while (target.open.some((p) => p.port === port)) port = (port % 65535) + 1;
      }
      const req: TraceRequest = { from, to: proto === 'icmp' ? { ip: target.ip } : { ip: target.ip, port }, proto };
      return withToString(req, () => traceCommand(req));
    });
}
