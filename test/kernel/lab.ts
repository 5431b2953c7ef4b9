// A simulated cluster made real: materialise it into network namespaces (the core's
// `materialize`), read every namespace back with the real tools, and tear it down.

import { execFileSync, spawnSync } from 'node:child_process';
import {
  bridgeFdb,
  type Cluster,
  iptablesSave,
  ipAddr,
  ipLink,
  ipNeigh,
  ipRoute,
  materialize,
  type Materialized,
  type MaterializedNetns,
  type Netns,
  nodeNetns,
  nodeRuleset,
  podNetns,
} from '@k8s-netsim/core';

export interface Lab {
  cluster: Cluster;
  m: Materialized;
  /** Seconds the setup script took. */
  setupSeconds: number;
}

function bash(script: string): void {
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`setup failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
}

/** Builds the cluster's namespaces (tearing down leftovers of an earlier run with the same prefix first). */
export function buildLab(cluster: Cluster, prefix: string): Lab {
  const m = materialize(cluster.state, { prefix });
  bash(m.teardown);
  const t0 = performance.now();
  try {
    // The harness sends many connections a second: the kernel's ICMP rate limit (1 per second
    // after a burst) would turn later refusals into timeouts, so it is off in the lab.
    bash(`${m.setup}\n${m.namespaces.map((n) => `ip netns exec ${n.name} sysctl -qw net.ipv4.icmp_ratelimit=0`).join('\n')}\n`);
  } catch (e) {
    bash(m.teardown);
    throw e;
  }
  return { cluster, m, setupSeconds: (performance.now() - t0) / 1000 };
}

export function teardownLab(lab: Lab): void {
  bash(lab.m.teardown);
}

/** A real command in a namespace; its stdout. */
export function inNetns(ns: string, args: readonly string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

export interface StateMismatch {
  netns: string;
  what: string;
  simulator: string;
  kernel: string;
}

/** The simulator's namespace behind a materialised one. */
function simNetns(lab: Lab, ns: MaterializedNetns): Netns | undefined {
  const state = lab.cluster.state;
  if (ns.role === 'node') return nodeNetns(state, ns.node!);
  if (ns.role === 'pod') {
    const [pns = '', name = ''] = ns.pod!.split('/');
    return podNetns(state, pns, name);
  }
  return undefined;
}

/**
 * What the sandbox cannot make identical, and only that: a node's eth0 is a veth into the lab's
 * switch (the simulator's is a NIC: no `@ifN`, no peer namespace, qdisc fq_codel, which this
 * kernel lacks); namespace names carry the prefix; a pod sees its node's namespace by name
 * (the node's root netns is named here, unnamed on a real node, so `link-netnsid 0` there).
 */
function normaliser(lab: Lab, ns: MaterializedNetns): (s: string) => string {
  const prefix = `${lab.m.prefix}-`;
  return (s) => {
    let t = s.split(`link-netns ${prefix}`).join('link-netns ');
    if (ns.role === 'node') {
      t = t.replace(/^(\d+): eth0@if\d+: (.*) qdisc \S+ /gm, '$1: eth0: $2 qdisc NIC ').replace(/^(\d+): eth0: (.*) qdisc fq_codel /gm, '$1: eth0: $2 qdisc NIC ');
      t = t.replace(/^(\s+link\/ether \S+ brd \S+) link-netns wire$/gm, '$1');
    }
    // Pod namespaces under docker are unnamed (`link-netnsid N`); here every one has a name.
    t = t.replace(/link-netns \S+|link-netnsid \d+/g, 'link-netns(peer)');
    return t;
  };
}

/** Non-permanent neighbour states age (REACHABLE → STALE → DELAY) with time and traffic. */
function neighNormal(s: string): string {
  return s
    .split('\n')
    .filter((l) => l.trim() && !l.split(' ')[0]!.includes(':'))
    .map((l) => l.replace(/ (REACHABLE|STALE|DELAY|PROBE) $/, ' (dynamic) '))
    .sort()
    .join('\n');
}

/**
 * FDB: unicast entries (bridge and port MACs, learned pod MACs, flannel's VTEP entries) compared
 * as a set; multicast `self` entries are the groups the kernel joins, which vary with the kernel
 * version: every group the simulator lists must be there.
 */
function fdbCompare(sim: string, real: string): { ok: boolean; simulator: string; kernel: string } {
  const lines = (s: string) =>
    s
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const multicast = (l: string) => /^(33:33|01:00:5e)/.test(l);
  const su = lines(sim)
    .filter((l) => !multicast(l))
    .sort();
  const ru = lines(real)
    .filter((l) => !multicast(l))
    .sort();
  const rm = new Set(lines(real).filter(multicast));
  const missing = lines(sim).filter((l) => multicast(l) && !rm.has(l));
  const ok = su.join('\n') === ru.join('\n') && missing.length === 0;
  return { ok, simulator: [...su, ...missing].join('\n'), kernel: ru.join('\n') };
}

/** Every namespace's links, addresses, routes, neighbours, FDB and rules, real against simulated. */
export function checkState(lab: Lab): StateMismatch[] {
  const out: StateMismatch[] = [];
  for (const ns of lab.m.namespaces) {
    const sim = simNetns(lab, ns);
    if (!sim) continue;
    const norm = normaliser(lab, ns);
    const same = (what: string, simulator: string, kernel: string) => {
      if (simulator !== kernel) out.push({ netns: ns.name, what, simulator, kernel });
    };
    same('ip link', norm(ipLink(sim)), norm(inNetns(ns.name, ['ip', 'link'])));
    same('ip addr', norm(ipAddr(sim)), norm(inNetns(ns.name, ['ip', 'addr'])));
    same('ip route show table all', ipRoute(sim, { table: 'all' }), inNetns(ns.name, ['ip', 'route', 'show', 'table', 'all']));
    same('ip neigh', neighNormal(ipNeigh(sim)), neighNormal(inNetns(ns.name, ['ip', 'neigh'])));
    const fdb = fdbCompare(bridgeFdb(sim), inNetns(ns.name, ['bridge', 'fdb', 'show']));
    if (!fdb.ok) out.push({ netns: ns.name, what: 'bridge fdb show', simulator: fdb.simulator, kernel: fdb.kernel });
    // -d: the VXLAN parameters and each bridge port's hairpin flag.
    const details = (s: string) => s.match(/^ {4}vxlan id .*? udpcsum|hairpin (on|off)/gm)?.join('\n') ?? '';
    same('ip -d link (vxlan, hairpin)', details(ipLink(sim, { details: true })), details(inNetns(ns.name, ['ip', '-d', 'link'])));
    if (ns.role === 'node') {
      const zero = (s: string) => s.replace(/^#.*\n/gm, '').replace(/\[\d+:\d+\]/g, '[0:0]');
      same('iptables-save', zero(iptablesSave(nodeRuleset(lab.cluster.state, ns.node!))), zero(inNetns(ns.name, ['iptables-save'])));
    }
  }
  return out;
}
