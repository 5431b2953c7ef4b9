// kube-proxy (iptables mode, v1.29–1.33) rule generation: a pure function of the service ports
// kube-proxy knows about and the node it runs on, producing the mangle/nat/filter chains a real
// node shows in `iptables-save` — chain names, comments, match options and rule order as
// kube-proxy's syncProxyRules writes them (pkg/proxy/iptables/proxier.go), plus the chains
// kubelet keeps on every node (pkg/kubelet/kubelet_network_linux.go).
//
// Rules are built directly in the kernel's canonical form (IP-header matches first, then the
// `-m` modules in kube-proxy's order), so `normalizeRule(r)` equals `r` minus `owner` — except
// statistic probabilities, kept as kube-proxy writes them (1/n to 10 decimals; the renderer turns
// them into the kernel's fixed point as iptables does).
//
// Not modelled (invisible to packets):
//  - nfacct metric counters, which recent kube-proxy adds only when the kernel offers
//    nfnetlink_acct: the `-d 127.0.0.0/8 … -m nfacct --nfacct-name localhost_nps_accepted_pkts`
//    copy of each NodePort rule (the plain NodePort rule after it matches the same packets and
//    jumps to the same chain) and `-m nfacct --nfacct-name ct_state_invalid_dropped_pkts` on
//    KUBE-FORWARD's INVALID DROP. Neither changes what happens to a packet.
// Configuration (ProxyConfig, from the KubeProxyConfiguration the node's kube-proxy started
// with): the local-traffic detector (`! -s CIDR`, `! -i cni0`, `! -i veth+` or none),
// masqueradeAll, the masquerade bit, localhostNodePorts and nodePortAddresses. Assumed:
// nf_conntrack_tcp_be_liberal 0 and --random-fully supported.
//
// One file on purpose (~620 lines): it follows syncProxyRules top to bottom, so its order can be
// checked against proxier.go side by side.

import type { Chain, Match, Net, Rule, Target } from '../../net/netfilter.js';
import { inSubnet, networkOf, tryParseCIDR, tryParseIPv4 } from '../../net/ipv4.js';
import { endpointChainName, servicePortChainName, servicePortNameString } from './hash.js';
import type { LocalDetector, ProxyConfig, ProxyEndpoint, ProxyServicePort } from './types.js';

/** KUBE-MARK-MASQ's mark with the default masquerade bit (14). */
export const MASQUERADE_MARK = 0x4000;

/** The mark for a masquerade bit: 1 << bit, as an unsigned 32-bit number. */
export function masqueradeMark(bit = 14): number {
  return (2 ** bit) >>> 0;
}
/** Above this many endpoints in total, kube-proxy drops the per-endpoint comments. */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;
export const NODEPORTS_LAST_RULE_COMMENT = 'kubernetes service nodeports; NOTE: this must be the last rule in this chain';

export interface KubeProxyTables {
  mangle: Chain[];
  nat: Chain[];
  filter: Chain[];
}

/** What one service port adds: rules in the shared top-level chains, and its own nat chains. */
export interface ServicePortRules {
  /** `ns/name[:port]`; '' for a port that gets no rules (headless: no IPv4 clusterIP). */
  servicePortName: string;
  nat: {
    /** Rules for nat KUBE-SERVICES: cluster IP, then external IPs, then load-balancer IPs. */
    services: Rule[];
    /** Rules for nat KUBE-NODEPORTS. */
    nodePorts: Rule[];
    /** The port's own chains, in kube-proxy's write order: EXT, FW, SVC, SVL, then the SEPs. */
    chains: Chain[];
  };
  filter: {
    /** KUBE-SERVICES: REJECT "has no endpoints" / DROP "has no local endpoints" for the cluster IP. */
    services: Rule[];
    /** KUBE-EXTERNAL-SERVICES: REJECT/DROP for external IPs, LB IPs, then the NodePort. */
    externalServices: Rule[];
    /** KUBE-NODEPORTS: the healthCheckNodePort ACCEPT. */
    nodePorts: Rule[];
    /** KUBE-PROXY-FIREWALL: DROP what KUBE-FW-* did not let through. */
    proxyFirewall: Rule[];
  };
}

export interface ServicePortOptions {
  /** More than LARGE_CLUSTER_ENDPOINTS_THRESHOLD endpoints in total (kubeProxyTables decides it). */
  largeCluster?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Small builders

type Owner = NonNullable<Rule['owner']>;
type L4 = 'tcp' | 'udp' | 'sctp';

const KUBE_PROXY: Owner = { by: 'kube-proxy' };
const KUBELET: Owner = { by: 'kubelet' };
const jump = (chain: string): Target => ({ t: 'jump', chain });
const MARK_MASQ = jump('KUBE-MARK-MASQ');
const comment = (c: string): Match => ({ m: 'comment', comment: c });
const host = (ip: number): Net => ({ ip, prefixLen: 32 });
const rule = (owner: Owner, target: Target, ...matches: Match[]): Rule => ({ matches, target, owner });
const user = (name: string, rules: Rule[] = []): Chain => ({ name, rules });
// Built-in chains get ACCEPT here; whoever merges tables keeps an existing chain's policy.
const builtin = (name: string, rules: Rule[]): Chain => ({ name, policy: 'ACCEPT', rules });
// kube-proxy writes a bare `-j REJECT`; the kernel keeps (and iptables-save prints) the default.
const REJECT: Target = { t: 'REJECT', with: 'icmp-port-unreachable' };
const ctNew: Match = { m: 'conntrack', ctstate: ['NEW'] };
const LOOPBACK: Net = { ip: 0x7f000000, prefixLen: 8 };

// ---------------------------------------------------------------------------------------------
// Chains every node has

/**
 * The jump rules from the built-in chains (kube-proxy *prepends* each one in its list order, so
 * a chain ends up with them reversed; kubelet prepended its KUBE-FIREWALL jumps earlier, at boot,
 * so they sit after kube-proxy's and before anything appended later such as flannel's), and the
 * fixed chains: KUBE-POSTROUTING, KUBE-MARK-MASQ, KUBE-FORWARD, kubelet's KUBE-FIREWALL (kube-proxy
 * rewrites the same rule, so it appears once), the canary chains (kubelet's and kube-proxy's
 * iptables monitors create one in each of mangle, nat and filter) and kubelet's mangle
 * KUBE-IPTABLES-HINT. Kubelet ≥1.28 no longer creates KUBE-MARK-DROP or nat KUBE-MARK-MASQ /
 * KUBE-POSTROUTING (IPTablesOwnershipCleanup), so those come from kube-proxy alone.
 * KUBE-SERVICES, KUBE-NODEPORTS, KUBE-EXTERNAL-SERVICES and KUBE-PROXY-FIREWALL start empty here.
 */
export function kubeProxyBaseChains(cfg: ProxyConfig): KubeProxyTables {
  const mark = masqueradeMark(cfg.masqueradeBit);
  const portals = 'kubernetes service portals';
  const external = 'kubernetes externally-visible service portals';
  const lbFirewall = 'kubernetes load balancer firewall';
  const toKubeFirewall = rule(KUBELET, jump('KUBE-FIREWALL'));
  return {
    mangle: [user('KUBE-IPTABLES-HINT'), user('KUBE-KUBELET-CANARY'), user('KUBE-PROXY-CANARY')],
    nat: [
      builtin('PREROUTING', [rule(KUBE_PROXY, jump('KUBE-SERVICES'), comment(portals))]),
      builtin('OUTPUT', [rule(KUBE_PROXY, jump('KUBE-SERVICES'), comment(portals))]),
      builtin('POSTROUTING', [rule(KUBE_PROXY, jump('KUBE-POSTROUTING'), comment('kubernetes postrouting rules'))]),
      user('KUBE-KUBELET-CANARY'),
      user('KUBE-PROXY-CANARY'),
      user('KUBE-SERVICES'),
      user('KUBE-NODEPORTS'),
      user('KUBE-POSTROUTING', [
        rule(KUBE_PROXY, { t: 'RETURN' }, { m: 'mark', value: mark, mask: mark, invert: true }),
        // Clears the mark so a packet that re-traverses the stack is not masqueraded twice.
        rule(KUBE_PROXY, { t: 'MARK', op: 'xor', value: mark }),
        rule(KUBE_PROXY, { t: 'MASQUERADE', randomFully: true }, comment('kubernetes service traffic requiring SNAT')),
      ]),
      user('KUBE-MARK-MASQ', [rule(KUBE_PROXY, { t: 'MARK', op: 'or', value: mark })]),
    ],
    filter: [
      builtin('INPUT', [
        rule(KUBE_PROXY, jump('KUBE-PROXY-FIREWALL'), ctNew, comment(lbFirewall)),
        rule(KUBE_PROXY, jump('KUBE-NODEPORTS'), comment('kubernetes health check service ports')),
        rule(KUBE_PROXY, jump('KUBE-EXTERNAL-SERVICES'), ctNew, comment(external)),
        toKubeFirewall,
      ]),
      builtin('FORWARD', [
        rule(KUBE_PROXY, jump('KUBE-PROXY-FIREWALL'), ctNew, comment(lbFirewall)),
        rule(KUBE_PROXY, jump('KUBE-FORWARD'), comment('kubernetes forwarding rules')),
        rule(KUBE_PROXY, jump('KUBE-SERVICES'), ctNew, comment(portals)),
        rule(KUBE_PROXY, jump('KUBE-EXTERNAL-SERVICES'), ctNew, comment(external)),
      ]),
      builtin('OUTPUT', [
        rule(KUBE_PROXY, jump('KUBE-PROXY-FIREWALL'), ctNew, comment(lbFirewall)),
        rule(KUBE_PROXY, jump('KUBE-SERVICES'), ctNew, comment(portals)),
        toKubeFirewall,
      ]),
      user('KUBE-FIREWALL', [
        // route_localnet (for localhost NodePorts) would otherwise accept martians to 127/8.
        rule(KUBELET, { t: 'DROP' }, { m: 'src', net: LOOPBACK, invert: true }, { m: 'dst', net: LOOPBACK }, comment('block incoming localnet connections'), {
          m: 'conntrack',
          ctstate: ['RELATED', 'ESTABLISHED', 'DNAT'],
          invert: true,
        }),
      ]),
      user('KUBE-KUBELET-CANARY'),
      user('KUBE-PROXY-CANARY'),
      user('KUBE-SERVICES'),
      user('KUBE-EXTERNAL-SERVICES'),
      user('KUBE-FORWARD', [
        rule(KUBE_PROXY, { t: 'DROP' }, { m: 'conntrack', ctstate: ['INVALID'] }),
        rule(KUBE_PROXY, { t: 'ACCEPT' }, comment('kubernetes forwarding rules'), { m: 'mark', value: mark, mask: mark }),
        rule(KUBE_PROXY, { t: 'ACCEPT' }, comment('kubernetes forwarding conntrack rule'), { m: 'conntrack', ctstate: ['RELATED', 'ESTABLISHED'] }),
      ]),
      user('KUBE-NODEPORTS'),
      user('KUBE-PROXY-FIREWALL'),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Endpoints as kube-proxy's EndpointSliceCache holds them

/** An endpoint as kube-proxy handles it: parsed, keyed by "ip:port", with the slice's endpoint. */
export interface Ep {
  ip: number;
  port: number;
  /** "ip:port", kube-proxy's Endpoint.String(): the sort key, the SEP hash input, the DNAT target. */
  key: string;
  src: ProxyEndpoint;
}

const endpointCache = new WeakMap<ProxyServicePort, Ep[]>();

/**
 * One entry per "ip:port" (an endpoint seen twice — moving between slices, or an IP reused by a
 * new pod — keeps the non-terminating copy), sorted by that string as kube-proxy sorts them; the
 * order decides which endpoint gets which probability. Invalid addresses and port 0 are dropped.
 */
export function normalizedEndpoints(sp: ProxyServicePort): Ep[] {
  let eps = endpointCache.get(sp);
  if (eps) return eps;
  const byKey = new Map<string, Ep>();
  for (const e of sp.endpoints) {
    const ip = tryParseIPv4(e.ip);
    if (ip === undefined || !(e.port > 0)) continue;
    const key = `${e.ip}:${e.port}`;
    if (!byKey.has(key) || !e.terminating) byKey.set(key, { ip, port: e.port, key, src: e });
  }
  eps = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  endpointCache.set(sp, eps);
  return eps;
}

// ---------------------------------------------------------------------------------------------
// Load-balancing probabilities

const probabilityCache: number[] = [];

/**
 * 1/n as kube-proxy writes it, `%0.10f` (Go rounds the exact value half-to-even), as a number;
 * the renderer then stores it as the kernel does. n ≥ 2.
 */
export function endpointProbability(n: number): number {
  let p = probabilityCache[n];
  if (p === undefined) {
    const scale = 10n ** 10n;
    const big = BigInt(n);
    let q = scale / big;
    const twice = (scale % big) * 2n;
    if (twice > big || (twice === big && q % 2n === 1n)) q += 1n;
    p = Number(`${q / scale}.${(q % scale).toString().padStart(10, '0')}`);
    probabilityCache[n] = p;
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Per service port

/** The local-traffic detector's two matches (IfLocal, IfNotLocal), or undefined when there is none. */
interface LocalMatches {
  local: Match;
  notLocal: Match;
}

function detectorOf(cfg: ProxyConfig): LocalDetector {
  return cfg.localDetector ?? (cfg.clusterCIDR ? { kind: 'cidr', cidr: cfg.clusterCIDR } : { kind: 'none' });
}

function localMatches(d: LocalDetector): LocalMatches | undefined {
  if (d.kind === 'interface') return d.iface ? { local: { m: 'in', iface: d.iface }, notLocal: { m: 'in', iface: d.iface, invert: true } } : undefined;
  if (d.kind !== 'cidr') return undefined;
  const c = tryParseCIDR(d.cidr.trim());
  if (!c) return undefined;
  const net = { ip: networkOf(c.ip, c.prefixLen), prefixLen: c.prefixLen };
  return { local: { m: 'src', net }, notLocal: { m: 'src', net, invert: true } };
}

/** Memo key of a detector. */
function detectorKey(d: LocalDetector): string {
  return d.kind === 'cidr' ? `s:${d.cidr}` : d.kind === 'interface' ? `i:${d.iface}` : '-';
}

// The kernel's (and iptables-save's) order of the IP-header matches: -s, -d, -i, -o, -p, then modules.
const IP_HEADER_RANK: Partial<Record<Match['m'], number>> = { src: 0, dst: 1, in: 2, out: 3, proto: 4 };

/** `matches` with one more IP-header match at its canonical place. */
function withHeaderMatch(matches: readonly Match[], m: Match): Match[] {
  const rank = IP_HEADER_RANK[m.m] ?? 5;
  const at = matches.findIndex((x) => (IP_HEADER_RANK[x.m] ?? 5) > rank);
  return at < 0 ? [...matches, m] : [...matches.slice(0, at), m, ...matches.slice(at)];
}

/** kube-proxy's parsing of externalIPs and LoadBalancer IPs: the valid IPv4 ones. */
export function ipv4s(list: readonly string[]): number[] {
  const out: number[] = [];
  for (const s of list) {
    const ip = tryParseIPv4(s.trim());
    if (ip !== undefined) out.push(ip);
  }
  return out;
}

/** loadBalancerSourceRanges as kube-proxy keeps them: IPv4 only, and a /0 means "no filtering". */
function sourceRanges(list: readonly string[]): Net[] {
  const out: Net[] = [];
  for (const s of list) {
    const c = tryParseCIDR(s.trim());
    if (!c) continue;
    if (c.prefixLen === 0) return [];
    out.push({ ip: networkOf(c.ip, c.prefixLen), prefixLen: c.prefixLen });
  }
  return out;
}

/** Whether the port's rules differ from node to node (a Local traffic policy picks local endpoints). */
function usesLocalEndpoints(sp: ProxyServicePort): boolean {
  return sp.internalTrafficPolicy === 'Local' || (sp.externalTrafficPolicy === 'Local' && externallyAccessible(sp));
}

function externallyAccessible(sp: ProxyServicePort): boolean {
  return !!sp.nodePort || sp.loadBalancerIPs.length > 0 || sp.externalIPs.length > 0;
}

function emptyRules(servicePortName: string): ServicePortRules {
  return {
    servicePortName,
    nat: { services: [], nodePorts: [], chains: [] },
    filter: { services: [], externalServices: [], nodePorts: [], proxyFirewall: [] },
  };
}

/** The Ready endpoints, else the Serving+Terminating ones (CategorizeEndpoints, per policy). */
export function usableEndpoints(eps: readonly Ep[]): Ep[] {
  const ready = eps.filter((e) => e.src.ready);
  return ready.length > 0 ? ready : eps.filter((e) => e.src.serving && e.src.terminating);
}

/**
 * Splits the endpoints as kube-proxy's CategorizeEndpoints does (no topology hints modelled):
 * Cluster policy uses the Ready endpoints, else the Serving+Terminating ones; Local policy does the
 * same among this node's endpoints. `hasAny`: some endpoint is usable anywhere in the cluster.
 */
function categorize(eps: Ep[], usesCluster: boolean, usesLocal: boolean, nodeName: string) {
  let cluster: Ep[] = [];
  let local: Ep[] = [];
  let hasAny = false;
  if (usesCluster) {
    cluster = usableEndpoints(eps);
    hasAny = cluster.length > 0;
  }
  if (!usesLocal) return { cluster, local, reachable: cluster, hasAny };
  const isLocal = (e: Ep): boolean => nodeName !== '' && e.src.nodeName === nodeName;
  let localReady = false;
  let localServingTerminating = false;
  for (const e of eps) {
    if (e.src.ready) {
      hasAny = true;
      if (isLocal(e)) localReady = true;
    } else if (e.src.serving && e.src.terminating) {
      hasAny = true;
      if (isLocal(e)) localServingTerminating = true;
    }
  }
  if (localReady) local = eps.filter((e) => isLocal(e) && e.src.ready);
  else if (localServingTerminating) local = eps.filter((e) => isLocal(e) && e.src.serving && e.src.terminating);
  if (!usesCluster) return { cluster, local, reachable: local, hasAny };
  // Ready local endpoints are a subset of the Ready cluster ones; only a terminating fallback on
  // the local side can add endpoints. (kube-proxy merges through a map, in random order; the
  // SEP chains' order is invisible once iptables-save sorts them, so keep the sorted order.)
  if (!localServingTerminating || localReady) return { cluster, local, reachable: cluster, hasAny };
  const inEither = new Set<Ep>([...cluster, ...local]);
  return { cluster, local, reachable: eps.filter((e) => inEither.has(e)), hasAny };
}

function generate(sp: ProxyServicePort, cfg: ProxyConfig, large: boolean, nodeIP: number | undefined): ServicePortRules {
  const clusterIP = sp.clusterIP === undefined ? undefined : tryParseIPv4(sp.clusterIP);
  // Headless (and ExternalName) services: kube-proxy's service tracker skips them entirely.
  if (clusterIP === undefined) return emptyRules('');
  const spn = servicePortNameString(sp.namespace, sp.name, sp.portName);
  const out = emptyRules(spn);
  const p = sp.protocol.toLowerCase() as L4;
  const owner: Owner = { by: 'kube-proxy', kind: 'Service', namespace: sp.namespace, name: sp.name };
  const epOwner = (e: Ep): Owner => ({ ...owner, endpoint: e.key });
  const r = (target: Target, ...matches: Match[]): Rule => rule(owner, target, ...matches);
  const protoMatch: Match = { m: 'proto', proto: p };
  const dport = (port: number): Match => ({ m: 'port', proto: p, dport: port });
  const local = localMatches(detectorOf(cfg));

  const externalIPs = ipv4s(sp.externalIPs);
  const lbIPs = ipv4s(sp.loadBalancerIPs);
  const ranges = sourceRanges(sp.loadBalancerSourceRanges);
  const extAccessible = !!sp.nodePort || lbIPs.length > 0 || externalIPs.length > 0;
  const itpLocal = sp.internalTrafficPolicy === 'Local';
  const etpLocal = sp.externalTrafficPolicy === 'Local' && extAccessible;
  const usesCluster = !itpLocal || extAccessible;
  const usesLocal = itpLocal || etpLocal;

  const eps = normalizedEndpoints(sp);
  const cat = categorize(eps, usesCluster, usesLocal, cfg.nodeName);
  const hasEndpoints = cat.hasAny;

  const svcChain = servicePortChainName('KUBE-SVC-', spn, p);
  const svlChain = servicePortChainName('KUBE-SVL-', spn, p);
  const extChain = servicePortChainName('KUBE-EXT-', spn, p);
  const fwChain = servicePortChainName('KUBE-FW-', spn, p);
  const usesSvc = cat.cluster.length > 0 && usesCluster;
  const usesSvl = cat.local.length > 0 && usesLocal;
  const internalChain = itpLocal ? svlChain : svcChain;
  const hasInternal = hasEndpoints && !(itpLocal && cat.local.length === 0);
  const externalPolicyChain = etpLocal ? svlChain : svcChain;
  const hasExternal = hasEndpoints && !(etpLocal && cat.local.length === 0);
  const usesExt = hasEndpoints && extAccessible;
  const usesFw = hasEndpoints && lbIPs.length > 0 && ranges.length > 0;
  const lbChain = usesFw ? fwChain : extChain;

  // What filter does with traffic nat did not DNAT: no endpoints anywhere → REJECT (ICMP port
  // unreachable: "connection refused"); endpoints but none local for a Local policy → DROP.
  const noEndpoints = `${spn} has no endpoints`;
  const noLocal = `${spn} has no local endpoints`;
  const [verdict, verdictComment]: [Target, string] = hasEndpoints ? [{ t: 'DROP' }, noLocal] : [REJECT, noEndpoints];

  // Cluster IP.
  const clusterIPComment = comment(`${spn} cluster IP`);
  const toClusterIP: Match[] = [{ m: 'dst', net: host(clusterIP) }, protoMatch, clusterIPComment, dport(sp.port)];
  if (hasInternal) out.nat.services.push(r(jump(internalChain), ...toClusterIP));
  else out.filter.services.push(r(verdict, { m: 'dst', net: host(clusterIP) }, protoMatch, comment(verdictComment), dport(sp.port)));

  // External IPs.
  for (const ip of externalIPs) {
    if (hasEndpoints) out.nat.services.push(r(jump(extChain), { m: 'dst', net: host(ip) }, protoMatch, comment(`${spn} external IP`), dport(sp.port)));
    if (!hasExternal) out.filter.externalServices.push(r(verdict, { m: 'dst', net: host(ip) }, protoMatch, comment(verdictComment), dport(sp.port)));
  }

  // Load-balancer IPs.
  for (const ip of lbIPs) {
    if (hasEndpoints) out.nat.services.push(r(jump(lbChain), { m: 'dst', net: host(ip) }, protoMatch, comment(`${spn} loadbalancer IP`), dport(sp.port)));
    if (usesFw) out.filter.proxyFirewall.push(r({ t: 'DROP' }, { m: 'dst', net: host(ip) }, protoMatch, comment(`${spn} traffic not accepted by ${fwChain}`), dport(sp.port)));
  }
  if (!hasExternal) {
    for (const ip of lbIPs) out.filter.externalServices.push(r(verdict, { m: 'dst', net: host(ip) }, protoMatch, comment(verdictComment), dport(sp.port)));
  }

  // NodePort (not subject to loadBalancerSourceRanges).
  if (sp.nodePort) {
    if (hasEndpoints) out.nat.nodePorts.push(r(jump(extChain), protoMatch, comment(spn), dport(sp.nodePort)));
    if (!hasExternal) out.filter.externalServices.push(r(verdict, protoMatch, comment(verdictComment), { m: 'addrtype', dstType: 'LOCAL' }, dport(sp.nodePort)));
  }

  // healthCheckNodePort (LoadBalancer + externalTrafficPolicy Local only): accepted whether or not
  // this node has local endpoints; the health server answers 200 or 503.
  if (sp.healthCheckNodePort && sp.externalTrafficPolicy === 'Local') {
    out.filter.nodePorts.push(
      r({ t: 'ACCEPT' }, { m: 'proto', proto: 'tcp' }, comment(`${spn} health check node port`), { m: 'port', proto: 'tcp', dport: sp.healthCheckNodePort }),
    );
  }

  // The port's own nat chains; the internal chain starts with the masquerade rule.
  const chainRules = new Map<string, Rule[]>();
  const chainOf = (name: string): Rule[] => {
    let rules = chainRules.get(name);
    if (!rules) chainRules.set(name, (rules = []));
    return rules;
  };
  if (hasInternal) {
    if (cfg.masqueradeAll) chainOf(internalChain).push(r(MARK_MASQ, ...toClusterIP));
    // Off-cluster sources reaching the cluster IP (a route to the service range via a node) may
    // be answered from another node, so they are SNATed.
    else if (local) chainOf(internalChain).push(r(MARK_MASQ, ...withHeaderMatch(toClusterIP, local.notLocal)));
  }

  if (usesExt) {
    const ext = chainOf(extChain);
    if (!etpLocal) {
      ext.push(r(MARK_MASQ, comment(`masquerade traffic for ${spn} external destinations`)));
    } else {
      // Pods reaching an external address are treated as if they went out to the LB and back:
      // neither policy applies, no masquerade.
      if (local) ext.push(r(jump(svcChain), local.local, comment(`pod traffic for ${spn} external destinations`)));
      // The node itself: its source would be the (local) external IP, so masquerade and use Cluster.
      ext.push(r(MARK_MASQ, comment(`masquerade LOCAL traffic for ${spn} external destinations`), { m: 'addrtype', srcType: 'LOCAL' }));
      ext.push(r(jump(svcChain), comment(`route LOCAL traffic for ${spn} external destinations`), { m: 'addrtype', srcType: 'LOCAL' }));
    }
    if (hasExternal) ext.push(r(jump(externalPolicyChain)));
  }

  if (usesFw) {
    const fw = chainOf(fwChain);
    const lbComment = comment(`${spn} loadbalancer IP`);
    let allowFromNode = false;
    for (const net of ranges) {
      fw.push(r(jump(extChain), { m: 'src', net }, lbComment));
      if (nodeIP !== undefined && inSubnet(nodeIP, net.ip, net.prefixLen)) allowFromNode = true;
    }
    // A VIP that is also a local address loops node→VIP traffic back with the VIP as source.
    if (allowFromNode) for (const ip of lbIPs) fw.push(r(jump(extChain), { m: 'src', net: host(ip) }, lbComment));
    // Target-less: it only counts what falls through to KUBE-PROXY-FIREWALL's DROP.
    fw.push(r({ t: 'none' }, comment(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)));
  }

  const affinity = sp.sessionAffinity;
  const epChains = new Map<Ep, string>();
  const sepOf = (e: Ep): string => {
    let name = epChains.get(e);
    if (!name) epChains.set(e, (name = endpointChainName(spn, p, e.key)));
    return name;
  };
  const toEndpoints = (chain: string, list: Ep[]): void => {
    const rules = chainOf(chain);
    const epComment = (e: Ep): Match[] => (large ? [] : [comment(`${spn} -> ${e.key}`)]);
    if (affinity) {
      for (const e of list) {
        const sep = sepOf(e);
        rules.push(
          rule(epOwner(e), jump(sep), ...epComment(e), {
            m: 'recent',
            name: sep,
            mask: '255.255.255.255',
            op: 'rcheck',
            seconds: affinity.timeoutSeconds,
            reap: true,
            rsource: true,
          }),
        );
      }
    }
    // Endpoint i of n matches with probability 1/(n−i), so each is picked 1/n of the time.
    const n = list.length;
    list.forEach((e, i) => {
      const m = epComment(e);
      if (i < n - 1) m.push({ m: 'statistic', probability: endpointProbability(n - i) });
      rules.push(rule(epOwner(e), jump(sepOf(e)), ...m));
    });
  };
  if (usesSvc) toEndpoints(svcChain, cat.cluster);
  if (usesSvl) toEndpoints(svlChain, cat.local);

  for (const e of cat.reachable) {
    const sep = sepOf(e);
    const o = epOwner(e);
    const svcComment = large ? [] : [comment(spn)];
    const rules = chainOf(sep);
    // Hairpin: a pod reaching itself through the service must be SNATed or it answers itself directly.
    rules.push(rule(o, MARK_MASQ, { m: 'src', net: host(e.ip) }, ...svcComment));
    const dnat: Match[] = [protoMatch, ...svcComment];
    if (affinity) dnat.push({ m: 'recent', name: sep, mask: '255.255.255.255', op: 'set', rsource: true });
    dnat.push({ m: 'port', proto: p });
    rules.push(rule(o, { t: 'DNAT', to: e.key }, ...dnat));
  }

  for (const [name, rules] of chainRules) out.nat.chains.push({ name, rules });
  return out;
}

/** What generating a port needs from the node's configuration, worked out once per node. */
interface NodeContext {
  cfg: ProxyConfig;
  large: boolean;
  nodeIP: number | undefined;
  /** Memo key of the node-independent configuration. */
  key: string;
}

function nodeContext(cfg: ProxyConfig, large: boolean): NodeContext {
  return { cfg, large, nodeIP: primaryNodeIP(cfg), key: `${detectorKey(detectorOf(cfg))}|${cfg.masqueradeAll}|${large}` };
}

const sharedCache = new WeakMap<ProxyServicePort, Map<string, ServicePortRules>>();

/**
 * The memo key of a port on a node: the configuration, plus what of the node the port's rules
 * can see — which of its endpoints are local (Local policies only) and whether a
 * loadBalancerSourceRange holds the node IP. Nodes that look the same to a port share its rules;
 * for a Cluster-policy port that is every node.
 */
function rulesFor(sp: ProxyServicePort, ctx: NodeContext): ServicePortRules {
  let key = ctx.key;
  if (usesLocalEndpoints(sp)) {
    const node = ctx.cfg.nodeName;
    key += '|local:';
    if (node !== '')
      normalizedEndpoints(sp).forEach((e, i) => {
        e.src.nodeName === node && (key += `${i},`);
      });
  }
  const nodeIP = ctx.nodeIP;
  if (nodeIP !== undefined && sp.loadBalancerIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0) {
    if (sourceRanges(sp.loadBalancerSourceRanges).some((n) => inSubnet(nodeIP, n.ip, n.prefixLen))) key += '|node';
  }
  let memo = sharedCache.get(sp);
  let rules = memo?.get(key);
  if (rules) return rules;
  rules = generate(sp, ctx.cfg, ctx.large, nodeIP);
  if (!memo) sharedCache.set(sp, (memo = new Map()));
  memo.set(key, rules);
  return rules;
}

/**
 * Everything one service port contributes on a node. The result is memoised on the `sp` object:
 * ports whose rules do not depend on the node (no Local traffic policy) are computed once per
 * configuration and shared by every node — with 5,000 nodes the per-service chains then exist
 * once, not 5,000 times — and Local-policy ports once per distinct set of local endpoints (most
 * nodes have none). So inputs must not be mutated in place (new state, new objects), and the
 * returned rules and chains must be treated as immutable.
 */
export function servicePortChains(sp: ProxyServicePort, cfg: ProxyConfig, opts: ServicePortOptions = {}): ServicePortRules {
  return rulesFor(sp, nodeContext(cfg, !!opts.largeCluster));
}

/** kube-proxy's node IP for its family: the first IPv4 of the node's addresses. */
function primaryNodeIP(cfg: ProxyConfig): number | undefined {
  for (const s of cfg.nodeIPs) {
    const ip = tryParseIPv4(s);
    if (ip !== undefined) return ip;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The whole node

/** Endpoints kube-proxy counts for large-cluster mode: every (deduplicated) endpoint of every proxied port. */
export function totalEndpoints(services: readonly ProxyServicePort[]): number {
  let n = 0;
  for (const sp of services) if (sp.clusterIP !== undefined && tryParseIPv4(sp.clusterIP) !== undefined) n += normalizedEndpoints(sp).length;
  return n;
}

/** The service list in layout order and its endpoint total, shared by every node given the same array. */
const layoutCache = new WeakMap<readonly ProxyServicePort[], { ordered: ProxyServicePort[]; large: boolean }>();

function layout(services: readonly ProxyServicePort[]): { ordered: ProxyServicePort[]; large: boolean } {
  let l = layoutCache.get(services);
  if (!l) {
    const ordered = services
      .map((sp) => ({ sp, spn: servicePortNameString(sp.namespace, sp.name, sp.portName), proto: sp.protocol.toLowerCase() }))
      .sort((a, b) => (a.spn < b.spn ? -1 : a.spn > b.spn ? 1 : a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : 0))
      .map((x) => x.sp);
    l = { ordered, large: totalEndpoints(services) > LARGE_CLUSTER_ENDPOINTS_THRESHOLD };
    layoutCache.set(services, l);
  }
  return l;
}

/**
 * kube-proxy's and kubelet's chains on one node. Service ports are laid out sorted by service
 * port name, then protocol (kube-proxy walks a Go map, so a real node's KUBE-SERVICES order varies
 * from sync to sync; within one port the order is kube-proxy's). Per node the work is linear in
 * the number of rules in the shared top-level chains; the sort, the large-cluster count and the
 * Cluster-policy ports' chains are computed once for all nodes given the same `services` array.
 */
export function kubeProxyTables(services: readonly ProxyServicePort[], cfg: ProxyConfig): KubeProxyTables {
  const tables = kubeProxyBaseChains(cfg);
  const { ordered, large } = layout(services);
  const ctx = nodeContext(cfg, large);
  const chain = (list: Chain[], name: string): Chain => list.find((c) => c.name === name)!;
  const natServices = chain(tables.nat, 'KUBE-SERVICES').rules;
  const natNodePorts = chain(tables.nat, 'KUBE-NODEPORTS').rules;
  const filterServices = chain(tables.filter, 'KUBE-SERVICES').rules;
  const filterExternal = chain(tables.filter, 'KUBE-EXTERNAL-SERVICES').rules;
  const filterNodePorts = chain(tables.filter, 'KUBE-NODEPORTS').rules;
  const filterFirewall = chain(tables.filter, 'KUBE-PROXY-FIREWALL').rules;

  for (const sp of ordered) {
    const r = rulesFor(sp, ctx);
    for (const x of r.nat.services) natServices.push(x);
    for (const x of r.nat.nodePorts) natNodePorts.push(x);
    for (const c of r.nat.chains) tables.nat.push(c);
    for (const x of r.filter.services) filterServices.push(x);
    for (const x of r.filter.externalServices) filterExternal.push(x);
    for (const x of r.filter.nodePorts) filterNodePorts.push(x);
    for (const x of r.filter.proxyFirewall) filterFirewall.push(x);
  }
  natServices.push(...nodePortsJumps(cfg));
  return tables;
}

/**
 * The tail of nat KUBE-SERVICES: NodePorts are tried only after every service IP. With
 * nodePortAddresses unset, for any local destination (but 127.0.0.0/8 when localhost NodePorts
 * are off); otherwise one rule per selected node address (loopback ones only with localhost
 * NodePorts on).
 */
function nodePortsJumps(cfg: ProxyConfig): Rule[] {
  const localhost = cfg.localhostNodePorts ?? true;
  const last = comment(NODEPORTS_LAST_RULE_COMMENT);
  if (cfg.nodePortIPs === undefined) {
    const local: Match = { m: 'addrtype', dstType: 'LOCAL' };
    return [localhost ? rule(KUBE_PROXY, jump('KUBE-NODEPORTS'), last, local) : rule(KUBE_PROXY, jump('KUBE-NODEPORTS'), { m: 'dst', net: LOOPBACK, invert: true }, last, local)];
  }
  const out: Rule[] = [];
  for (const s of cfg.nodePortIPs) {
    const ip = tryParseIPv4(s);
    if (ip === undefined || (!localhost && inSubnet(ip, LOOPBACK.ip, LOOPBACK.prefixLen))) continue;
    out.push(rule(KUBE_PROXY, jump('KUBE-NODEPORTS'), { m: 'dst', net: host(ip) }, last));
  }
  return out;
}
