// Cluster invariants: what must hold in any converged cluster, checked from what Kubernetes,
// Flannel, kube-proxy and CoreDNS promise — never by re-running the simulator's controllers —
// so a bug in a controller shows up as a violation instead of being reproduced by the check.

import {
  answer,
  dnsData,
  getAgent,
  inSubnet,
  ipToString,
  listObjects,
  nodeNetns,
  nodeRuleset,
  parseCIDR,
  ruleSpec,
  servingCorefile,
  tryParseIPv4,
  type Cluster,
  type ClusterState,
  type Corefile,
  type Node,
  type Pod,
  type Ruleset,
  type Service,
} from '@k8s-netsim/core';

/** One broken invariant. */
export interface InvariantViolation {
  /** Stable id of the invariant (listed on {@link checkInvariants}). */
  invariant: string;
  /** What is wrong, naming the object and the values involved. */
  message: string;
  /** The object at fault: `pod/<ns>/<name>`, `service/<ns>/<name>`, `node/<name>`. */
  object?: string;
}

type Report = (invariant: string, message: string, object?: string) => void;

/**
 * Check a cluster against the invariants a real kubeadm + Flannel + kube-proxy (iptables) +
 * CoreDNS cluster keeps once converged. Returns every violation found; `[]` when sound.
 *
 * Invariant ids:
 * - `pod-ip-unique` — no two live (not Succeeded/Failed) pod-network pods share an IP.
 * - `pod-ip-in-node-cidr` — a pod-network pod's IP lies in its node's `spec.podCIDR`.
 * - `pod-ip-host-network` — a hostNetwork pod's IP is its node's InternalIP.
 * - `cluster-ip-unique` — a ClusterIP belongs to one Service.
 * - `cluster-ip-in-range` — a ClusterIP is a usable address of `config.serviceCIDR`.
 * - `node-port-unique` — a nodePort or healthCheckNodePort number belongs to one Service (the
 *   API server has one allocator for all protocols; a Service may reuse a number across
 *   protocols, never for the same protocol, nor as its own healthCheckNodePort).
 * - `node-port-in-range` — nodePorts and healthCheckNodePorts are in 30000-32767.
 * - `lb-ip-unique` — a LoadBalancer ingress IP belongs to one Service (unless the Services share
 *   it through MetalLB's `allow-shared-ip` annotation with the same key).
 * - `lb-ip-in-pool` — MetalLB only hands out addresses of its pool (`a-b` ranges or CIDRs).
 * - `endpoints-match-pods` — a selector Service's Endpoints list as ready addresses exactly its
 *   ready pods (same namespace, selected, with an IP, Running with condition Ready, or any live
 *   pod under `publishNotReadyAddresses`), those resolving at least one of its ports.
 * - `endpointslices-match-pods` — the same for the ready endpoints of its controller-managed
 *   EndpointSlices (there a pod counts even when no port resolves, as the controller does).
 *   Terminating pods are left out of both comparisons.
 * - `flannel-lease` — where flanneld runs, the node carries its lease: podCIDR, and annotations
 *   with its backend, its InternalIP and (VXLAN) its VTEP MAC.
 * - `overlay-routes`, `overlay-neighbours`, `overlay-fdb` — on every node running flanneld, the
 *   routes into the Flannel network (other than cni0's), the neighbours and the FDB on the VXLAN
 *   device are exactly one per peer lease of the same backend: VXLAN
 *   `10.244.M.0/24 via 10.244.M.0 dev flannel.1 onlink`, a PERMANENT neighbour to the peer's
 *   VtepMAC and an FDB entry from that MAC to the peer's public IP; host-gw
 *   `10.244.M.0/24 via <peer IP> dev eth0`.
 * - `iptables-jump-target`, `iptables-chain-referenced` — see {@link checkRuleset}, run on
 *   every node's ruleset.
 * - `dns-service-record` — `<svc>.<ns>.svc.<clusterDomain>` answers A records with the
 *   ClusterIPs, or for a headless Service the ready addresses of its EndpointSlices (none: no
 *   A record); an ExternalName Service answers a CNAME to its externalName. Checked only when
 *   CoreDNS has loaded a Corefile whose kubernetes plugin serves the cluster domain.
 */
export function checkInvariants(cluster: Cluster): InvariantViolation[] {
  const state = cluster.state;
  const out: InvariantViolation[] = [];
  const report: Report = (invariant, message, object) => out.push(object ? { invariant, message, object } : { invariant, message });
  checkPodIPs(state, report);
  checkServiceAllocations(state, report);
  checkEndpoints(state, report);
  checkOverlay(state, report);
  for (const node of state.nodeOrder) out.push(...checkRuleset(nodeRuleset(state, node), node));
  checkDns(state, report);
  return out;
}

// ---- helpers ------------------------------------------------------------------------------

const key = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
const internalIP = (n: Node) => n.status.addresses.find((a) => a.type === 'InternalIP')?.address;
const inCIDR = (ip: string, cidr: string) => {
  const n = tryParseIPv4(ip);
  const c = parseCIDR(cidr);
  return n !== undefined && inSubnet(n, c.ip, c.prefixLen);
};
/** Succeeded/Failed pods keep status.podIP, but their sandbox (and so the address) is gone. */
const terminal = (p: Pod) => p.status.phase === 'Succeeded' || p.status.phase === 'Failed';
const isReady = (p: Pod) => p.status.phase === 'Running' && (p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
const list = (xs: Iterable<string>) => [...xs].join(', ');

/** Report `want` entries missing from `have` and `have` entries not in `want`. */
function diff(want: Map<string, string>, have: Set<string>, report: (kind: 'missing' | 'unexpected', entry: string, why: string) => void): void {
  for (const [entry, why] of want) if (!have.has(entry)) report('missing', entry, why);
  for (const entry of have) if (!want.has(entry)) report('unexpected', entry, '');
}

// ---- 1. pod addresses -----------------------------------------------------------------------

function checkPodIPs(state: ClusterState, report: Report): void {
  const owners = new Map<string, string>();
  for (const pod of listObjects(state, 'Pod')) {
    const ip = pod.status.podIP;
    if (!ip) continue;
    const k = key(pod);
    const node = pod.spec.nodeName ? state.nodes[pod.spec.nodeName] : undefined;
    if (pod.spec.hostNetwork) {
      // The pod shares the node's network namespace, so it reports the node's address.
      if (node && ip !== internalIP(node))
        report('pod-ip-host-network', `hostNetwork pod ${k} has IP ${ip}, not its node ${node.metadata.name}'s InternalIP ${internalIP(node)}`, `pod/${k}`);
      continue;
    }
    if (!terminal(pod)) {
      const other = owners.get(ip);
      if (other) report('pod-ip-unique', `pod ${k} has IP ${ip}, already the IP of pod ${other}`, `pod/${k}`);
      else owners.set(ip, k);
    }
    // host-local IPAM allocates from the node's podCIDR (Flannel's subnet for the node).
    const cidr = node?.spec.podCIDR;
    if (node && (!cidr || !inCIDR(ip, cidr)))
      report('pod-ip-in-node-cidr', `pod ${k} has IP ${ip}, outside its node ${node.metadata.name}'s podCIDR ${cidr ?? '(none)'}`, `pod/${k}`);
  }
}

// ---- 2. Service allocations -----------------------------------------------------------------

const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
const SHARED_IP_ANNOTATIONS = ['metallb.io/allow-shared-ip', 'metallb.universe.tf/allow-shared-ip'];

function inPool(ip: number, pool: readonly string[]): boolean {
  return pool.some((entry) => {
    const dash = entry.indexOf('-');
    if (dash < 0) {
      const c = parseCIDR(entry.trim());
      return inSubnet(ip, c.ip, c.prefixLen);
    }
    const from = tryParseIPv4(entry.slice(0, dash).trim());
    const to = tryParseIPv4(entry.slice(dash + 1).trim());
    return from !== undefined && to !== undefined && ip >= from && ip <= to;
  });
}

function checkServiceAllocations(state: ClusterState, report: Report): void {
  const svcNet = parseCIDR(state.config.serviceCIDR);
  const size = 2 ** (32 - svcNet.prefixLen);
  const first = ((svcNet.ip & ~(size - 1)) >>> 0) + 1;
  const last = first + size - 3; // neither the network nor the broadcast address is allocated
  const lb = state.config.loadBalancer;
  const ipOwners = new Map<string, string>();
  const portOwners = new Map<number, string>();
  const lbOwners = new Map<string, { svc: string; share?: string }>();
  for (const svc of listObjects(state, 'Service')) {
    const k = key(svc);
    const obj = `service/${k}`;
    if (svc.spec.type !== 'ExternalName' && svc.spec.clusterIP !== 'None') {
      for (const ip of svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : [])) {
        const other = ipOwners.get(ip);
        if (other && other !== k) report('cluster-ip-unique', `service ${k} has ClusterIP ${ip}, already allocated to service ${other}`, obj);
        else ipOwners.set(ip, k);
        const n = tryParseIPv4(ip);
        if (n === undefined || n < first || n > last) report('cluster-ip-in-range', `service ${k} has ClusterIP ${ip}, outside the service CIDR ${state.config.serviceCIDR}`, obj);
      }
    }
    // The node-port allocator knows numbers, not protocols: gather the numbers this Service holds.
    const held = new Map<number, string>();
    const inRange = (port: number, what: string) => {
      if (port < NODE_PORT_MIN || port > NODE_PORT_MAX) report('node-port-in-range', `service ${k} has ${what}, outside ${NODE_PORT_MIN}-${NODE_PORT_MAX}`, obj);
    };
    const perProtocol = new Set<string>();
    for (const p of svc.spec.ports ?? []) {
      if (p.nodePort === undefined) continue;
      const what = `nodePort ${p.nodePort}/${p.protocol}`;
      inRange(p.nodePort, what);
      if (perProtocol.has(`${p.nodePort}/${p.protocol}`)) report('node-port-unique', `service ${k} uses ${what} twice`, obj);
      perProtocol.add(`${p.nodePort}/${p.protocol}`);
      if (!held.has(p.nodePort)) held.set(p.nodePort, what);
    }
    const hc = svc.spec.healthCheckNodePort;
    if (hc !== undefined) {
      const what = `healthCheckNodePort ${hc}`;
      inRange(hc, what);
      if (held.has(hc)) report('node-port-unique', `service ${k} has ${what}, which is also its ${held.get(hc)}`, obj);
      else held.set(hc, what);
    }
    for (const [port, what] of held) {
      const other = portOwners.get(port);
      if (other) report('node-port-unique', `service ${k} has ${what}, already allocated to service ${other}`, obj);
      else portOwners.set(port, k);
    }
    const share = SHARED_IP_ANNOTATIONS.map((a) => svc.metadata.annotations?.[a]).find((v) => v);
    for (const ing of svc.status.loadBalancer.ingress ?? []) {
      if (!ing.ip) continue;
      const other = lbOwners.get(ing.ip);
      if (!other) lbOwners.set(ing.ip, share ? { svc: k, share } : { svc: k });
      else if (!share || other.share !== share) report('lb-ip-unique', `service ${k} has load-balancer IP ${ing.ip}, already assigned to service ${other.svc}`, obj);
      // MetalLB serves LoadBalancer Services without a loadBalancerClass; others are not its doing.
      const n = tryParseIPv4(ing.ip);
      const metallb = lb.provider === 'metallb' && svc.spec.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
      if (metallb && (n === undefined || !inPool(n, lb.pool)))
        report('lb-ip-in-pool', `service ${k} has load-balancer IP ${ing.ip}, outside the MetalLB pool ${lb.pool.join(',')}`, obj);
    }
  }
}

// ---- 3. Endpoints and EndpointSlices ----------------------------------------------------------

const MANAGED_BY = 'endpointslice-controller.k8s.io';

/** podutil.FindPort: a number is taken as is, a name must be a container port of the same protocol. */
function resolvesAPort(svc: Service, pod: Pod): boolean {
  const ports = svc.spec.ports ?? [];
  if (ports.length === 0) return true;
  return ports.some((sp) => typeof sp.targetPort === 'number' || pod.spec.containers.some((c) => c.ports?.some((p) => p.name === sp.targetPort && p.protocol === sp.protocol)));
}

function checkEndpoints(state: ClusterState, report: Report): void {
  for (const svc of listObjects(state, 'Service')) {
    const selector = svc.spec.selector;
    // Services without a selector have user-managed endpoints; ExternalName has none.
    if (!selector || Object.keys(selector).length === 0 || svc.spec.type === 'ExternalName') continue;
    const ns = svc.metadata.namespace ?? 'default';
    const k = key(svc);
    const publish = svc.spec.publishNotReadyAddresses === true;
    const forSlices = new Map<string, string>();
    const forEndpoints = new Map<string, string>();
    const terminating = new Set<string>();
    for (const pod of Object.values(state.pods[ns] ?? {})) {
      const ip = pod.status.podIP;
      if (!ip || terminal(pod) || !Object.entries(selector).every(([l, v]) => pod.metadata.labels?.[l] === v)) continue;
      if (pod.metadata.deletionTimestamp) terminating.add(ip);
      else if (publish || isReady(pod)) {
        forSlices.set(ip, `pod ${pod.metadata.name}`);
        if (resolvesAPort(svc, pod)) forEndpoints.set(ip, `pod ${pod.metadata.name}`);
      }
    }
    const compare = (id: string, what: string, want: Map<string, string>, have: Set<string>) => {
      for (const ip of terminating) have.delete(ip);
      const problems: string[] = [];
      diff(want, have, (kind, ip, why) => problems.push(kind === 'missing' ? `missing ${ip} (${why})` : `unexpected ${ip}`));
      if (problems.length) report(id, `${what} of service ${k}: ${problems.join(', ')}`, `service/${k}`);
    };
    const ep = state.endpoints[ns]?.[svc.metadata.name];
    compare('endpoints-match-pods', 'Endpoints', forEndpoints, new Set(ep?.subsets?.flatMap((s) => s.addresses ?? []).map((a) => a.ip)));
    const slices = Object.values(state.endpointSlices[ns] ?? {}).filter(
      (s) =>
        s.addressType !== 'FQDN' &&
        s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name &&
        s.metadata.labels['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY,
    );
    // An unset `ready` means ready (the API's semantics).
    const ready = slices.flatMap((s) => s.endpoints.filter((e) => e.conditions.ready !== false && e.conditions.terminating !== true).flatMap((e) => e.addresses));
    compare('endpointslices-match-pods', 'EndpointSlices', forSlices, new Set(ready));
  }
}

// ---- 4. Flannel overlay -----------------------------------------------------------------------

const FLANNEL = 'flannel.alpha.coreos.com/';

interface PeerLease {
  node: string;
  subnet: string;
  backend: string;
  publicIP: string;
  vtepMac?: string;
}

/** Leases as flanneld's kube subnet manager reads them: only nodes it manages, with a podCIDR. */
function leases(state: ClusterState): PeerLease[] {
  const out: PeerLease[] = [];
  for (const name of state.nodeOrder) {
    const node = state.nodes[name];
    const a = node?.metadata.annotations ?? {};
    const subnet = node?.spec.podCIDR;
    const publicIP = a[`${FLANNEL}public-ip`];
    if (!subnet || a[`${FLANNEL}kube-subnet-manager`] !== 'true' || !publicIP || tryParseIPv4(publicIP) === undefined) continue;
    const lease: PeerLease = { node: name, subnet, backend: a[`${FLANNEL}backend-type`] ?? '', publicIP };
    try {
      const mac = (JSON.parse(a[`${FLANNEL}backend-data`] ?? 'null') as { VtepMAC?: string } | null)?.VtepMAC;
      if (mac) lease.vtepMac = mac;
    } catch {
      // flanneld cannot decode it either: no VTEP for this peer
    }
    out.push(lease);
  }
  return out;
}

function checkOverlay(state: ClusterState, report: Report): void {
  const all = leases(state);
  for (const name of state.nodeOrder) {
    const flannel = getAgent(state, name)?.flannel;
    const node = state.nodes[name];
    const netns = nodeNetns(state, name);
    if (!flannel || !node || !netns) continue;
    const obj = `node/${name}`;
    const dev = `flannel.${flannel.vxlan?.vni ?? 1}`;

    // flanneld publishes its own lease before programming anything.
    const own = all.find((l) => l.node === name);
    const problem = !own
      ? 'has no flannel lease (podCIDR and flannel.alpha.coreos.com annotations)'
      : own.backend !== flannel.backend
        ? `publishes backend ${own.backend}, but flanneld runs ${flannel.backend}`
        : own.publicIP !== internalIP(node)
          ? `publishes public-ip ${own.publicIP}, not its InternalIP ${internalIP(node)}`
          : flannel.backend === 'vxlan' && own.vtepMac !== flannel.vxlan?.vtepMac
            ? `publishes VtepMAC ${own.vtepMac ?? '(none)'}, but ${dev} has MAC ${flannel.vxlan?.vtepMac ?? '(no device)'}`
            : undefined;
    if (problem) report('flannel-lease', `node ${name} ${problem}`, obj);

    // Each backend programs only leases of its own type (vxlan and host-gw ignore the other's).
    const routes = new Map<string, string>();
    const neighbours = new Map<string, string>();
    const fdb = new Map<string, string>();
    for (const l of all) {
      if (l.node === name || l.backend !== flannel.backend) continue;
      const why = `lease of node ${l.node}`;
      if (l.backend === 'host-gw') routes.set(`${l.subnet} via ${l.publicIP} dev eth0`, why);
      else if (l.vtepMac) {
        const gw = l.subnet.slice(0, l.subnet.indexOf('/'));
        routes.set(`${l.subnet} via ${gw} dev ${dev} onlink`, why);
        neighbours.set(`${gw} dev ${dev} lladdr ${l.vtepMac} PERMANENT`, why);
        fdb.set(`${l.vtepMac} dev ${dev} dst ${l.publicIP} self permanent`, why);
      }
    }
    const network = parseCIDR(flannel.network);
    const haveRoutes = netns.routes
      .filter((r) => r.table === 'main' && r.dev !== 'cni0' && r.prefixLen > network.prefixLen && inSubnet(r.dst, network.ip, network.prefixLen))
      .map((r) => `${ipToString(r.dst)}/${r.prefixLen}${r.gateway !== undefined ? ` via ${ipToString(r.gateway)}` : ''} dev ${r.dev}${r.onlink ? ' onlink' : ''}`);
    const haveNeighbours = netns.neighbours.filter((n) => n.dev === dev).map((n) => `${ipToString(n.ip)} dev ${n.dev} lladdr ${n.lladdr ?? ''} ${n.state}`);
    const haveFdb = netns.fdb
      .filter((f) => f.dev === dev)
      .map((f) => `${f.mac} dev ${f.dev}${f.dst !== undefined ? ` dst ${ipToString(f.dst)}` : ''}${f.self ? ' self' : ''}${f.permanent ? ' permanent' : ''}`);
    const tables: [string, string, Map<string, string>, string[]][] = [
      ['overlay-routes', 'route', routes, haveRoutes],
      ['overlay-neighbours', 'neighbour', neighbours, haveNeighbours],
      ['overlay-fdb', 'FDB entry', fdb, haveFdb],
    ];
    for (const [id, what, want, have] of tables) {
      diff(want, new Set(have), (kind, entry, why) =>
        report(id, kind === 'missing' ? `node ${name} lacks ${what} ${entry} (${why})` : `node ${name} has ${what} ${entry}, matching no ${flannel.backend} peer lease`, obj),
      );
    }
  }
}

// ---- 5. netfilter -----------------------------------------------------------------------------

/** kube-proxy's per-service and per-endpoint chains: it deletes them once nothing jumps to them. */
const KUBE_PROXY_CHAIN = /^KUBE-(SVC|SVL|EXT|FW|SEP)-/;

/**
 * Check one ruleset (what `iptables-save` dumps on a node; `node` only names it in messages):
 * - `iptables-jump-target` — every `-j`/`-g` to a chain names a chain of the same table
 *   (`iptables-restore` rejects the ruleset otherwise).
 * - `iptables-chain-referenced` — every KUBE-SVC-/KUBE-SVL-/KUBE-EXT-/KUBE-FW-/KUBE-SEP- chain is
 *   the target of some rule other than its own (kube-proxy removes the stale ones).
 */
export function checkRuleset(ruleset: Ruleset, node?: string): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  const where = node ? `node ${node}: ` : '';
  const push = (invariant: string, message: string) => out.push(node ? { invariant, message: where + message, object: `node/${node}` } : { invariant, message });
  for (const table of ruleset.tables) {
    const names = new Set(table.chains.map((c) => c.name));
    const referenced = new Set<string>();
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        const t = rule.target;
        if (t.t !== 'jump' && t.t !== 'goto') continue;
        if (t.chain !== chain.name) referenced.add(t.chain);
        if (!names.has(t.chain)) push('iptables-jump-target', `table ${table.name}: \`${ruleSpec(chain.name, rule)}\` targets chain ${t.chain}, which does not exist`);
      }
    }
    for (const name of names) {
      if (KUBE_PROXY_CHAIN.test(name) && !referenced.has(name)) push('iptables-chain-referenced', `table ${table.name}: chain ${name} is not referenced by any rule`);
    }
  }
  return out;
}

// ---- 6. DNS -----------------------------------------------------------------------------------

const fqdn = (n: string) => (n.endsWith('.') ? n : `${n}.`).toLowerCase();
const isSubDomain = (zone: string, name: string) => zone === '.' || name === zone || name.endsWith(`.${zone}`);

/** Whether a server block on port 53 runs the kubernetes plugin for `<domain>`'s svc zone. */
function servesClusterDomain(cf: Corefile, domain: string): boolean {
  const svcZone = fqdn(`svc.${domain}`);
  return cf.serverBlocks.some(
    (b) =>
      b.zones.some((z) => z.port === 53 && z.transport === 'dns') &&
      b.plugins.some((p) => p.name === 'kubernetes' && 'primaryZone' in p && p.zones.some((z) => isSubDomain(z, svcZone))),
  );
}

function checkDns(state: ClusterState, report: Report): void {
  if (!state.coredns.corefile.trim()) return;
  let cf: Corefile;
  try {
    cf = servingCorefile(state);
  } catch {
    return; // nothing loaded: CoreDNS would not be serving
  }
  const domain = state.config.clusterDomain;
  if (!servesClusterDomain(cf, domain)) return;
  const data = dnsData(state);
  // Questions about Services never leave CoreDNS; an upstream that never answers keeps it so.
  const ctx = { clientIP: '127.0.0.1', upstream: () => ({ unreachable: true as const }) };
  const slicesByService = new Map<string, Set<string>>();
  for (const s of listObjects(state, 'EndpointSlice')) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc || s.addressType !== 'IPv4') continue;
    const k = `${s.metadata.namespace ?? 'default'}/${svc}`;
    const set = slicesByService.get(k) ?? new Set<string>();
    for (const e of s.endpoints) if (e.conditions.ready !== false) for (const a of e.addresses) set.add(a);
    slicesByService.set(k, set);
  }
  for (const svc of listObjects(state, 'Service')) {
    const k = key(svc);
    const name = fqdn(`${svc.metadata.name}.${svc.metadata.namespace ?? 'default'}.svc.${domain}`);
    if (svc.spec.type === 'ExternalName') {
      // CoreDNS serves an ExternalName only when it is a name (msg.Service.HostType is CNAME): an
      // IP address there, which the API server accepts, gets no record at all.
      if (tryParseIPv4(svc.spec.externalName ?? '') !== undefined || (svc.spec.externalName ?? '').includes(':')) continue;
      const want = fqdn(svc.spec.externalName ?? '');
      const got = answer(data, cf, { name, type: 'CNAME' }, ctx);
      const cnames = got.answer.filter((r) => r.type === 'CNAME' && fqdn(r.name) === name).map((r) => fqdn(r.data));
      if (cnames.length !== 1 || cnames[0] !== want)
        report('dns-service-record', `${name} answers CNAME [${list(cnames)}] (${got.rcode}), expected ${want} for ExternalName service ${k}`, `service/${k}`);
      continue;
    }
    const headless = svc.spec.clusterIP === 'None';
    const want = headless
      ? [...(slicesByService.get(k) ?? [])]
      : (svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : [])).filter((ip) => tryParseIPv4(ip) !== undefined);
    if (!headless && want.length === 0) continue; // no ClusterIP at all: the allocation checks say so
    const got = answer(data, cf, { name, type: 'A' }, ctx);
    const have = new Set(got.answer.filter((r) => r.type === 'A' && fqdn(r.name) === name).map((r) => r.data));
    const wantSet = new Set(want);
    if (have.size !== wantSet.size || [...wantSet].some((ip) => !have.has(ip))) {
      report('dns-service-record', `${name} answers A [${list(have)}] (${got.rcode}), expected [${list(wantSet)}] for ${headless ? 'headless ' : ''}service ${k}`, `service/${k}`);
    }
  }
}
