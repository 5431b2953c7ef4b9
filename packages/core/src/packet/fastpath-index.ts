// The fast path's index (see fastpath.ts for what it answers and how): pods, nodes and service
// ports as dense indices over typed arrays and flat tables, built by adding pods and service
// ports one by one and patched by removing and re-adding what an identity diff of two states
// says changed. Nothing here runs per packet.
//
// One file on purpose (~700 lines): the typed-array layout, the add/remove operations and the
// diff-driven patch must agree on every slot; kept together so a layout change is one edit.

import type { Pod, Service } from '../api/types.js';
import { containerListens } from '../state/images.js';
import { proxyServicePorts, serviceProxyPorts } from '../controllers/kube-proxy/input.js';
import { isDefaultKubeProxyConfiguration, nodeKubeProxyConfig } from '../controllers/kube-proxy/node.js';
import { endpointProbability, ipv4s, normalizedEndpoints, usableEndpoints, type Ep } from '../controllers/kube-proxy/rules.js';
import type { ProxyServicePort } from '../controllers/kube-proxy/types.js';
import { isNodeReady, nodeInternalIP } from '../state/queries.js';
import { announcingNode, speakersChanged } from '../controllers/loadbalancer.js';
import { flannelLeases } from '../dataplane/leases.js';
import { inSubnet, ipToString, networkOf, parseCIDR, tryParseIPv4 } from '../net/ipv4.js';
import type { PodSandbox } from '../state/node-agent.js';
import type { ClusterState } from '../state/types.js';
import { diffFlat, diffNamespaced } from '../state/diff.js';
import { getAgent } from '../state/store.js';
import { ABSENT, FastpathTable } from './fastpath-table.js';

// ---------------------------------------------------------------------------------------------
// Layout

/** Protocol codes of `FastPath.resolve` (re-exported by fastpath.ts). */
export const PROTO_TCP = 0;
export const PROTO_UDP = 1;
export const PROTO_ICMP = 2;

/** A table value: two service ports claim the key, or the address is one we do not model. */
export const SP_UNSUPPORTED = -2;
/** An external address nobody answers ARP for (MetalLB has no eligible node). */
export const NO_ENTRY = -3;
/**
 * An external address off the node network (or the gateway's): modelled only where the sender's
 * own node DNATs it, since the walk to it otherwise leaves through the gateway.
 */
export const OFF_NETWORK = -4;
/**
 * A LoadBalancer IP whose announcing node is not worked out yet: MetalLB's election hashes every
 * eligible node with the address, so it runs the first time a packet needs it (`elect`) — only
 * traffic from outside, or a node's own with no endpoints, does — not for every LB IP at build.
 */
export const UNELECTED = -5;

// Records: 16 bytes (4 int32) each in one Int32Array. A service port's header record comes
// first and its Cluster endpoint records right after it. The tables keep the header's flags and
// count beside each key, so a ClusterIP packet reads one table slot and one endpoint record.
export const EP_I32 = 4;
// Header record.
export const H_FLAGS = 0;
/** The service port's index (`FastPath.servicePort`). */
export const H_SP = 1;
/** How many Cluster endpoint records follow the header. */
export const H_COUNT = 2;
/** First of `nodes` (start, count) pairs of Local endpoint lists in `local`, or -1. */
export const H_LOCAL = 3;
export const SP_SUPPORTED = 1;
export const SP_ETP_LOCAL = 2;
export const SP_ITP_LOCAL = 4;
/** A table's aux word for a service port: flags in the low bits, the Cluster endpoint count above. */
export const AUX_FLAGS = 7;
export const AUX_COUNT_SHIFT = 3;
// Endpoint record: the DNAT target. (Its share needs no room: kube-proxy's probabilities depend
// only on the list's length, so the thresholds live once per length in `thresholds`.)
export const E_POD = 0;
export const E_IP = 1;
/** The target port, with NOT_LISTENING set when no socket listens there (the kernel refuses it). */
export const E_PORT = 2;
export const E_NODE = 3;
export const NOT_LISTENING = 1 << 16;

function grown<A extends Int32Array | Uint32Array | Uint8Array>(a: A, need: number, make: (n: number) => A): A {
  if (need <= a.length) return a;
  let n = Math.max(16, a.length * 2);
  while (n < need) n *= 2;
  const b = make(n);
  b.set(a);
  return b;
}

const protoCode = (p: string): number => (p === 'TCP' ? PROTO_TCP : p === 'UDP' ? PROTO_UDP : -1);

/**
 * kube-proxy runs on the node with kubeadm's default configuration (the only rules the index
 * models): a crash-looping or stopped one's frozen rules, or a customised configuration, are the
 * walker's.
 */
function kubeProxyRuns(state: ClusterState, nodeName: string): boolean {
  const proxy = nodeKubeProxyConfig(state, nodeName);
  return !!proxy?.live && isDefaultKubeProxyConfiguration(proxy.config, state.config.podCIDR);
}

function keysOf(a: object | undefined, b: object | undefined): Set<string> {
  return new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
}

/** One claim on an external address: which port, of which service, in which role, entering where. */
interface AddressClaim {
  /** Header record of the claiming port. */
  h: number;
  service: string;
  /** The Service, for a LoadBalancer IP's election. */
  lb: Service | undefined;
  entry: number;
}

// ---------------------------------------------------------------------------------------------
// The index: built by adding pods and service ports one by one, patched by removing and re-adding

export class Index {
  ok = true;
  /** The state this index answers for. */
  state: ClusterState;

  // Nodes (fixed for the life of the index: a node change compiles afresh).
  readonly nodeNames: string[];
  readonly nodeIndexByName = new Map<string, number>();
  readonly nodeIP: Uint32Array;
  readonly nodeCni0: Uint32Array;
  readonly nodeFlannel: Uint32Array;
  /** node IP → node */
  readonly nodeByIP = new FastpathTable();
  /** node subnet network address → node */
  readonly nodeBySubnet = new FastpathTable();
  /** Where the lab routes a Service's externalIP: the first Ready worker (walker: onNodeNetwork). */
  readonly externalIPNode: number;
  readonly subnetPrefix: number;
  readonly podNet: number;
  readonly podPrefix: number;
  readonly svcNet: number;
  readonly svcPrefix: number;
  readonly nodeNet: number;
  readonly nodePrefix: number;
  readonly gateway: number;

  // Pods. Indices are never reused: a removed pod's slot keeps node -1.
  podKeys: string[] = [];
  readonly podIndexByKey = new Map<string, number>();
  podIP = new Uint32Array(16);
  podNode = new Int32Array(16);
  /** 1 when the pod's bridge port (host-side veth) has the hairpin flag: it can reach itself through a Service. */
  podHairpin = new Uint8Array(16);
  /** (start, count) per pod into `listenKeys`: its sockets as port·2+proto. */
  podListen = new Int32Array(32);
  listenKeys = new Int32Array(32);
  listenLen = 0;
  podCount = 0;
  livePods = 0;
  readonly podByIP = new FastpathTable();
  /** Network sandboxes on indexed nodes by pod key (more than one makes the index unsupported). */
  readonly sandboxRefs = new Map<string, { node: number; sb: PodSandbox }[]>();

  // Service ports. Indices are never reused either.
  ports: (ProxyServicePort | undefined)[] = [];
  /** Service port → its header record. Tables map keys to header records. */
  spHeader = new Int32Array(64);
  readonly portsByService = new Map<string, number[]>();
  /** (ClusterIP, port·2+proto) → header record */
  readonly vips = new FastpathTable();
  /** (nodePort·2+proto, 0) → header record */
  readonly nodePorts = new FastpathTable();
  /** (external address, port·2+proto) → header record */
  readonly extPorts = new FastpathTable();
  /** (external address, 0) → entry node, NO_ENTRY or SP_UNSUPPORTED */
  readonly extAddrs = new FastpathTable();
  readonly addressClaims = new Map<number, AddressClaim[]>();
  /** Claimed external addresses inside the pod or service range or on a node: checked before anything else. */
  oddAddrs = 0;
  /** Keys more than one service port claims: "table:k1:k2" → the claimants' header records. */
  readonly conflicts = new Map<string, number[]>();
  /** Endpoint IP → the service ports listing it (a change to that pod re-derives them). */
  readonly epUsers = new Map<number, number[]>();
  epI32 = new Int32Array(64 * EP_I32);
  /**
   * Cumulative shares of the endpoints of an n-long list, at `thresholdAt[n]` (n−1 of them: the
   * last endpoint takes the rest): endpoint i of n matches with p = 1/(n−i) to 10 decimals.
   */
  thresholds = new Float64Array(64);
  thresholdsLen = 0;
  thresholdAt = new Int32Array(64).fill(-1);
  epLen = 0;
  liveEps = 0;
  /** Local endpoint lists: (start, count) pairs, `nodes` per Local-policy port. */
  local = new Int32Array(64);
  localLen = 0;
  /** While patching: service ports to re-derive because a pod they list changed. */
  dirty: Set<number> | undefined;

  /** Sources from outside the cluster that `sourceOf` has been asked about. */
  readonly externals: number[] = [];

  constructor(state: ClusterState) {
    this.state = state;
    const cfg = state.config;
    const podNet = parseCIDR(cfg.podCIDR);
    const svcNet = parseCIDR(cfg.serviceCIDR);
    const nodeNet = parseCIDR(cfg.nodeNetwork);
    this.podNet = networkOf(podNet.ip, podNet.prefixLen);
    this.podPrefix = podNet.prefixLen;
    this.svcNet = networkOf(svcNet.ip, svcNet.prefixLen);
    this.svcPrefix = svcNet.prefixLen;
    this.nodeNet = networkOf(nodeNet.ip, nodeNet.prefixLen);
    this.nodePrefix = nodeNet.prefixLen;
    this.subnetPrefix = cfg.nodeCIDRMaskSize;
    this.gateway = tryParseIPv4(cfg.nodeGateway) ?? 0;

    // Every node must be standard (flannel VXLAN with ip-masq, kube-proxy running, a lease; no
    // canal: Felix's policy chains are the walker's to run).
    const leases = new Map(flannelLeases(state).map((l) => [l.node, l]));
    this.nodeNames = state.nodeOrder.filter((n) => state.nodes[n]);
    const nN = this.nodeNames.length;
    this.nodeIP = new Uint32Array(nN);
    this.nodeCni0 = new Uint32Array(nN);
    this.nodeFlannel = new Uint32Array(nN);
    this.nodeNames.forEach((name, i) => {
      this.nodeIndexByName.set(name, i);
      const node = state.nodes[name]!;
      const agent = getAgent(state, name);
      const ip = tryParseIPv4(nodeInternalIP(node) ?? '');
      const sub = node.spec.podCIDR ? parseCIDR(node.spec.podCIDR) : undefined;
      const fl = agent?.flannel;
      const lease = leases.get(name);
      const flNet = fl ? parseCIDR(fl.network) : undefined;
      if (
        ip === undefined ||
        !sub ||
        sub.prefixLen !== this.subnetPrefix ||
        !agent ||
        !fl?.vxlan ||
        agent.calico ||
        fl.backend !== 'vxlan' ||
        !fl.ipMasq ||
        !flNet ||
        flNet.prefixLen !== podNet.prefixLen ||
        networkOf(flNet.ip, flNet.prefixLen) !== this.podNet ||
        !lease ||
        lease.backend !== 'vxlan' ||
        !lease.vtepMac ||
        lease.publicIP !== ip ||
        !kubeProxyRuns(state, name) ||
        !inSubnet(ip, this.nodeNet, this.nodePrefix) ||
        this.nodeByIP.has(ip, 0)
      ) {
        this.ok = false;
        return;
      }
      const net = networkOf(sub.ip, sub.prefixLen);
      this.nodeIP[i] = ip;
      this.nodeFlannel[i] = net;
      this.nodeCni0[i] = (net + 1) >>> 0;
      this.nodeByIP.set(ip, 0, i);
      this.nodeBySubnet.set(net, 0, i);
    });
    const worker =
      state.nodeOrder.find((n) => state.nodes[n] && isNodeReady(state.nodes[n]!) && state.nodes[n]!.metadata.labels?.['node-role.kubernetes.io/control-plane'] === undefined) ??
      state.nodeOrder[0];
    this.externalIPNode = worker === undefined ? -1 : (this.nodeIndexByName.get(worker) ?? -1);
  }

  // --- pods ----------------------------------------------------------------------------------

  refSandbox(node: number, sb: PodSandbox): void {
    let refs = this.sandboxRefs.get(sb.pod);
    if (!refs) this.sandboxRefs.set(sb.pod, (refs = []));
    refs.push({ node, sb });
  }

  unrefSandbox(sb: PodSandbox): void {
    const refs = this.sandboxRefs.get(sb.pod);
    if (!refs) return;
    const i = refs.findIndex((r) => r.sb === sb);
    if (i >= 0) refs.splice(i, 1);
    if (refs.length === 0) this.sandboxRefs.delete(sb.pod);
  }

  /** Index the pod `key` if it has a network sandbox here; false when the state is one we do not model. */
  indexPod(state: ClusterState, key: string): boolean {
    const refs = this.sandboxRefs.get(key);
    const [ns = '', name = ''] = key.split('/');
    const pod = state.pods[ns]?.[name];
    if (!refs?.length || !pod) return true;
    if (refs.length > 1) return false;
    const { node, sb } = refs[0]!;
    const nodeName = this.nodeNames[node]!;
    const ip = sb.network!.ip;
    if (pod.spec.nodeName !== nodeName || pod.metadata.uid !== sb.podUid || !getAgent(state, nodeName)?.cni0 || this.podByIP.has(ip, 0)) return false;
    this.addPod(key, node, ip, sb.network!.hairpin, pod);
    return true;
  }

  private addPod(key: string, node: number, ip: number, hairpin: boolean, pod: Pod): void {
    const p = this.podCount++;
    this.podIP = grown(this.podIP, p + 1, (n) => new Uint32Array(n));
    this.podNode = grown(this.podNode, p + 1, (n) => new Int32Array(n));
    this.podHairpin = grown(this.podHairpin, p + 1, (n) => new Uint8Array(n));
    this.podListen = grown(this.podListen, 2 * p + 2, (n) => new Int32Array(n));
    this.podKeys[p] = key;
    this.podIndexByKey.set(key, p);
    this.podIP[p] = ip;
    this.podNode[p] = node;
    this.podHairpin[p] = hairpin ? 1 : 0;
    this.podByIP.set(ip, 0, p);
    const start = this.listenLen;
    for (const c of pod.spec.containers) {
      for (const l of containerListens(c)) {
        const proto = protoCode(l.protocol);
        if (proto < 0) continue;
        this.listenKeys = grown(this.listenKeys, this.listenLen + 1, (n) => new Int32Array(n));
        this.listenKeys[this.listenLen++] = l.port * 2 + proto;
      }
    }
    this.podListen[2 * p] = start;
    this.podListen[2 * p + 1] = this.listenLen - start;
    this.livePods++;
    this.touch(ip);
  }

  removePod(p: number): void {
    const ip = this.podIP[p]!;
    this.podByIP.delete(ip, 0);
    this.podIndexByKey.delete(this.podKeys[p]!);
    this.podKeys[p] = '';
    this.podNode[p] = -1;
    this.livePods--;
    this.touch(ip);
  }

  /** Service ports listing `ip` as an endpoint must be re-derived (while patching). */
  private touch(ip: number): void {
    if (!this.dirty) return;
    for (const s of this.epUsers.get(ip) ?? []) this.dirty.add(s);
  }

  listens(p: number, key: number): boolean {
    const start = this.podListen[2 * p]!;
    const end = start + this.podListen[2 * p + 1]!;
    for (let i = start; i < end; i++) if (this.listenKeys[i] === key) return true;
    return false;
  }

  // --- service ports -------------------------------------------------------------------------

  addPort(state: ClusterState, sp: ProxyServicePort): void {
    const s = this.ports.length;
    this.ports.push(sp);
    this.spHeader = grown(this.spHeader, s + 1, (n) => new Int32Array(n));
    const h = this.reserve(1);
    this.spHeader[s] = h;
    const hr = h * EP_I32;
    this.epI32[hr + H_SP] = s;
    this.epI32[hr + H_LOCAL] = -1;
    const svcKey = `${sp.namespace}/${sp.name}`;
    const mine = this.portsByService.get(svcKey);
    if (mine) mine.push(s);
    else this.portsByService.set(svcKey, [s]);

    const vip = sp.clusterIP === undefined ? undefined : tryParseIPv4(sp.clusterIP);
    const proto = protoCode(sp.protocol);
    if (vip === undefined || proto < 0) return; // no rules for TCP/UDP: nothing to claim
    const eps = normalizedEndpoints(sp);
    for (const e of eps) {
      const users = this.epUsers.get(e.ip);
      if (users) users.push(s);
      else this.epUsers.set(e.ip, [s]);
    }
    const externalIPs = ipv4s(sp.externalIPs);
    const lbIPs = ipv4s(sp.loadBalancerIPs);
    const extAccessible = !!sp.nodePort || externalIPs.length > 0 || lbIPs.length > 0;
    const etpLocal = sp.externalTrafficPolicy === 'Local' && extAccessible;
    const itpLocal = sp.internalTrafficPolicy === 'Local';
    // Modelled when every endpoint is a known pod on the node its slice names.
    let supported = true;
    for (const e of eps) {
      const p = this.podByIP.get(e.ip, 0);
      if (p === ABSENT || this.nodeNames[this.podNode[p]!] !== e.src.nodeName) supported = false;
    }
    this.epI32[hr + H_FLAGS] = (supported ? SP_SUPPORTED : 0) | (etpLocal ? SP_ETP_LOCAL : 0) | (itpLocal ? SP_ITP_LOCAL : 0);

    if (supported) {
      // The Cluster list right after the header (nothing was appended in between).
      const cluster = usableEndpoints(eps);
      this.addList(cluster, proto);
      this.epI32[hr + H_COUNT] = cluster.length;
      if (etpLocal || itpLocal) {
        const nN = this.nodeNames.length;
        const base = this.localLen;
        this.localLen += 2 * nN;
        this.local = grown(this.local, this.localLen, (n) => new Int32Array(n));
        for (let n = 0; n < nN; n++) {
          const list = usableEndpoints(eps.filter((e) => e.src.nodeName === this.nodeNames[n]));
          this.local[base + 2 * n] = this.addList(list, proto);
          this.local[base + 2 * n + 1] = list.length;
        }
        this.epI32[hr + H_LOCAL] = base;
      }
    }

    // Claims last: the tables keep the port's flags and endpoint count next to each key.
    const pp = sp.port * 2 + proto;
    this.claim(this.vips, 'vip', vip, pp, h);
    if (sp.nodePort) this.claim(this.nodePorts, 'nodeport', sp.nodePort * 2 + proto, 0, h);
    // KUBE-FW (loadBalancerSourceRanges) is not modelled: its LB IPs are declined.
    const firewalled = sp.loadBalancerSourceRanges.length > 0;
    const svc = state.services[sp.namespace]?.[sp.name];
    for (const ip of lbIPs) {
      this.claimAddress(ip, pp, { h, service: svcKey, lb: svc, entry: firewalled || !svc ? SP_UNSUPPORTED : UNELECTED });
    }
    for (const ip of externalIPs) {
      // The walker routes an externalIP by its spelling; kube-proxy by its value.
      const canonical = sp.externalIPs.includes(ipToString(ip));
      this.claimAddress(ip, pp, { h, service: svcKey, lb: undefined, entry: canonical && this.externalIPNode >= 0 ? this.externalIPNode : SP_UNSUPPORTED });
    }
  }

  removePort(s: number): void {
    const sp = this.ports[s];
    if (!sp) return;
    this.ports[s] = undefined;
    const svcKey = `${sp.namespace}/${sp.name}`;
    const mine = this.portsByService.get(svcKey)!;
    mine.splice(mine.indexOf(s), 1);
    if (mine.length === 0) this.portsByService.delete(svcKey);
    const h = this.spHeader[s]!;
    const hr = h * EP_I32;
    const flags = this.epI32[hr + H_FLAGS]!;
    this.epI32[hr + H_FLAGS] = 0;
    this.liveEps--;
    const vip = sp.clusterIP === undefined ? undefined : tryParseIPv4(sp.clusterIP);
    const proto = protoCode(sp.protocol);
    if (vip === undefined || proto < 0) return;
    for (const e of normalizedEndpoints(sp)) {
      const users = this.epUsers.get(e.ip)!;
      users.splice(users.indexOf(s), 1);
      if (users.length === 0) this.epUsers.delete(e.ip);
    }
    const pp = sp.port * 2 + proto;
    this.unclaim(this.vips, 'vip', vip, pp, h);
    if (sp.nodePort) this.unclaim(this.nodePorts, 'nodeport', sp.nodePort * 2 + proto, 0, h);
    for (const ip of ipv4s(sp.loadBalancerIPs)) this.unclaimAddress(ip, pp, h);
    for (const ip of ipv4s(sp.externalIPs)) this.unclaimAddress(ip, pp, h);
    if (!(flags & SP_SUPPORTED)) return;
    let records = this.epI32[hr + H_COUNT]!;
    const base = this.epI32[hr + H_LOCAL]!;
    if (base >= 0) for (let n = 0; n < this.nodeNames.length; n++) records += this.local[base + 2 * n + 1]!;
    this.liveEps -= records;
  }

  /**
   * Where packets from outside to the UNELECTED LoadBalancer IP `ip` enter (a node, NO_ENTRY),
   * worked out for the state the index answers for, and kept.
   */
  elect(ip: number): number {
    const claims = this.addressClaims.get(ip);
    const svc = claims?.[0]?.lb;
    if (!claims || !svc) return SP_UNSUPPORTED;
    const value = this.extAddrs.get(ip, 0);
    if (value !== UNELECTED) return value;
    const announcer = announcingNode(this.state, svc, ipToString(ip));
    const entry = announcer === undefined ? NO_ENTRY : (this.nodeIndexByName.get(announcer) ?? SP_UNSUPPORTED);
    for (const c of claims) if (c.entry === UNELECTED) c.entry = entry;
    this.extAddrs.set(ip, 0, entry);
    return entry;
  }

  /** Append `n` zeroed records; returns the first. */
  private reserve(n: number): number {
    const start = this.epLen;
    this.epI32 = grown(this.epI32, (start + n) * EP_I32, (len) => new Int32Array(len));
    this.epLen += n;
    this.liveEps += n;
    return start;
  }

  /** Append an endpoint list's records; returns its start. */
  private addList(list: readonly Ep[], proto: number): number {
    const n = list.length;
    const start = this.reserve(n);
    this.addThresholds(n);
    list.forEach((e, i) => {
      const pod = this.podByIP.get(e.ip, 0);
      const r = (start + i) * EP_I32;
      this.epI32[r + E_POD] = pod;
      this.epI32[r + E_IP] = e.ip | 0;
      this.epI32[r + E_PORT] = e.port | (this.listens(pod, e.port * 2 + proto) ? 0 : NOT_LISTENING);
      this.epI32[r + E_NODE] = this.podNode[pod]!;
    });
    return start;
  }

  /** The thresholds of an n-long list, computed the first time a list that long appears. */
  private addThresholds(n: number): void {
    if (n < this.thresholdAt.length && this.thresholdAt[n]! >= 0) return;
    if (n >= this.thresholdAt.length) {
      const at = new Int32Array(Math.max(n + 1, this.thresholdAt.length * 2)).fill(-1);
      at.set(this.thresholdAt);
      this.thresholdAt = at;
    }
    const start = this.thresholdsLen;
    if (start + n > this.thresholds.length) {
      const t = new Float64Array(Math.max(start + n, this.thresholds.length * 2));
      t.set(this.thresholds);
      this.thresholds = t;
    }
    // Endpoint i is taken when its rule matches after the earlier ones did not: the cumulative
    // share up to i is 1 − Π(1 − p_j), exactly the probability traceAll gives those branches.
    let rest = 1;
    let cum = 0;
    for (let i = 0; i < n - 1; i++) {
      const p = endpointProbability(n - i);
      cum += rest * p;
      rest *= 1 - p;
      this.thresholds[start + i] = cum;
    }
    this.thresholdAt[n] = start;
    this.thresholdsLen += Math.max(0, n - 1);
  }

  /** What a table keeps next to a key: the port's flags, and its Cluster endpoint count above them. */
  private auxOf(h: number): number {
    return this.epI32[h * EP_I32 + H_FLAGS]! | (this.epI32[h * EP_I32 + H_COUNT]! << AUX_COUNT_SHIFT);
  }

  private claim(t: FastpathTable, name: string, k1: number, k2: number, h: number): void {
    const cur = t.get(k1, k2);
    if (cur === ABSENT) return t.set(k1, k2, h, this.auxOf(h));
    const key = `${name}:${k1}:${k2}`;
    let list = this.conflicts.get(key);
    if (!list) this.conflicts.set(key, (list = [cur]));
    list.push(h);
    t.set(k1, k2, SP_UNSUPPORTED);
  }

  private unclaim(t: FastpathTable, name: string, k1: number, k2: number, h: number): void {
    const key = `${name}:${k1}:${k2}`;
    const list = this.conflicts.get(key);
    if (!list) {
      if (t.get(k1, k2) === h) t.delete(k1, k2);
      return;
    }
    list.splice(list.indexOf(h), 1);
    if (list.length === 1) {
      t.set(k1, k2, list[0]!, this.auxOf(list[0]!));
      this.conflicts.delete(key);
    }
  }

  private odd(ip: number): boolean {
    return inSubnet(ip, this.podNet, this.podPrefix) || inSubnet(ip, this.svcNet, this.svcPrefix) || this.nodeByIP.has(ip, 0);
  }

  private claimAddress(ip: number, pp: number, c: AddressClaim): void {
    this.claim(this.extPorts, 'ext', ip, pp, c.h);
    let claims = this.addressClaims.get(ip);
    if (!claims) {
      this.addressClaims.set(ip, (claims = []));
      if (this.odd(ip)) this.oddAddrs++;
    }
    claims.push(c);
    this.settleAddress(ip);
  }

  private unclaimAddress(ip: number, pp: number, h: number): void {
    this.unclaim(this.extPorts, 'ext', ip, pp, h);
    const claims = this.addressClaims.get(ip)!;
    claims.splice(
      claims.findIndex((c) => c.h === h),
      1,
    );
    if (claims.length === 0) {
      this.addressClaims.delete(ip);
      if (this.odd(ip)) this.oddAddrs--;
    }
    this.settleAddress(ip);
  }

  /** Where packets to an external address enter: one service, one role, one node — or declined. */
  private settleAddress(ip: number): void {
    const claims = this.addressClaims.get(ip);
    if (!claims) {
      this.extAddrs.delete(ip, 0);
      return;
    }
    // A claim came or went: an earlier election no longer stands (it is held again at first need,
    // as in an index built afresh).
    for (const c of claims) if (c.lb && c.entry !== SP_UNSUPPORTED) c.entry = UNELECTED;
    const first = claims[0]!;
    const one = claims.every((c) => c.service === first.service && !c.lb === !first.lb && c.entry === first.entry);
    const onNetwork = inSubnet(ip, this.nodeNet, this.nodePrefix) && ip !== this.gateway;
    this.extAddrs.set(ip, 0, !one || this.odd(ip) ? SP_UNSUPPORTED : onNetwork || first.entry === SP_UNSUPPORTED ? first.entry : OFF_NETWORK);
  }

  // --- patching ------------------------------------------------------------------------------

  /**
   * Bring the index from `this.state` to `next` by removing and re-adding what changed. False
   * when the change is not one it patches (nodes, config, a node's network, MetalLB's speakers; a
   * state it would not model); the index may then be half-patched and must be dropped.
   */
  patch(next: ClusterState): boolean {
    const prev = this.state;
    if (!this.ok || next.config !== prev.config || next.nodes !== prev.nodes || next.nodeOrder !== prev.nodeOrder) return false;
    // Another set of MetalLB speakers may elect other nodes for every LoadBalancer IP.
    if (speakersChanged(prev, next)) return false;
    // Removed slots are never reused: compact by compiling afresh once they outnumber the live ones.
    if (this.podCount > 1024 && this.podCount > 3 * this.livePods) return false;
    if (this.epLen > 4096 && this.epLen > 3 * this.liveEps) return false;
    const dirtyPods = new Set<string>();
    this.dirty = new Set<number>();

    if (next.nodeAgents !== prev.nodeAgents) {
      // Agents live in buckets: only the buckets that changed are compared.
      for (const { name, after: a, before: b } of diffNamespaced(prev.nodeAgents, next.nodeAgents)) {
        const n = this.nodeIndexByName.get(name);
        if (n === undefined || !a || !b || a.flannel !== b.flannel || a.cni0 !== b.cni0 || a.calico !== b.calico || a.kubeProxy !== b.kubeProxy) return false;
        if (a.sandboxes === b.sandboxes) continue;
        if (!kubeProxyRuns(next, name)) return false;
        for (const uid of keysOf(a.sandboxes, b.sandboxes)) {
          const was = b.sandboxes[uid];
          const is = a.sandboxes[uid];
          if (was === is) continue;
          if (was?.network) {
            this.unrefSandbox(was);
            dirtyPods.add(was.pod);
          }
          if (is?.network) {
            this.refSandbox(n, is);
            dirtyPods.add(is.pod);
          }
        }
      }
    }
    // An identity diff: a namespace's pods are compared one by one only when its shard changed.
    for (const c of diffNamespaced(prev.pods, next.pods)) dirtyPods.add(`${c.namespace}/${c.name}`);
    for (const key of dirtyPods) {
      const p = this.podIndexByKey.get(key);
      if (p !== undefined) this.removePod(p);
    }
    for (const key of dirtyPods) if (!this.indexPod(next, key)) return false;

    // Service ports: by namespace, then by service, by the identity of their port objects.
    const stale = new Set<number>();
    const fresh: ProxyServicePort[] = [];
    if (next.services !== prev.services || next.endpointSlices !== prev.endpointSlices) {
      for (const ns of new Set([...keysOf(next.services, prev.services), ...keysOf(next.endpointSlices, prev.endpointSlices)])) {
        if (next.services[ns] === prev.services[ns] && next.endpointSlices[ns] === prev.endpointSlices[ns]) continue;
        // The Services that changed, or whose slices did: only their ports are read again.
        const touched = new Set<string>();
        for (const c of diffFlat(prev.services[ns] ?? {}, next.services[ns] ?? {})) touched.add(c.name);
        for (const c of diffFlat(prev.endpointSlices[ns] ?? {}, next.endpointSlices[ns] ?? {})) {
          const was = c.before?.metadata.labels?.['kubernetes.io/service-name'];
          const is = c.after?.metadata.labels?.['kubernetes.io/service-name'];
          if (was !== undefined) touched.add(was);
          if (is !== undefined) touched.add(is);
        }
        for (const name of keysOf(next.services[ns], prev.services[ns])) {
          if (!touched.has(name)) continue;
          const old = this.portsByService.get(`${ns}/${name}`) ?? [];
          const now = serviceProxyPorts(next, ns, name);
          if (old.length === now.length && old.every((s, i) => this.ports[s] === now[i])) continue;
          for (const s of old) stale.add(s);
          fresh.push(...now);
        }
      }
    }
    for (const s of this.dirty) {
      const sp = this.ports[s];
      if (sp && !stale.has(s)) {
        stale.add(s);
        fresh.push(sp);
      }
    }
    this.dirty = undefined;
    for (const s of stale) this.removePort(s);
    for (const sp of fresh) this.addPort(next, sp);
    this.state = next;
    return true;
  }
}

/** The index for `state`, from scratch: every pod, then every service port. */
export function build(state: ClusterState): Index {
  const x = new Index(state);
  if (!x.ok) return x;
  x.nodeNames.forEach((name, n) => {
    for (const sb of Object.values(getAgent(state, name)?.sandboxes ?? {})) if (sb.network) x.refSandbox(n, sb);
  });
  for (const key of [...x.sandboxRefs.keys()]) if (!x.indexPod(state, key)) x.ok = false;
  for (const sp of proxyServicePorts(state)) x.addPort(state, sp);
  return x;
}
