// A compiled fast path for the common packets of a healthy Flannel (VXLAN) + kube-proxy
// (iptables) cluster: the reference walker (walker.ts) follows every hop and rule; this answers
// the same question — where does the packet end up, and from whom does the receiver think it
// came — from an index built once per state.
//
// Design (hot path = `FastPath.resolve`):
//  - Everything is a number. Pods, nodes and service ports are dense indices; their data lives
//    in typed arrays (Uint32Array for addresses, Int32Array for indices, Float64Array for the
//    cumulative endpoint shares). Lookups are `Map<number, number>` / `Set<number>` keyed by
//    numbers built arithmetically: `(vip * 65536 + port) * 2 + proto` for a service VIP,
//    `port * 2 + proto` for a NodePort, `pod * 131072 + port * 2 + proto` for a listener.
//  - `resolve` writes into a caller-owned, preallocated `ResolveOut` and returns a verdict code:
//    no objects, strings, closures or arrays are created per call.
//  - Endpoint choice: kube-proxy's `-m statistic` chain (endpoint i of n matches with the
//    probability it writes, 1/(n−i) rounded to 10 decimals) is folded into cumulative
//    thresholds, so `choice` in [0,1) picks endpoint i with exactly the probability traceAll
//    gives that branch.
//  - Anything outside the modelled cases returns VERDICT_UNSUPPORTED, never a guess. The whole
//    index is unsupported unless every node is "standard" (see `nodeIsStandard`).
//
// The index is cached in a WeakMap keyed by `state.nodeAgents`, validated against the identities
// of the other slices it reads (config, nodes, pods, services, endpointSlices).

import { proxyServicePorts } from '../controllers/kube-proxy/input.js';
import { endpointProbability } from '../controllers/kube-proxy/rules.js';
import type { ProxyServicePort } from '../controllers/kube-proxy/types.js';
import { nodeInternalIP } from '../controllers/kubelet.js';
import { flannelLeases } from '../dataplane/leases.js';
import { broadcastOf, inSubnet, networkOf, parseCIDR, prefixMask, tryParseIPv4 } from '../net/ipv4.js';
import type { ClusterState } from '../state/types.js';
import { topology } from './topology.js';

export const VERDICT_DELIVERED = 0;
export const VERDICT_DROPPED = 1;
export const VERDICT_REJECTED = 2;
/** The fast path does not model this packet: ask the walker. */
export const VERDICT_UNSUPPORTED = 3;

export const REASON_NONE = 0;
/** TCP: RST or ICMP port unreachable ("Connection refused"). */
export const REASON_CONNECTION_REFUSED = 1;
/** UDP: ICMP port unreachable. */
export const REASON_PORT_UNREACHABLE = 2;

export const PROTO_TCP = 0;
export const PROTO_UDP = 1;
export const PROTO_ICMP = 2;

/** What `resolve` fills in (allocate once with `new ResolveOut()`, reuse for every call). */
export class ResolveOut {
  verdict = VERDICT_UNSUPPORTED;
  /** For rejected: REASON_CONNECTION_REFUSED (tcp) or REASON_PORT_UNREACHABLE (udp). */
  reason = REASON_NONE;
  /** Final destination (after DNAT), uint32. */
  dstIP = 0;
  dport = 0;
  /** Receiving pod index (`FastPath.podKey(i)`), or -1. */
  pod = -1;
  /** Receiving node index (`FastPath.nodeName(i)`), or -1. */
  node = -1;
  /** The source address as the receiver sees it (after any masquerade), uint32. */
  srcIP = 0;
  /** 1 when the packet crossed the VXLAN overlay. */
  encap = 0;
  /** Index of the service port that DNATed it (`FastPath.servicePort(i)`), or -1. */
  servicePort = -1;
}

export type SourceSpec = { pod: string } | { node: string } | { external: string };

export interface FastPath {
  /** False when the cluster is not one the fast path models: every resolve is unsupported. */
  readonly supported: boolean;
  /** Numeric source id for resolve, or -1 (unknown or unmodelled source, e.g. a hostNetwork pod). */
  sourceOf(spec: SourceSpec): number;
  resolve(src: number, dstIP: number, dport: number, proto: number, choice: number, out: ResolveOut): number;
  podKey(i: number): string;
  nodeName(i: number): string;
  servicePort(i: number): ProxyServicePort;
}

// ---------------------------------------------------------------------------------------------

/** Marks a VIP/NodePort key that two service ports claim, or a port we do not model. */
const SP_UNSUPPORTED = -2;

interface Index {
  ok: boolean;
  podKeys: string[];
  podIndexByKey: Map<string, number>;
  podIP: Uint32Array;
  podNode: Int32Array;
  podByIP: Map<number, number>;
  /** pod * 131072 + port * 2 + proto */
  listeners: Set<number>;
  nodeNames: string[];
  nodeIndexByName: Map<string, number>;
  nodeIP: Uint32Array;
  nodeCni0: Uint32Array;
  nodeFlannel: Uint32Array;
  /** node subnet network address → node */
  nodeBySubnet: Map<number, number>;
  nodeByIP: Map<number, number>;
  subnetPrefix: number;
  podNet: number;
  podPrefix: number;
  svcNet: number;
  svcPrefix: number;
  nodeNet: number;
  nodePrefix: number;
  /** Addresses that some Service claims as externalIP / LB IP: not modelled. */
  foreignVIPs: Set<number>;
  ports: ProxyServicePort[];
  /** (vip * 65536 + port) * 2 + proto → service port (or SP_UNSUPPORTED) */
  vipMap: Map<number, number>;
  /** nodePort * 2 + proto → service port (or SP_UNSUPPORTED) */
  nodePortMap: Map<number, number>;
  spSupported: Uint8Array;
  spEtpLocal: Uint8Array;
  /** Cluster endpoint list of each port: [start, count) in the ep* arrays. */
  spStart: Int32Array;
  spCount: Int32Array;
  /** Local endpoint list per (port, node): index sp * nodeCount + node. */
  localStart: Int32Array;
  localCount: Int32Array;
  epPod: Int32Array;
  epPort: Int32Array;
  /** Cumulative probability up to and including this endpoint within its list. */
  epCum: Float64Array;
  externals: number[];
}

interface NormEp {
  ip: number;
  port: number;
  key: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName: string | undefined;
}

/** kube-proxy's endpoint normalisation (rules.ts normalizedEndpoints): dedupe by "ip:port", keep non-terminating, sort by that string. */
function normalized(sp: ProxyServicePort): NormEp[] {
  const byKey = new Map<string, NormEp>();
  for (const e of sp.endpoints) {
    const ip = tryParseIPv4(e.ip);
    if (ip === undefined || !(e.port > 0)) continue;
    const key = `${e.ip}:${e.port}`;
    if (!byKey.has(key) || !e.terminating) byKey.set(key, { ip, port: e.port, key, ready: e.ready, serving: e.serving, terminating: e.terminating, nodeName: e.nodeName });
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Ready endpoints, else the serving+terminating ones (CategorizeEndpoints). */
function counting(eps: NormEp[]): NormEp[] {
  const ready = eps.filter((e) => e.ready);
  return ready.length > 0 ? ready : eps.filter((e) => e.serving && e.terminating);
}

function kubeProxyRuns(state: ClusterState, nodeName: string): boolean {
  const agent = state.nodeAgents[nodeName];
  return Object.values(agent?.sandboxes ?? {}).some((sb) => sb.containers.some((c) => c.container === 'kube-proxy'));
}

function build(state: ClusterState): Index {
  const cfg = state.config;
  const podNet = parseCIDR(cfg.podCIDR);
  const svcNet = parseCIDR(cfg.serviceCIDR);
  const nodeNetC = parseCIDR(cfg.nodeNetwork);
  let ok = true;

  // Nodes: every node must be standard (flannel VXLAN with ip-masq, kube-proxy running, a lease).
  const leases = new Map(flannelLeases(state).map((l) => [l.node, l]));
  const nodeNames = state.nodeOrder.filter((n) => state.nodes[n]);
  const nN = nodeNames.length;
  const nodeIP = new Uint32Array(nN);
  const nodeCni0 = new Uint32Array(nN);
  const nodeFlannel = new Uint32Array(nN);
  const nodeBySubnet = new Map<number, number>();
  const nodeByIP = new Map<number, number>();
  const nodeIndexByName = new Map<string, number>();
  const subnetPrefix = cfg.nodeCIDRMaskSize;
  nodeNames.forEach((name, i) => {
    nodeIndexByName.set(name, i);
    const node = state.nodes[name]!;
    const agent = state.nodeAgents[name];
    const ip = tryParseIPv4(nodeInternalIP(node) ?? '');
    const sub = node.spec.podCIDR ? parseCIDR(node.spec.podCIDR) : undefined;
    const fl = agent?.flannel;
    const lease = leases.get(name);
    const flNet = fl ? parseCIDR(fl.network) : undefined;
    if (
      ip === undefined ||
      !sub ||
      sub.prefixLen !== subnetPrefix ||
      !agent ||
      !fl?.vxlan ||
      fl.backend !== 'vxlan' ||
      !fl.ipMasq ||
      !flNet ||
      flNet.prefixLen !== podNet.prefixLen ||
      networkOf(flNet.ip, flNet.prefixLen) !== networkOf(podNet.ip, podNet.prefixLen) ||
      !lease ||
      lease.backend !== 'vxlan' ||
      !lease.vtepMac ||
      lease.publicIP !== ip ||
      !kubeProxyRuns(state, name) ||
      !inSubnet(ip, nodeNetC.ip, nodeNetC.prefixLen) ||
      nodeByIP.has(ip)
    ) {
      ok = false;
      return;
    }
    const net = networkOf(sub.ip, sub.prefixLen);
    nodeIP[i] = ip;
    nodeFlannel[i] = net;
    nodeCni0[i] = (net + 1) >>> 0;
    nodeByIP.set(ip, i);
    nodeBySubnet.set(net, i);
  });

  // Pods with their own network namespace.
  const podKeys: string[] = [];
  const podIndexByKey = new Map<string, number>();
  const podIPs: number[] = [];
  const podNodes: number[] = [];
  const podByIP = new Map<number, number>();
  for (const name of nodeNames) {
    const agent = state.nodeAgents[name];
    if (!agent) continue;
    for (const sb of Object.values(agent.sandboxes)) {
      if (!sb.network) continue;
      const [ns = '', pn = ''] = sb.pod.split('/');
      const pod = state.pods[ns]?.[pn];
      if (!pod) continue;
      if (pod.spec.nodeName !== name || pod.metadata.uid !== sb.podUid || !agent.cni0 || podByIP.has(sb.network.ip) || podIndexByKey.has(sb.pod)) {
        ok = false;
        continue;
      }
      const i = podKeys.length;
      podKeys.push(sb.pod);
      podIndexByKey.set(sb.pod, i);
      podIPs.push(sb.network.ip);
      podNodes.push(nodeIndexByName.get(name)!);
      podByIP.set(sb.network.ip, i);
    }
  }
  const listeners = new Set<number>();
  const topo = topology(state);
  podKeys.forEach((key, i) => {
    for (const l of topo.podListeners.get(key) ?? []) {
      if (l.address !== undefined) continue; // bound to one address: not modelled (never for pods today)
      if (l.protocol === 'TCP') listeners.add(i * 131072 + l.port * 2 + PROTO_TCP);
      else if (l.protocol === 'UDP') listeners.add(i * 131072 + l.port * 2 + PROTO_UDP);
    }
  });

  // Service ports.
  const ports = proxyServicePorts(state);
  const nSP = ports.length;
  const vipMap = new Map<number, number>();
  const nodePortMap = new Map<number, number>();
  const foreignVIPs = new Set<number>();
  const spSupported = new Uint8Array(nSP);
  const spEtpLocal = new Uint8Array(nSP);
  const spStart = new Int32Array(nSP);
  const spCount = new Int32Array(nSP);
  const localStart = new Int32Array(nSP * nN);
  const localCount = new Int32Array(nSP * nN);
  const epPod: number[] = [];
  const epPort: number[] = [];
  const epCum: number[] = [];
  const claim = (map: Map<number, number>, key: number, sp: number) => map.set(key, map.has(key) ? SP_UNSUPPORTED : sp);
  const addList = (list: NormEp[]): number => {
    const start = epPod.length;
    const n = list.length;
    let rest = 1;
    let cum = 0;
    list.forEach((e, i) => {
      // Endpoint i matches with p = 1/(n−i) as kube-proxy writes it; the last one always.
      const p = i < n - 1 ? endpointProbability(n - i) : 1;
      cum += rest * p;
      rest *= 1 - p;
      epPod.push(podByIP.get(e.ip) ?? -1);
      epPort.push(e.port);
      epCum.push(i < n - 1 ? cum : Infinity);
    });
    return start;
  };
  ports.forEach((sp, s) => {
    for (const ip of [...sp.externalIPs, ...sp.loadBalancerIPs]) {
      const n = tryParseIPv4(ip.trim());
      if (n !== undefined) foreignVIPs.add(n);
    }
    const vip = sp.clusterIP === undefined ? undefined : tryParseIPv4(sp.clusterIP);
    const proto = sp.protocol === 'TCP' ? PROTO_TCP : sp.protocol === 'UDP' ? PROTO_UDP : -1;
    if (vip === undefined || proto < 0) return;
    const eps = normalized(sp);
    const etpLocal = sp.externalTrafficPolicy === 'Local' && (!!sp.nodePort || sp.loadBalancerIPs.length > 0 || sp.externalIPs.length > 0);
    // Modelled: ITP Cluster, no session affinity, every endpoint a known pod whose node matches.
    let supported = sp.internalTrafficPolicy === 'Cluster' && !sp.sessionAffinity;
    for (const e of eps) {
      const p = podByIP.get(e.ip);
      if (p === undefined || nodeNames[podNodes[p]!] !== e.nodeName) supported = false;
    }
    spSupported[s] = supported ? 1 : 0;
    spEtpLocal[s] = etpLocal ? 1 : 0;
    claim(vipMap, (vip * 65536 + sp.port) * 2 + proto, supported ? s : SP_UNSUPPORTED);
    if (sp.nodePort) claim(nodePortMap, sp.nodePort * 2 + proto, supported ? s : SP_UNSUPPORTED);
    if (!supported) return;
    const cluster = counting(eps);
    spStart[s] = addList(cluster);
    spCount[s] = cluster.length;
    if (etpLocal) {
      for (let n = 0; n < nN; n++) {
        const local = counting(eps.filter((e) => e.nodeName === nodeNames[n]));
        localStart[s * nN + n] = addList(local);
        localCount[s * nN + n] = local.length;
      }
    }
  });

  return {
    ok,
    podKeys,
    podIndexByKey,
    podIP: Uint32Array.from(podIPs),
    podNode: Int32Array.from(podNodes),
    podByIP,
    listeners,
    nodeNames,
    nodeIndexByName,
    nodeIP,
    nodeCni0,
    nodeFlannel,
    nodeBySubnet,
    nodeByIP,
    subnetPrefix,
    podNet: networkOf(podNet.ip, podNet.prefixLen),
    podPrefix: podNet.prefixLen,
    svcNet: networkOf(svcNet.ip, svcNet.prefixLen),
    svcPrefix: svcNet.prefixLen,
    nodeNet: networkOf(nodeNetC.ip, nodeNetC.prefixLen),
    nodePrefix: nodeNetC.prefixLen,
    foreignVIPs,
    ports,
    vipMap,
    nodePortMap,
    spSupported,
    spEtpLocal,
    spStart,
    spCount,
    localStart,
    localCount,
    epPod: Int32Array.from(epPod),
    epPort: Int32Array.from(epPort),
    epCum: Float64Array.from(epCum),
    externals: [],
  };
}

// ---------------------------------------------------------------------------------------------
// The hot path

class CompiledFastPath implements FastPath {
  readonly supported: boolean;
  private readonly podMask: number;
  private readonly subnetMask: number;
  private readonly svcMask: number;
  private readonly nPods: number;
  private readonly nNodes: number;

  constructor(private readonly x: Index) {
    this.supported = x.ok;
    this.podMask = prefixMask(x.podPrefix);
    this.subnetMask = prefixMask(x.subnetPrefix);
    this.svcMask = prefixMask(x.svcPrefix);
    this.nPods = x.podKeys.length;
    this.nNodes = x.nodeNames.length;
  }

  sourceOf(spec: SourceSpec): number {
    const x = this.x;
    if ('pod' in spec) {
      const key = spec.pod.includes('/') ? spec.pod : `default/${spec.pod}`;
      return x.podIndexByKey.get(key) ?? -1;
    }
    if ('node' in spec) {
      const n = x.nodeIndexByName.get(spec.node);
      return n === undefined ? -1 : this.nPods + n;
    }
    const ip = tryParseIPv4(spec.external);
    if (ip === undefined || !inSubnet(ip, x.nodeNet, x.nodePrefix) || x.nodeByIP.has(ip)) return -1;
    let k = x.externals.indexOf(ip);
    if (k < 0) k = x.externals.push(ip) - 1;
    return this.nPods + this.nNodes + k;
  }

  podKey(i: number): string {
    return this.x.podKeys[i]!;
  }

  nodeName(i: number): string {
    return this.x.nodeNames[i]!;
  }

  servicePort(i: number): ProxyServicePort {
    return this.x.ports[i]!;
  }

  resolve(src: number, dstIP: number, dport: number, proto: number, choice: number, out: ResolveOut): number {
    const x = this.x;
    out.verdict = VERDICT_UNSUPPORTED;
    out.reason = REASON_NONE;
    out.dstIP = 0;
    out.dport = 0;
    out.pod = -1;
    out.node = -1;
    out.srcIP = 0;
    out.encap = 0;
    out.servicePort = -1;
    if (!x.ok || src < 0 || !(proto === PROTO_TCP || proto === PROTO_UDP || proto === PROTO_ICMP)) return VERDICT_UNSUPPORTED;
    if (proto !== PROTO_ICMP && !(dport >= 1 && dport <= 65535)) return VERDICT_UNSUPPORTED;
    dstIP = dstIP >>> 0;
    if (x.foreignVIPs.has(dstIP)) return VERDICT_UNSUPPORTED;
    const nPods = this.nPods;
    const nNodes = this.nNodes;
    const inPodNet = ((dstIP ^ x.podNet) & this.podMask) === 0;
    if (src < nPods) {
      const srcIP = x.podIP[src]!;
      const srcNode = x.podNode[src]!;
      if (inPodNet) return this.toPodIP(src, -1, srcIP, srcNode, dstIP, dport, proto, out);
      if (((dstIP ^ x.svcNet) & this.svcMask) === 0) return this.toClusterIP(src, srcIP, srcNode, dstIP, dport, proto, choice, out);
      return VERDICT_UNSUPPORTED;
    }
    if (src < nPods + nNodes) {
      const node = src - nPods;
      const srcIP = x.nodeIP[node]!;
      if (inPodNet) return this.toPodIP(-1, node, srcIP, node, dstIP, dport, proto, out);
      if (((dstIP ^ x.svcNet) & this.svcMask) === 0) return this.toClusterIP(-1, srcIP, node, dstIP, dport, proto, choice, out);
      return this.toNodePort(node, srcIP, dstIP, dport, proto, choice, out);
    }
    const k = src - nPods - nNodes;
    if (k >= x.externals.length) return VERDICT_UNSUPPORTED;
    return this.toNodePort(-1, x.externals[k]!, dstIP, dport, proto, choice, out);
  }

  /** To a pod address: `srcPod` ≥ 0 for a pod sender, else `srcNodeOnly` is the sending node. */
  private toPodIP(srcPod: number, srcNodeOnly: number, srcIP: number, srcNode: number, dstIP: number, dport: number, proto: number, out: ResolveOut): number {
    const x = this.x;
    const p = x.podByIP.get(dstIP);
    if (p === undefined) {
      const sub = (dstIP & this.subnetMask) >>> 0;
      if (x.nodeBySubnet.has(sub)) {
        // A node's own addresses in its subnet (flannel.1 = .0, cni0 = .1, broadcast): not modelled.
        if (dstIP === sub || dstIP === sub + 1 || dstIP === broadcastOf(sub, x.subnetPrefix)) return VERDICT_UNSUPPORTED;
      }
      // Nobody answers ARP for it, or no route leads to that subnet.
      out.verdict = VERDICT_DROPPED;
      return VERDICT_DROPPED;
    }
    const dstNode = x.podNode[p]!;
    let seen = srcIP;
    // The node's own traffic leaves from the address of the egress device.
    if (srcPod < 0) seen = dstNode === srcNodeOnly ? x.nodeCni0[srcNodeOnly]! : x.nodeFlannel[srcNodeOnly]!;
    return this.deliver(p, dstIP, dport, proto, seen, dstNode !== srcNode ? 1 : 0, -1, out);
  }

  private toClusterIP(srcPod: number, srcIP: number, srcNode: number, dstIP: number, dport: number, proto: number, choice: number, out: ResolveOut): number {
    const x = this.x;
    if (proto === PROTO_ICMP) {
      // No rule matches ICMP to a ClusterIP and no interface has it: the gateway drops it.
      out.verdict = VERDICT_DROPPED;
      return VERDICT_DROPPED;
    }
    const s = x.vipMap.get((dstIP * 65536 + dport) * 2 + proto);
    if (s === undefined) {
      out.verdict = VERDICT_DROPPED;
      return VERDICT_DROPPED;
    }
    if (s < 0) return VERDICT_UNSUPPORTED;
    out.servicePort = s;
    const n = x.spCount[s]!;
    if (n === 0) return this.reject(proto, out);
    const e = pick(x.epCum, x.spStart[s]!, n, choice);
    const p = x.epPod[e]!;
    const epNode = x.podNode[p]!;
    // KUBE-MARK-MASQ: sources outside the cluster CIDR (the node), and hairpin (the pod itself).
    const masq = srcPod < 0 || srcPod === p;
    const seen = masq ? (epNode === srcNode ? x.nodeCni0[srcNode]! : x.nodeFlannel[srcNode]!) : srcIP;
    return this.deliver(p, x.podIP[p]!, x.epPort[e]!, proto, seen, epNode !== srcNode ? 1 : 0, s, out);
  }

  /** To a node address (NodePort), from a node (`srcNode` ≥ 0) or an external host (-1). */
  private toNodePort(srcNode: number, srcIP: number, dstIP: number, dport: number, proto: number, choice: number, out: ResolveOut): number {
    const x = this.x;
    const m = x.nodeByIP.get(dstIP);
    if (m === undefined || proto === PROTO_ICMP) return VERDICT_UNSUPPORTED;
    const s = x.nodePortMap.get(dport * 2 + proto);
    if (s === undefined || s < 0) return VERDICT_UNSUPPORTED;
    out.servicePort = s;
    const n = x.spCount[s]!;
    if (n === 0) return this.reject(proto, out);
    if (x.spEtpLocal[s] === 1 && srcNode !== m) {
      // ETP Local, traffic from off the node: local endpoints only, client IP preserved.
      const li = s * this.nNodes + m;
      const ln = x.localCount[li]!;
      if (ln === 0) {
        out.verdict = VERDICT_DROPPED;
        return VERDICT_DROPPED;
      }
      const e = pick(x.epCum, x.localStart[li]!, ln, choice);
      const p = x.epPod[e]!;
      return this.deliver(p, x.podIP[p]!, x.epPort[e]!, proto, srcIP, 0, s, out);
    }
    // ETP Cluster (or the node's own traffic): any endpoint, SNAT to the node the packet entered.
    const e = pick(x.epCum, x.spStart[s]!, n, choice);
    const p = x.epPod[e]!;
    const epNode = x.podNode[p]!;
    const seen = epNode === m ? x.nodeCni0[m]! : x.nodeFlannel[m]!;
    return this.deliver(p, x.podIP[p]!, x.epPort[e]!, proto, seen, epNode !== m ? 1 : 0, s, out);
  }

  private reject(proto: number, out: ResolveOut): number {
    out.verdict = VERDICT_REJECTED;
    out.reason = proto === PROTO_TCP ? REASON_CONNECTION_REFUSED : REASON_PORT_UNREACHABLE;
    return VERDICT_REJECTED;
  }

  /** The packet reaches pod `p`: a listening socket takes it, or the kernel refuses it. */
  private deliver(p: number, dstIP: number, dport: number, proto: number, seen: number, encap: number, s: number, out: ResolveOut): number {
    const x = this.x;
    out.servicePort = s;
    if (proto !== PROTO_ICMP && !x.listeners.has(p * 131072 + dport * 2 + proto)) return this.reject(proto, out);
    out.verdict = VERDICT_DELIVERED;
    out.dstIP = dstIP;
    out.dport = proto === PROTO_ICMP ? 0 : dport;
    out.pod = p;
    out.node = x.podNode[p]!;
    out.srcIP = seen;
    out.encap = encap;
    return VERDICT_DELIVERED;
  }
}

/** The endpoint `choice` falls on: the first whose cumulative share exceeds it. */
function pick(cum: Float64Array, start: number, n: number, choice: number): number {
  const end = start + n - 1;
  let i = start;
  while (i < end && !(choice < cum[i]!)) i++;
  return i;
}

// ---------------------------------------------------------------------------------------------

const cache = new WeakMap<
  ClusterState['nodeAgents'],
  { config: ClusterState['config']; nodes: ClusterState['nodes']; pods: ClusterState['pods']; services: ClusterState['services']; slices: ClusterState['endpointSlices']; fp: FastPath }
>();

/** The fast path for `state`, built once and reused while the slices it reads are unchanged. */
export function compileFastPath(state: ClusterState): FastPath {
  const hit = cache.get(state.nodeAgents);
  if (hit && hit.config === state.config && hit.nodes === state.nodes && hit.pods === state.pods && hit.services === state.services && hit.slices === state.endpointSlices) return hit.fp;
  const fp = new CompiledFastPath(build(state));
  cache.set(state.nodeAgents, { config: state.config, nodes: state.nodes, pods: state.pods, services: state.services, slices: state.endpointSlices, fp });
  return fp;
}
