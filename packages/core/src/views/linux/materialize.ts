// The simulated cluster as real commands: a setup script that rebuilds every node's and pod's
// network namespace with iproute2 and iptables-restore — same interface names, indexes, MACs,
// MTUs, addresses, routes, neighbours, FDB entries, sysctls and rules as the simulator prints —
// and a teardown script that deletes exactly what setup created. Used to check the simulator
// against the kernel it imitates (test/kernel), and by `netsim materialize`.
//
// Layout (everything inside namespaces named PREFIX-…; nothing touches the host's interfaces):
//  - PREFIX-wire: the node network's switch, a bridge `lab0` with one port per node and the lab
//    host. A node's eth0 is a veth into it (the sandbox's stand-in for a NIC).
//  - PREFIX-lab: the lab host, which is also the node network's gateway (192.168.56.1): MetalLB
//    speakers' ARP answers become static neighbour entries there, externalIPs static routes, and
//    so do the routes the student added on the workstation.
//  - PREFIX-<node>: a node's root namespace; PREFIX-<cni-…>: a pod's (hostNetwork pods have none).
//    Under canal a pod's veth is Calico's: routed, no bridge, proxy ARP answering for the pod's
//    169.254.1.1; Felix's ipsets are restored before the rules that name them.

import { ipsetSave } from './ipset.js';
import type { Link, Netns, Route } from '../../dataplane/types.js';
import { nodeNetns, podNetns } from '../../dataplane/netns.js';
import { nodeRuleset } from '../../dataplane/netfilter/ruleset.js';
import { ipToString, parseCIDR } from '../../net/ipv4.js';
import { announcingNode } from '../../controllers/loadbalancer.js';
import { topology } from '../../packet/topology.js';
import { isNodeReady, nodeInternalIP } from '../../state/queries.js';
import { allAgents } from '../../state/store.js';
import type { ClusterState } from '../../state/types.js';
import { iptablesSave } from './iptables.js';

/** One real network namespace the setup script creates. */
export interface MaterializedNetns {
  /** The real namespace's name (`ip netns exec NAME …`). */
  name: string;
  role: 'wire' | 'lab' | 'node' | 'pod';
  /** The node it belongs to (node and pod namespaces). */
  node?: string;
  /** "ns/name" of the pod (pod namespaces). */
  pod?: string;
  /** The simulator's name for it: `root` for a node, `cni-…` for a pod. */
  simName?: string;
  /** Its addresses on eth0 (the node IP, the pod IP, the lab host's address). */
  ip?: string;
  /** Sockets the simulator says listen there (containers' ports; node daemons and hostNetwork pods). */
  listen: { protocol: 'TCP' | 'UDP'; port: number; address?: string }[];
}

export interface Materialized {
  prefix: string;
  namespaces: MaterializedNetns[];
  /** bash: builds everything; fails at the first error (`set -e`). */
  setup: string;
  /** bash: deletes every namespace setup made (and only those); safe to run twice. */
  teardown: string;
}

export interface MaterializeOptions {
  /** Prefix of every namespace name (default `netsim`): `[a-z0-9]` and `-`, at most 16 characters. */
  prefix?: string;
  /** iptables-save's version/backend line (the rules are the same). */
  iptablesVersion?: string;
}

const PREFIX = /^[a-z0-9][a-z0-9-]{0,15}$/;

/** The simulator's cluster as real namespaces: setup and teardown scripts, and what each holds. */
export function materialize(state: ClusterState, opts: MaterializeOptions = {}): Materialized {
  const prefix = opts.prefix ?? 'netsim';
  if (!PREFIX.test(prefix)) throw new Error(`materialize: prefix "${prefix}" must be 1–16 of [a-z0-9-], starting with a letter or digit`);
  const topo = topology(state);
  const namespaces: MaterializedNetns[] = [];
  const wire = `${prefix}-wire`;
  const lab = `${prefix}-lab`;
  const gateway = state.config.nodeGateway;
  const nodeNet = parseCIDR(state.config.nodeNetwork);
  namespaces.push({ name: wire, role: 'wire', listen: [] });
  namespaces.push({ name: lab, role: 'lab', ip: gateway, listen: [] });

  const out: string[] = [
    '#!/usr/bin/env bash',
    `# k8s-netsim: the simulated cluster as real network namespaces (prefix ${prefix}). Needs root,`,
    '# iproute2 and iptables. Undo with the teardown script.',
    'set -euo pipefail',
    '',
    '# A link gets its IPv6 link-local address when the kernel sees its carrier, which for a bridge',
    '# its link watcher reports up to a second after the first port comes up: wait for it (3 s at most),',
    '# so the kernel lists the links in the order they came up.',
    'wait_ll() {',
    '  for _ in $(seq 150); do',
    '    ip -n "$1" -6 addr show dev "$2" scope link | grep -q inet6 && return 0',
    '    sleep 0.02',
    '  done',
    '  echo "setup: $2 in $1 has no IPv6 link-local address after 3 s" >&2',
    '}',
    '',
  ];
  const realName = new Map<string, string>();
  const nodes = state.nodeOrder.filter((n) => state.nodes[n] && nodeNetns(state, n));
  for (const n of nodes) realName.set(`${n}\u0000root`, `${prefix}-${n}`);
  const pods: { key: string; node: string; ns: Netns }[] = [];
  for (const [nodeName, agent] of allAgents(state)) {
    for (const sb of Object.values(agent.sandboxes)) {
      if (!sb.network) continue;
      const [pns = '', pname = ''] = sb.pod.split('/');
      const ns = podNetns(state, pns, pname);
      if (!ns) continue;
      pods.push({ key: sb.pod, node: nodeName, ns });
      realName.set(`${nodeName}\u0000${ns.name}`, `${prefix}-${ns.name}`);
    }
  }
  pods.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  // Namespaces first (veths are created straight into their peer's namespace), each with IPv6
  // duplicate address detection off so link-local addresses are final at once, as on a booted host.
  const all = [wire, lab, ...nodes.map((n) => `${prefix}-${n}`), ...pods.map((p) => `${prefix}-${p.ns.name}`)];
  for (const name of all) out.push(`ip netns add ${name}`);
  for (const name of all) out.push(`ip netns exec ${name} sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0`);
  out.push('');

  // The node network: a switch in PREFIX-wire, the lab host on it.
  out.push(`# the node network ${state.config.nodeNetwork}: switch lab0, the lab host ${gateway}`);
  const wireCmds = ['link add name lab0 type bridge', 'link set lab0 up'];
  wireCmds.push(`link add name lab-host type veth peer name eth0 address 52:54:00:12:35:02 netns ${lab}`, 'link set lab-host master lab0', 'link set lab-host up');
  nodes.forEach((n, i) => {
    const ns = nodeNetns(state, n)!;
    const eth0 = ns.links.find((l) => l.name === 'eth0')!;
    wireCmds.push(
      `link add name port${i} type veth peer name eth0 index ${eth0.ifindex} address ${eth0.mac} netns ${prefix}-${n}`,
      `link set port${i} master lab0`,
      `link set port${i} up`,
    );
  });
  out.push(batch('ip', wire, wireCmds));
  const labCmds = ['link set lo up', 'link set eth0 up', `addr add ${gateway}/${nodeNet.prefixLen} brd ${ipToString(broadcast(nodeNet))} dev eth0`];
  // MetalLB (layer2): the announcing node's speaker answers ARP for the address with its MAC.
  for (const shard of Object.values(state.services)) {
    for (const svc of Object.values(shard)) {
      for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
        if (!ing.ip) continue;
        const node = announcingNode(state, svc, ing.ip);
        const mac = node ? nodeNetns(state, node)?.links.find((l) => l.name === 'eth0')?.mac : undefined;
        if (mac) labCmds.push(`neigh replace ${ing.ip} lladdr ${mac} dev eth0 nud permanent`);
      }
      // externalIPs: the lab routes each to the first Ready worker (as the simulator's lab does).
      for (const ip of svc.spec.externalIPs ?? []) {
        const node = externalIPNode(state);
        const via = node ? nodeInternalIP(state.nodes[node]!) : undefined;
        if (via) labCmds.push(`route replace ${ip}/32 via ${via} dev eth0`);
      }
    }
  }
  // The routes the student added on the workstation (`sudo ip route add …`), in their order.
  for (const r of state.workstationRoutes ?? []) {
    const opts = [r.via !== undefined ? `via ${r.via}` : '', `dev ${r.dev}`, r.metric ? `metric ${r.metric}` : '', r.proto ? `proto ${r.proto}` : '', r.src ? `src ${r.src}` : ''];
    labCmds.push(`route replace ${r.dst} ${opts.filter(Boolean).join(' ')}`);
  }
  out.push(batch('ip', lab, labCmds), '');

  // Nodes are set up in phases across all of them (base links, each node's first pod, the other
  // pods, then neighbours, FDB and rules), so the one wait for the bridges' carrier is shared.
  const base: string[] = [];
  const firstPods: string[] = [];
  const otherPods: string[] = [];
  const tail: string[] = [];
  const bridgesUp: [string, string][] = [];
  for (const n of nodes) {
    const ns = nodeNetns(state, n)!;
    const real = `${prefix}-${n}`;
    const ip = nodeInternalIP(state.nodes[n]!);
    namespaces.push({ name: real, role: 'node', node: n, simName: 'root', ...(ip ? { ip } : {}), listen: listeners(topo.nodeListeners.get(n)) });
    base.push(`# node ${n}`);
    base.push(`ip netns exec ${real} sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1`);
    // Links get carrier in the order a node's do (eth0 at boot, flannel.1 when flanneld starts, a
    // veth with its pod, cni0 with its first port), which is the order the kernel lists their
    // IPv6 link-local routes in. Each comes up in a way that gives it carrier in the same call
    // (a veth whose peer is already up; cni0 once a port is), so the order does not hang on
    // linkwatch, which reports a bridge's carrier change up to a second later.
    const bridgesWithPorts = new Set(ns.links.filter((l) => l.master).map((l) => l.master!));
    const calicoDevs = ns.links.filter((l) => l.kind === 'veth' && !l.master).map((l) => l.name);
    const cmds: string[] = ['link set lo up', 'link set eth0 up'];
    for (const link of [...ns.links].sort((a, b) => a.ifindex - b.ifindex)) {
      if (link.kind === 'bridge') cmds.push(`link add name ${link.name} index ${link.ifindex} address ${link.mac} mtu ${link.mtu} type bridge`);
      else if (link.kind === 'vxlan' && link.vxlan) {
        const v = link.vxlan;
        cmds.push(
          `link add name ${link.name} index ${link.ifindex} address ${link.mac} mtu ${link.mtu} type vxlan id ${v.id} local ${ipToString(v.local)} dev ${v.dev} dstport ${v.dstport}${v.learning ? '' : ' nolearning'}`,
        );
      } else continue;
      // An unused docker0 is up without carrier, as dockerd leaves it.
      if (!bridgesWithPorts.has(link.name)) cmds.push(`link set ${link.name} up`);
    }
    // A Calico workload's route and neighbour go on its veth, made with its pod.
    const onCali = (c: string) => calicoDevs.some((d) => c.includes(` dev ${d}`));
    cmds.push(...addressCommands(ns), ...routeCommands(ns).filter((c) => !onCali(c)), ...neighbourCommands(ns).filter((c) => !c.endsWith('dev cni0 nud reachable') && !onCali(c)));
    base.push(batch('ip', real, cmds));
    const podsHere = pods.filter((p) => p.node === n);
    for (const link of [...ns.links].sort((a, b) => a.ifindex - b.ifindex)) {
      if (link.kind !== 'veth') continue;
      const pod = podsHere.find((p) => p.ns.links.some((l) => l.name === 'eth0' && l.peerIfindex === link.ifindex && link.peerIfindex === l.ifindex));
      const peer = pod?.ns.links.find((l) => l.name === 'eth0');
      if (!pod || !peer) continue;
      const podReal = `${prefix}-${pod.ns.name}`;
      namespaces.push({
        name: podReal,
        role: 'pod',
        node: n,
        pod: pod.key,
        simName: pod.ns.name,
        ...(pod.ns.addresses.some((a) => a.label === 'eth0') ? { ip: ipToString(pod.ns.addresses.find((a) => a.label === 'eth0')!.ip) } : {}),
        listen: listeners(topo.podListeners.get(pod.key)),
      });
      if (!link.master) {
        // Calico's plugin: a routed veth, proxy ARP (answering at once) for the pod's 169.254.1.1,
        // the pod's /32 route and neighbour on it; in the pod, the link-scope gateway route first.
        otherPods.push(
          `# pod ${pod.key} (Calico)`,
          batch('ip', real, [
            `link add name ${link.name} index ${link.ifindex} address ${link.mac} mtu ${link.mtu} type veth peer name eth0 index ${peer.ifindex} address ${peer.mac} mtu ${peer.mtu} netns ${podReal}`,
          ]),
          `ip netns exec ${real} sysctl -qw net.ipv4.conf.${link.name}.proxy_arp=1 net.ipv4.neigh.${link.name}.proxy_delay=0`,
          batch('ip', podReal, ['link set lo up', 'link set eth0 up']),
          batch('ip', real, [`link set ${link.name} up`]),
          `wait_ll ${real} ${link.name}`,
          batch('ip', real, [
            ...routeCommands(ns).filter((c) => c.includes(` dev ${link.name} `) || c.endsWith(` dev ${link.name}`)),
            ...neighbourCommands(ns).filter((c) => c.includes(` dev ${link.name} `)),
          ]),
          batch('ip', podReal, [
            ...addressCommands(pod.ns),
            ...[...routeCommands(pod.ns)].sort((a, b) => Number(a.includes(' via ')) - Number(b.includes(' via '))),
            ...neighbourCommands(pod.ns),
          ]),
        );
        continue;
      }
      const master = link.master;
      const first = bridgesWithPorts.delete(master);
      const out = first ? firstPods : otherPods;
      out.push(`# pod ${pod.key}`);
      out.push(
        batch('ip', real, [
          `link add name ${link.name} index ${link.ifindex} address ${link.mac} mtu ${link.mtu} type veth peer name eth0 index ${peer.ifindex} address ${peer.mac} mtu ${peer.mtu} netns ${podReal}`,
          `link set ${link.name} master ${master}`,
        ]),
      );
      out.push(batch('ip', podReal, ['link set lo up', 'link set eth0 up']));
      out.push(batch('ip', real, [`link set ${link.name} up`, ...(first ? [`link set ${master} up`] : [])]), `wait_ll ${real} ${link.name}`);
      if (first) bridgesUp.push([real, master]);
      // flannel's CNI config (the bridge plugin's hairpinMode) sets the port's hairpin flag.
      out.push(`bridge -n ${real} link set dev ${link.name} hairpin ${hairpinOf(link) ? 'on' : 'off'}`);
      out.push(batch('ip', podReal, [...addressCommands(pod.ns), ...routeCommands(pod.ns), ...neighbourCommands(pod.ns)]));
    }
    // A bridge whose ports all belong to pods not materialised here still comes up.
    if (bridgesWithPorts.size)
      tail.push(
        batch(
          'ip',
          real,
          [...bridgesWithPorts].map((b) => `link set ${b} up`),
        ),
      );
    const late = neighbourCommands(ns).filter((c) => c.endsWith('dev cni0 nud reachable'));
    if (late.length) tail.push(batch('ip', real, late));
    const fdbCmds = ns.fdb
      // A learned entry (a pod's MAC on its port) cannot be added by hand: the kernel learns it
      // from the pod's first frames (its IPv6 multicast reports when eth0 comes up).
      .filter((f) => f.dst !== undefined && f.self)
      .map((f) => `fdb append ${f.mac} dev ${f.dev} dst ${ipToString(f.dst!)} self permanent`);
    if (fdbCmds.length) tail.push(batch('bridge', real, fdbCmds));
    const ruleset = nodeRuleset(state, n);
    // Felix's ipsets exist before the rules that name them.
    const sets = ipsetSave(ruleset, state.config.seed);
    if (sets) tail.push(`ip netns exec ${real} ipset restore <<'NETSIM_SETS'`, sets.trimEnd(), 'NETSIM_SETS');
    const rules = iptablesSave(ruleset, { ...(opts.iptablesVersion ? { version: opts.iptablesVersion } : {}) });
    tail.push(`ip netns exec ${real} iptables-restore <<'NETSIM_RULES'`, rules.trimEnd(), 'NETSIM_RULES', '');
  }
  out.push(...base, '', ...firstPods, '', ...bridgesUp.map(([ns, dev]) => `wait_ll ${ns} ${dev}`), '', ...otherPods, '', ...tail);

  const teardown = [
    '#!/usr/bin/env bash',
    `# k8s-netsim: deletes the namespaces the setup script made (prefix ${prefix}); safe to run twice.`,
    ...[...all].reverse().map((name) => `ip netns delete ${name} 2>/dev/null || true`),
    '',
  ].join('\n');
  return { prefix, namespaces, setup: `${out.join('\n')}\n`, teardown };
}

function batch(tool: 'ip' | 'bridge', ns: string, cmds: readonly string[]): string {
  return `${tool} -n ${ns} -batch - <<'EOF'\n${cmds.join('\n')}\nEOF`;
}

function broadcast(net: { ip: number; prefixLen: number }): number {
  return (net.ip | (~(0xffffffff << (32 - net.prefixLen)) >>> 0)) >>> 0;
}

function hairpinOf(link: Link): boolean {
  return (link as Link & { hairpin?: boolean }).hairpin !== false;
}

function listeners(list: readonly { protocol: string; port: number; address?: number }[] | undefined): MaterializedNetns['listen'] {
  const seen = new Set<string>();
  const res: MaterializedNetns['listen'] = [];
  for (const l of list ?? []) {
    if (l.protocol !== 'TCP' && l.protocol !== 'UDP') continue;
    const key = `${l.protocol}/${l.port}/${l.address ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    res.push({ protocol: l.protocol, port: l.port, ...(l.address !== undefined ? { address: ipToString(l.address) } : {}) });
  }
  return res;
}

/** The first Ready worker: where the lab routes a Service's externalIPs. */
function externalIPNode(state: ClusterState): string | undefined {
  return (
    state.nodeOrder.find((n) => state.nodes[n] && isNodeReady(state.nodes[n]!) && state.nodes[n]!.metadata.labels?.['node-role.kubernetes.io/control-plane'] === undefined) ??
    state.nodeOrder[0]
  );
}

function addressCommands(ns: Netns): string[] {
  return ns.addresses
    .filter((a) => a.label !== 'lo')
    .map((a) => `addr add ${ipToString(a.ip)}/${a.prefixLen}${a.broadcast !== undefined ? ` brd ${ipToString(a.broadcast)}` : ''} dev ${a.label}`);
}

/** Routes the kernel does not derive from addresses (the main table's non-`proto kernel` ones). */
function routeCommands(ns: Netns): string[] {
  return ns.routes.filter((r) => r.table === 'main' && r.proto !== 'kernel').map(routeAdd);
}

function routeAdd(r: Route): string {
  let s = `route add ${r.prefixLen === 0 ? 'default' : `${ipToString(r.dst)}/${r.prefixLen}`}`;
  if (r.gateway !== undefined) s += ` via ${ipToString(r.gateway)}`;
  s += ` dev ${r.dev}`;
  if (r.proto) s += ` proto ${r.proto}`;
  if (r.scope) s += ` scope ${r.scope}`;
  if (r.src !== undefined) s += ` src ${ipToString(r.src)}`;
  if (r.metric !== undefined) s += ` metric ${r.metric}`;
  if (r.onlink) s += ' onlink';
  return s;
}

function neighbourCommands(ns: Netns): string[] {
  return ns.neighbours
    .filter((n) => n.lladdr)
    .map((n) => `neigh replace ${ipToString(n.ip)} lladdr ${n.lladdr} dev ${n.dev} nud ${n.state === 'PERMANENT' ? 'permanent' : n.state === 'STALE' ? 'stale' : 'reachable'}`);
}
